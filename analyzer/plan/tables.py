"""Planned DynamoDB tables: `aws_dynamodb_table` (and each of its `replica {}` blocks) and
`aws_dynamodb_table_replica`, from `change.after`, as terraform/resources.py and
terraform/replicas.py build them from HCL (see there for the AWS semantics)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analyzer.model import Location, Pitr, Ref, Table, Tags, Unknown
from analyzer.plan.changes import Change, Json, is_unknown
from analyzer.plan.config import Configuration

UNKNOWN_REGION = "?"  # a replica label when its Region is not decided (as in HCL mode)


def later(what: str) -> Unknown:
    return Unknown(f"{what} is known only after apply")


def text(after: Mapping[str, Json], unknown: Json, key: str, what: str) -> str | Unknown:
    value = after.get(key)
    if is_unknown(unknown, key):
        return later(what)
    return value if isinstance(value, str) else Unknown(f"{what} is not set")


def region_of(change: Change, config: Configuration) -> str | Unknown:
    """Its own `region` argument (AWS provider 6), its ARN when known, else its provider's."""
    own = change.after.get("region")
    if isinstance(own, str):
        return own
    arn = change.after.get("arn")
    if isinstance(arn, str) and arn.count(":") >= 5 and arn.split(":")[3]:
        return arn.split(":")[3]
    return config.region(change)


def tags_of(change: Change, config: Configuration) -> Tags:
    """`tags_all` when the plan shows it; else the resource's `tags` over the provider's
    default tags (what the provider will compute)."""
    after, unknown = change.after, change.unknown
    if isinstance(after.get("tags_all"), Mapping) and not is_unknown(unknown, "tags_all"):
        return _known_tags(after["tags_all"], unknown.get("tags_all"))
    if is_unknown(unknown, "tags"):
        return Tags({}, later("the tags"))
    own = _known_tags(after.get("tags") or {}, unknown.get("tags"))
    base = config.default_tags(change)
    known = {k: v for k, v in base.known.items() if k not in own.known}
    return Tags(dict(sorted({**known, **own.known}.items())), base.more)


def _known_tags(tags: Mapping[str, Json], unknown: Json) -> Tags:
    out: dict[str, str | Unknown] = {}
    for key in sorted(tags, key=str):
        value = tags[key]
        out[str(key)] = later(f"tag {key}") if is_unknown(unknown, key) else (
            value if isinstance(value, str) else str(value))
    for key in sorted(unknown) if isinstance(unknown, Mapping) else ():
        if is_unknown(unknown, key):
            out.setdefault(str(key), later(f"tag {key}"))
    return Tags(out)


def table_records(change: Change, config: Configuration, where: Location) -> list[Table]:
    name = text(change.after, change.unknown, "name", f"the name of {change.address}")
    table = Table(change.address, name, region_of(change, config), tags_of(change, config),
                  _pitr(change, config, where), where)
    return [table, *_replicas(change, config, table)]


def _pitr(change: Change, config: Configuration, where: Location) -> Pitr:
    blocks = change.after.get("point_in_time_recovery")
    if not isinstance(blocks, list) or not blocks:
        # The provider computes the block when the code sets none: then it is off. When the
        # code writes one the plan cannot show yet, it is undecided.
        written = "point_in_time_recovery" in (config.expressions(change) or {})
        if written and is_unknown(change.unknown, "point_in_time_recovery"):
            return Pitr(later("point_in_time_recovery"), where, later("point_in_time_recovery"))
        return Pitr(False, None)
    days = _recovery_days(change, config, blocks[0])
    if is_unknown(change.unknown, "point_in_time_recovery", 0, "enabled"):
        return Pitr(later("point_in_time_recovery.enabled"), where, days)
    enabled = blocks[0].get("enabled") if isinstance(blocks[0], Mapping) else None
    return Pitr(enabled if isinstance(enabled, bool) else False, where, days)


