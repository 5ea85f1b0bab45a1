"""CloudFormation resources to model objects, in one condition scenario (`intrinsics.Context`).

Only the properties that decide coverage are evaluated (a `Fn::If` on BillingMode must not
double the scenarios): table name, PITR, tags, replicas; a selection's plan, patterns and tags;
a plan's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analyzer.cloudformation.decode import Node
from analyzer.cloudformation.intrinsics import (
    NO_VALUE,
    Context,
    evaluate,
    evaluate_property,
    ref,
    text_of,
)
from analyzer.model import (
    BackupSelection,
    Location,
    Partial,
    Pattern,
    Pitr,
    Ref,
    Table,
    TagCondition,
    Tags,
    Unknown,
)
from analyzer.provider.backup_rules import retention_days
from analyzer.provider.table_names import partial_ends

STACK_REGION = Unknown("AWS::Region")
_TAG_PREFIX = "aws:resourcetag/"
_OPS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")


@dataclass(frozen=True)
class Where:
    """A resource being read: its logical id, the address it is reported under, its file."""

    logical_id: str
    address: str
    rel: str
    line: int
    label: str | None = None

    def at(self, node: object, key: object = None) -> Location:
        if isinstance(node, Node):
            return Location(self.rel, node.line_of(key) if key is not None else node.line)
        return Location(self.rel, self.line)


def properties(resource: Mapping[str, object]) -> Mapping[str, object]:
    props = resource.get("Properties")
    return props if isinstance(props, Mapping) else {}


def stack_region(ctx: Context) -> str | Unknown:
    region = ctx.pinned.get("AWS::Region")
    return region if isinstance(region, str) and region else STACK_REGION


def tables(kind: str, props: Mapping[str, object], where: Where, ctx: Context) -> list[Table]:
    name = _name(props, where, ctx)
    if kind != "AWS::DynamoDB::GlobalTable":
        tags = _tags(props.get("Tags"), ctx, as_map=kind == "AWS::Serverless::SimpleTable")
        pitr = _pitr(props, where, ctx)
        ends = partial_ends(evaluate_property(props, "TableName", ctx))
        return [Table(where.address, name, stack_region(ctx), tags, pitr,
                      Location(where.rel, where.line), label=where.label, name_ends=ends)]
    replicas = evaluate(props.get("Replicas"), ctx)
    raw = props.get("Replicas")
    if not isinstance(replicas, list):
        why = Unknown(f"the replicas of {where.logical_id} are not known statically")
        return [Table(where.address, name, stack_region(ctx), Tags(more=why),
                      Pitr(why, None, why), Location(where.rel, where.line), label=where.label)]
    same = isinstance(raw, list) and len(raw) == len(replicas)
    nodes = raw if same and isinstance(raw, list) else [None] * len(replicas)
    pairs = zip(replicas, nodes, strict=True)
    return [_replica(rep, node, name, where, ctx) for rep, node in pairs]


def _replica(
    rep: object, node: object, name: str | Unknown, where: Where, ctx: Context
) -> Table:
    """One replica: the one in the stack's own Region is the resource's own table (reported
    without a region; `Fn::GetAtt T.Arn` names it); the others are reported with theirs."""
    rep = rep if isinstance(rep, Mapping) else {}
    region = text_of(rep.get("Region"))
    location = where.at(node) if isinstance(node, Node) else Location(where.rel, where.line)
    own = stack_region(ctx)
    maybe_primary = False
    if region == own or (isinstance(region, Unknown) and region.reason == "AWS::Region"):
        region_value: str | Unknown = own
        replica_region = None
    elif isinstance(region, str):
        region_value, replica_region = region, region
        maybe_primary = isinstance(own, Unknown)
    else:
        why = region.reason if isinstance(region, Unknown) else "not a string"
        region_value, replica_region = Unknown(f"the replica's Region ({why})"), f"? ({why})"
    node_map = node if isinstance(node, Node) else None
    pitr = _pitr_spec(rep.get("PointInTimeRecoverySpecification"), node_map, where)
    tags = _tags(rep.get("Tags"), ctx, as_map=False, evaluated=True)
    return Table(where.address, name, region_value, tags, pitr, location,
                 replica_region=replica_region, label=where.label, maybe_primary=maybe_primary)


def _name(props: Mapping[str, object], where: Where, ctx: Context) -> str | Unknown:
    value = text_of(evaluate_property(props, "TableName", ctx))  # NoValue: a generated name
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return value
    if value is None:
        return Unknown(f"{where.logical_id} has no TableName: CloudFormation generates one")
    if isinstance(value, Partial):  # known in parts; a table's name is one string or unknown
        why = next((p.reason for p in value.parts if isinstance(p, Unknown)), "a reference")
        return Unknown(f"the TableName of {where.logical_id} is {value} ({why})")
    return Unknown(f"the TableName of {where.logical_id} is not a known string")


def _pitr(props: Mapping[str, object], where: Where, ctx: Context) -> Pitr:
    raw = props.get("PointInTimeRecoverySpecification")
    node = props if isinstance(props, Node) else None
    spec = evaluate_property(props, "PointInTimeRecoverySpecification", ctx)  # NoValue: off
    return _pitr_spec(spec, node, where, raw)


def _pitr_spec(
    spec: object, holder: Node | None, where: Where, raw: object = None
) -> Pitr:
    """`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled`; absent means off."""
    key = "PointInTimeRecoverySpecification"
    if spec is None:
        return Pitr(False, None)
    raw = raw if raw is not None else (holder.get(key) if holder is not None else None)
    location = where.at(raw, "PointInTimeRecoveryEnabled") if isinstance(raw, Node) else (
        where.at(holder, key) if holder is not None else None)
    if isinstance(spec, Unknown):
        return Pitr(spec, location, spec)
    if not isinstance(spec, Mapping):
        why = Unknown(f"{key} is not a mapping")
        return Pitr(why, location, why)
    enabled = text_of(spec.get("PointInTimeRecoveryEnabled", False))
    days = _recovery_days(spec.get("RecoveryPeriodInDays"))
    if enabled in ("true", "false"):
        return Pitr(enabled == "true", location, days)
    if isinstance(enabled, (bool, Unknown)):
        return Pitr(enabled, location, days)
    return Pitr(Unknown(f"PointInTimeRecoveryEnabled is {enabled!r}"), location, days)


def _recovery_days(value: object) -> int | Unknown | None:
    """PITR's recovery period: None when not set (AWS keeps 35 days)."""
    what = "RecoveryPeriodInDays"
    days = retention_days(None if value is NO_VALUE else value, what)
    if isinstance(days, int) and not 1 <= days <= 35:
        return Unknown(f"{what} is {days}, outside 1-35")
    return days


