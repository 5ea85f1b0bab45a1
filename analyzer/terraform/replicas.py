"""Replicas of global tables: each one is a table of its own, in its own Region.

- `replica {}` blocks of `aws_dynamodb_table` (global tables version 2019.11.21): reported under
  the table's address with `replica_region` set. A replica's PITR is its own
  `point_in_time_recovery` argument (default false); the table's `point_in_time_recovery {}`
  block does not reach it. Its recovery period is taken as the table's (the provider may apply
  it to the replicas; else AWS keeps 35 days, which is no less). It carries the table's tags
  only with `propagate_tags = true` (default false).
- `aws_dynamodb_table_replica`: a replica managed as a resource, under its own address, in its
  provider's Region, with its own `point_in_time_recovery` (default false) and `tags` (provider
  default tags apply). Its name is the name of the table `global_table_arn` points to.
- `aws_dynamodb_global_table` (global tables version 2017.11.29) creates no table: it links
  same-named `aws_dynamodb_table`s that are declared, each in its own Region, as resources of
  their own, and each of those is judged on its own. So it adds no record and changes no verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Body
from analyzer.hcl.values import EvalScope
from analyzer.model import Location, Partial, Pitr, Ref, Table, Tags, Unknown
from analyzer.terraform.context import Instance
from analyzer.terraform.expand import nested_blocks
from analyzer.terraform.resources import as_bool, as_text, location_of, resource_region
from analyzer.terraform.tags import merge_tags, to_tags

UNKNOWN_REGION = "?"  # the replica label when its Region is not decided


def replica_records(inst: Instance, table: Table) -> list[Table]:
    """One table per `replica {}` block. When a dynamic block's for_each is undecided, one entry
    (Region "?") stands for all of them, its arguments evaluated with an unknown iterator."""
    blocks = nested_blocks(inst.block.body, "replica", inst.scope)
    if isinstance(blocks, Unknown):
        undecided = _undecided_replica(inst, blocks)
        return [] if undecided is None else [_replica(inst, table, *undecided, labels=set())]
    labels: set[str] = set()
    return [_replica(inst, table, body, scope, line, labels) for body, scope, line in blocks]


def _undecided_replica(
    inst: Instance, reason: Unknown
) -> tuple[Body, Mapping[str, object], int] | None:
    for block in inst.block.body.blocks:
        if block.type == "dynamic" and block.labels == ["replica"]:
            content = next(block.body.blocks_of("content"), None)
            if content is None:
                return None
            iterator = {"key": reason, "value": reason}
            scope = EvalScope(inst.scope, {"replica": iterator})
            if "iterator" in block.body.attributes:
                from analyzer.terraform.lazy import traversal_text

                name = traversal_text(block.body.attributes["iterator"].expr) or "replica"
                scope = EvalScope(inst.scope, {name: iterator})
            return content.body, scope, block.line
    return None


def _replica(
    inst: Instance, table: Table, body: Body, scope: Mapping[str, object], line: int,
    labels: set[str],
) -> Table:
    region = _arg(body, "region_name", scope)
    label = region if isinstance(region, str) else UNKNOWN_REGION
    if label in labels:  # two replicas whose Regions are not decided stay apart
        label = f"{label}#{len(labels) + 1}"
    labels.add(label)
    where = region if isinstance(region, str) else (
        region if isinstance(region, Unknown) else Unknown("the replica's region_name"))
    return Table(
        inst.address, table.name, where, _propagated(body, scope, table.tags),
        replace(_own_pitr(body, scope, location_of(inst, line), "replica point_in_time_recovery"),
                recovery_days=table.pitr.recovery_days),
        location_of(inst, line), replica_region=label,
    )


def _propagated(body: Body, scope: Mapping[str, object], tags: Tags) -> Tags:
    flag = _arg(body, "propagate_tags", scope)
    propagate = as_bool(False if flag is None else flag, "propagate_tags")
    if propagate is True:
        return tags
    if propagate is False:
        return Tags()
    return Tags({}, Unknown(f"whether the table's tags reach the replica: {propagate.reason}"))


def _own_pitr(body: Body, scope: Mapping[str, object], where: Location, what: str) -> Pitr:
    attribute = body.attributes.get("point_in_time_recovery")
    if attribute is None:
        return Pitr(False, None)  # the provider's default
    value = as_bool(evaluate(attribute.expr, scope), what)
    return Pitr(value, Location(where.file, attribute.line))


def _arg(body: Body, name: str, scope: Mapping[str, object]) -> object:
    attribute = body.attributes.get(name)
    return None if attribute is None else evaluate(attribute.expr, scope)


def replica_resource_record(inst: Instance, tables: Sequence[Table]) -> Table:
    """An `aws_dynamodb_table_replica` as a table of its own."""
    tags = merge_tags(to_tags(inst.provider.default_tags), to_tags(inst.attr("tags")))
    name = _source_name(inst.attr("global_table_arn"), tables, inst.address)
    pitr = _own_pitr(inst.block.body, inst.scope, location_of(inst), "point_in_time_recovery")
    return Table(inst.address, name, resource_region(inst), tags, pitr, location_of(inst))


def _source_name(arn: object, tables: Sequence[Table], address: str) -> str | Unknown:
    """A replica has the name of the table it replicates."""
    if isinstance(arn, Ref) and arn.attr == "arn":
        for table in tables:
            if table.address == arn.address and table.replica_region is None:
                return table.name
    if isinstance(arn, str) and ":table/" in arn:
        return arn.split(":table/", 1)[1]
    if isinstance(arn, Unknown):
        return Unknown(f"the name of {address}: its global_table_arn is unknown ({arn.reason})")
    shown = str(arn) if isinstance(arn, (Ref, Partial)) else repr(arn)
    return as_text(Unknown(f"the name of {address}: global_table_arn is {shown}"), "the name")