def _recovery_days(change: Change, config: Configuration, block: Json) -> int | Unknown | None:
    """PITR's recovery period: None when the code does not set it (the provider computes it;
    AWS keeps 35 days)."""
    key = "recovery_period_in_days"
    # A static block in the configuration that does not write it; a `dynamic` block is not
    # in the configuration, so then only `after` can say.
    written = (config.expressions(change) or {}).get("point_in_time_recovery")
    first = written[0] if isinstance(written, list) and written else None
    if isinstance(first, Mapping) and key not in first:
        return None
    if is_unknown(change.unknown, "point_in_time_recovery", 0, key):
        return later(f"point_in_time_recovery.{key}")
    value = block.get(key) if isinstance(block, Mapping) else None
    if value is None:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and (
        1 <= value <= 35) else Unknown(f"point_in_time_recovery.{key} is {value!r}")


def _replicas(change: Change, config: Configuration, table: Table) -> list[Table]:
    blocks = change.after.get("replica")
    if is_unknown(change.unknown, "replica") and not blocks:
        # Not a computed argument: unknown means the code writes replicas the plan cannot count
        # yet (a `dynamic` block, absent from the configuration, over a value known only after
        # apply). One entry in Region "?" stands for all of them, as in HCL mode.
        reason = later("the replica blocks")
        return [_replica(table, {}, {"region_name": True, "point_in_time_recovery": True,
                                     "propagate_tags": True}, set(), reason)]
    labels: set[str] = set()
    unknowns = change.unknown.get("replica")
    return [_replica(table, block, unknowns[i] if isinstance(unknowns, list)
                     and i < len(unknowns) else {}, labels)
            for i, block in enumerate(blocks or []) if isinstance(block, Mapping)]


def _replica(table: Table, block: Mapping[str, Json], unknown: Json, labels: set[str],
             why: Unknown | None = None) -> Table:
    region = text(block, unknown, "region_name", "the replica's region_name")
    label = region if isinstance(region, str) else UNKNOWN_REGION
    if label in labels:  # two replicas whose Regions are not decided stay apart
        label = f"{label}#{len(labels) + 1}"
    labels.add(label)
    pitr: bool | Unknown = later("replica point_in_time_recovery") if is_unknown(
        unknown, "point_in_time_recovery") else bool(block.get("point_in_time_recovery"))
    if is_unknown(unknown, "propagate_tags"):
        tags = Tags({}, why or later("whether the table's tags reach the replica"))
    else:
        tags = table.tags if block.get("propagate_tags") is True else Tags()
    return Table(table.address, table.name, region if why is None else why, tags,
                 Pitr(pitr, None if pitr is False else table.location,
                      table.pitr.recovery_days), table.location,
                 replica_region=label)


def replica_resource_record(change: Change, config: Configuration, tables: Sequence[Table],
                            where: Location) -> Table:
    """An `aws_dynamodb_table_replica`: a table of its own, named as the table it replicates."""
    pitr: bool | Unknown = later("point_in_time_recovery") if is_unknown(
        change.unknown, "point_in_time_recovery") else bool(
        change.after.get("point_in_time_recovery"))
    return Table(change.address, _source_name(change, config, tables),
                 region_of(change, config), tags_of(change, config),
                 Pitr(pitr, None if pitr is False else where), where)


def _source_name(change: Change, config: Configuration, tables: Sequence[Table]
                 ) -> str | Unknown:
    arn = change.after.get("global_table_arn")
    if isinstance(arn, str) and ":table/" in arn:
        return arn.split(":table/", 1)[1]
    expr = (config.expressions(change) or {}).get("global_table_arn")
    found = config.patterns(change.module, expr) if isinstance(expr, Mapping) else None
    if isinstance(found, tuple) and len(found) == 1 and isinstance(found[0], Ref):
        for table in tables:
            if table.address == found[0].address and table.replica_region is None:
                return table.name
    return Unknown(f"the name of {change.address}: its global_table_arn is known only after "
                   "apply")