def _tags(raw: object, ctx: Context, *, as_map: bool, evaluated: bool = False) -> Tags:
    value = raw if evaluated else evaluate(raw, ctx)
    if value is None or value is NO_VALUE:
        return Tags()
    if isinstance(value, Unknown):
        return Tags(more=value)
    if as_map and isinstance(value, Mapping):
        pairs = [(k, v) for k, v in value.items()]
    elif isinstance(value, list):
        pairs = [(i.get("Key"), i.get("Value")) if isinstance(i, Mapping) else (None, None)
                 for i in value]
    else:
        return Tags(more=Unknown("the Tags are not a list of Key/Value"))
    known: dict[str, str | Unknown] = {}
    more = None
    for key, val in pairs:
        key, val = text_of(key), text_of(val)
        if not isinstance(key, str):
            more = Unknown("a tag key is not known statically")
            continue
        known[key] = val if isinstance(val, (str, Unknown)) else Unknown(f"tag {key} value")
    return Tags(known, more)


def selection(props: Mapping[str, object], where: Where, ctx: Context) -> BackupSelection:
    raw = props.get("BackupSelection")
    body = evaluate(raw, ctx)
    body = body if isinstance(body, Mapping) else {}
    raw_map = raw if isinstance(raw, Node) else None
    return BackupSelection(
        address=where.address,
        plan=_plan_ref(props.get("BackupPlanId"), ctx),
        resources=_patterns(body.get("Resources"), "Resources"),
        not_resources=_patterns(body.get("NotResources"), "NotResources"),
        list_of_tags=_list_of_tags(body.get("ListOfTags"), raw_map, where),
        conditions=_conditions(body.get("Conditions"), raw_map, where),
        location=Location(where.rel, where.line),
        region=stack_region(ctx),
        kind="AWS::Backup::BackupSelection",
    )


