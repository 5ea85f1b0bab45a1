"""`aws_dynamodb_tag`: one tag added to a table from outside the table resource.

The tag lands on the table whose ARN `resource_arn` names:
- `aws_dynamodb_table.x.arn` (or `aws_dynamodb_table_replica.r.arn`): that resource's table;
- `replace(aws_dynamodb_table.x.arn, <region>, <other region>)`, the provider's documented way
  to tag a replica: the replica of x in the other Region (any replica of x when that Region is
  not decided);
- a literal ARN: the tables with that name (and Region, when both are known);
- anything undecided: every table might get the tag, so the key becomes uncertain everywhere.
Tags a replica receives this way are not propagated further: `propagate_tags` copies only the
tags configured on the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lark import Tree

from analyzer.hcl.expressions import evaluate
from analyzer.model import Ref, Table, Tags, Unknown
from analyzer.terraform.context import Instance
from analyzer.terraform.resources import as_text

_Target = Callable[[Table], bool | None]  # True: certainly this table; None: maybe


def apply_tag_resources(
    instances: list[tuple[Instance, Unknown | None]], tables: list[Table]
) -> list[Table]:
    """The tables with every `aws_dynamodb_tag` of the module applied, in declaration order.
    A tag resource that may not exist (undecided count/for_each) may add its tag, not surely."""
    for inst, exists in instances:
        key = as_text(inst.attr("key"), f"the key of {inst.address}")
        value = as_text(inst.attr("value"), f"the value of {inst.address}")
        target = _target(inst)
        maybe = f"{inst.address} may add a tag to this table" if exists is None else (
            f"{exists.reason}, and it adds a tag to this table")
        tables = [_tagged(t, _maybe(target(t), exists), key, value, maybe) for t in tables]
    return tables


def _maybe(hit: bool | None, exists: Unknown | None) -> bool | None:
    return None if hit and exists is not None else hit


def _tagged(
    table: Table, hit: bool | None, key: str | Unknown, value: str | Unknown, maybe_text: str
) -> Table:
    if hit is False:
        return table
    known = dict(table.tags.known)
    more = table.tags.more
    if hit and isinstance(key, str):
        known[key] = value
        return replace(table, tags=Tags(dict(sorted(known.items())), more))
    maybe = Unknown(maybe_text)
    if isinstance(key, str) and key in known:
        known[key] = maybe
    elif more is None:
        more = maybe
    return replace(table, tags=Tags(known, more))


def _target(inst: Instance) -> _Target:
    attribute = inst.block.body.attributes.get("resource_arn")
    if attribute is None:
        return lambda table: False
    replica = _replica_target(attribute.expr, inst)
    if replica is not None:
        return replica
    arn = evaluate(attribute.expr, inst.scope)
    if isinstance(arn, Ref) and arn.attr == "arn":
        return lambda t: t.address == arn.address and t.replica_region is None
    if isinstance(arn, str) and ":table/" in arn:
        return _literal_target(arn)
    return lambda table: None


def _literal_target(arn: str) -> _Target:
    fields = arn.split(":", 5)
    region = fields[3] if len(fields) == 6 and fields[3] else None
    name = arn.split(":table/", 1)[1]

    def target(table: Table) -> bool | None:
        if isinstance(table.name, str) and table.name != name:
            return False
        if isinstance(table.region, str) and region is not None and table.region != region:
            return False
        exact = isinstance(table.name, str) and (region is None or isinstance(table.region, str))
        return True if exact else None

    return target


def _replica_target(expr: Tree, inst: Instance) -> _Target | None:
    """`replace(<table>.arn, <from>, <to>)`: the replica of <table> in Region <to>."""
    args = call_arguments(expr, "replace")
    if args is None or len(args) != 3:
        return None
    arn = evaluate(args[0], inst.scope)
    if not (isinstance(arn, Ref) and arn.attr == "arn"):
        return None
    region = evaluate(args[2], inst.scope)

    def target(table: Table) -> bool | None:
        if table.address != arn.address or table.replica_region is None:
            return False
        if isinstance(region, str) and isinstance(table.region, str):
            return table.region == region
        return None

    return target


def call_arguments(expr: Tree, name: str) -> list[Tree] | None:
    """The argument expressions when `expr` is a call of function `name`, else None."""
    node = expr
    while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if not (isinstance(node, Tree) and node.data == "function_call"):
        return None
    names = [c for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
    if len(names) != 1 or str(names[0].children[0]) != name:
        return None
    arguments = [c for c in node.children if isinstance(c, Tree) and c.data == "arguments"]
    if not arguments:
        return []
    return [
        c for c in arguments[0].children
        if isinstance(c, Tree) and c.data != "new_line_or_comment"
    ]
