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

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.syntax_tree import Tree
from analyzer.model import Ref, Table, Unknown
from analyzer.provider.dynamodb_tags import TagTarget, Target, add_tag, literal_target
from analyzer.terraform.context import Instance
from analyzer.terraform.resources import as_text


def apply_tag_resources(
    instances: list[tuple[Instance, Unknown | None]], tables: list[Table]
) -> list[Table]:
    """The tables with every `aws_dynamodb_tag` of the module applied, in declaration order.
    A tag resource that may not exist (undecided count/for_each) may add its tag, not surely."""
    for inst, exists in instances:
        key = as_text(inst.attr("key"), f"the key of {inst.address}")
        value = as_text(inst.attr("value"), f"the value of {inst.address}")
        target = _target(inst, tables)
        maybe = f"{inst.address} may add a tag to this table" if exists is None else (
            f"{exists.reason}, and it adds a tag to this table")
        tables = [add_tag(t, _maybe(target(t), exists), key, value, maybe) for t in tables]
    return tables


def _maybe(hit: bool | None, exists: Unknown | None) -> bool | None:
    return None if hit and exists is not None else hit


def _target(inst: Instance, tables: list[Table]) -> Target:
    attribute = inst.block.body.attributes.get("resource_arn")
    if attribute is None:
        return lambda table: False
    replica = _replica_target(attribute.expr, inst, tables)
    if replica is not None:
        return replica
    arn = evaluate(attribute.expr, inst.scope)
    if isinstance(arn, Ref) and arn.attr == "arn":
        return lambda t: t.address == arn.address and t.replica_region is None
    literal = literal_target(arn) if isinstance(arn, str) else None
    return literal if literal is not None else lambda table: None


def _replica_target(expr: Tree, inst: Instance, tables: list[Table]) -> Target | None:
    """`replace(<table>.arn, <from>, <to>)`: the replica of <table> in Region <to>, surely only
    when the call can only mean that: <from> is the table's own Region and not part of its name
    (replace() changes every occurrence), and the tag resource calls DynamoDB in <to> (its
    provider's Region: DynamoDB tags a table of the endpoint's Region). Otherwise it may tag it."""
    args = call_arguments(expr, "replace")
    if args is None or len(args) != 3:
        return None
    arn = evaluate(args[0], inst.scope)
    if not (isinstance(arn, Ref) and arn.attr == "arn"):
        return None
    old, region = evaluate(args[1], inst.scope), evaluate(args[2], inst.scope)
    home = next((t for t in tables if t.address == arn.address and t.replica_region is None),
                None)
    caller = inst.provider.region
    surely = (home is not None and isinstance(old, str) and isinstance(region, str)
              and old != region and home.region == old and isinstance(home.name, str)
              and old not in home.name and caller == region)

    def target(table: Table) -> bool | None:
        if table.address != arn.address or table.replica_region is None:
            return False
        if isinstance(region, str) and isinstance(table.region, str) and table.region != region:
            return False
        return True if surely else None

    return target


def decided_target(inst: Instance) -> TagTarget | Unknown:
    """What the instance's `resource_arn` decidedly is, for a reader that checks it against its
    own tables (plan mode with its configuration): a table's `arn`, or `replace()` on it with
    both Regions known; anything else is not decided here."""
    attribute = inst.block.body.attributes.get("resource_arn")
    undecided = Unknown(f"the configuration does not decide which table {inst.address} tags")
    if attribute is None:
        return undecided
    args = call_arguments(attribute.expr, "replace")
    if args is not None:
        if len(args) != 3:
            return undecided
        arn, old, new = (evaluate(a, inst.scope) for a in args)
        if isinstance(arn, Ref) and arn.attr == "arn" and isinstance(old, str) and \
                isinstance(new, str):
            return TagTarget(arn.address, (old, new))
        return undecided
    arn = evaluate(attribute.expr, inst.scope)
    return TagTarget(arn.address) if isinstance(arn, Ref) and arn.attr == "arn" else undecided


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