def _plan_ref(raw: object, ctx: Context) -> Ref | str | Unknown:
    # `!Ref Plan` and `!GetAtt Plan.BackupPlanId` both name the plan resource.
    if isinstance(raw, Mapping) and "Fn::GetAtt" in raw:
        target = raw["Fn::GetAtt"]
        if isinstance(target, list) and target and isinstance(target[0], str):
            return Ref(target[0], "id")
    value = evaluate(raw, ctx) if raw is not None else Unknown("no BackupPlanId")
    if isinstance(raw, Mapping) and "Ref" in raw and isinstance(raw["Ref"], str):
        value = ref(raw["Ref"], ctx)
    return value if isinstance(value, (Ref, str, Unknown)) else Unknown("BackupPlanId")


def _patterns(value: object, what: str) -> tuple[Pattern, ...] | Unknown:
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, list):
        return Unknown(f"{what} is not a list")
    out: list[Pattern] = []
    for item in value:
        item = text_of(item)
        ok = isinstance(item, (str, Ref, Partial, Unknown))
        out.append(item if ok else Unknown(f"an element of {what} is not a string"))  # type: ignore[arg-type]
    return tuple(out)


def _bare(key: object) -> str | Unknown:
    key = text_of(key)
    if isinstance(key, str):
        return key[len(_TAG_PREFIX):] if key.lower().startswith(_TAG_PREFIX) else key
    return key if isinstance(key, Unknown) else Unknown("the tag key is not a string")


def _value(value: object) -> str | Unknown:
    value = text_of(value)
    return value if isinstance(value, (str, Unknown)) else Unknown("the value is not a string")


def _items_at(raw: Node | None, key: str, where: Where) -> list[Location]:
    items = raw.get(key) if raw is not None else None
    if isinstance(items, list):
        return [where.at(i) for i in items]
    return []


def _list_of_tags(
    value: object, raw: Node | None, where: Where
) -> tuple[TagCondition, ...] | Unknown:
    if value is None:
        return ()
    if not isinstance(value, list):
        return value if isinstance(value, Unknown) else Unknown("ListOfTags is not a list")
    places = _items_at(raw, "ListOfTags", where)
    out = []
    for index, item in enumerate(value):
        item = item if isinstance(item, Mapping) else {}
        kind = text_of(item.get("ConditionType", "STRINGEQUALS"))
        op: str = "StringEquals" if kind == "STRINGEQUALS" else f"ConditionType {kind}"
        place = places[index] if index < len(places) else Location(where.rel, where.line)
        out.append(TagCondition(op, _bare(item.get("ConditionKey")),
                                _value(item.get("ConditionValue")), place))
    return tuple(out)


def _conditions(
    value: object, raw: Node | None, where: Where
) -> tuple[TagCondition, ...] | Unknown:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        return value if isinstance(value, Unknown) else Unknown("Conditions is not a mapping")
    raw_conditions = raw.get("Conditions") if raw is not None else None
    out = []
    for op, tests in value.items():
        if op not in _OPS:
            return Unknown(f"Conditions operator {op} is not one AWS Backup supports")
        if not isinstance(tests, list):
            return Unknown(f"Conditions {op} is not a list")
        places = _items_at(raw_conditions if isinstance(raw_conditions, Node) else None, op, where)
        for index, test in enumerate(tests):
            test = test if isinstance(test, Mapping) else {}
            place = places[index] if index < len(places) else Location(where.rel, where.line)
            out.append(TagCondition(op, _bare(test.get("ConditionKey")),
                                    _value(test.get("ConditionValue")), place))
    return tuple(out)
