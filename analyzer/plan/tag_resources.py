"""`aws_dynamodb_tag` in a plan: a tag set on a table from outside its resource (see
terraform/tag_resources.py; which table a tag lands on is provider/dynamodb_tags.py's).

A known `resource_arn` names its table. One known only after apply is resolved through the
configuration, which shows the expression's references, not the expression:
- only a table's `arn` (`aws_dynamodb_table.x.arn`, through module outputs too): that table;
- that and Region values only (`data.aws_region.*`, variables holding a Region): the provider's
  documented way to tag a replica, `replace(aws_dynamodb_table.x.arn, <Region>, <Region>)`.
  The tag resource calls DynamoDB in its own Region (its provider's, or its `region`
  argument), whose endpoint tags only that Region's tables, so the tag can land only on the
  table of x's name in that Region (its replica there), and on no other table. Whether it
  does, the references do not tell: with the Regions the other way round the ARN names x in
  another Region, and the apply fails. So that table may have the tag, not surely;
- anything else: the tag may be on any table.

With the configuration the plan was made from (an HclView, plan/hcl_view.py), what HCL mode
decides `resource_arn` is takes the place of the references, when the plan agrees: the ARN of a
planned table names that table; `replace(<its ARN>, old, new)` names its replica in Region
`new` when the plan shows the table in Region `old` (a name holding `old` would change too)
and that replica, and the plan's own reading does not rule that replica out (a tag resource
calling another Region). The tag then surely lands there; elsewhere the plan's reading stands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from analyzer.model import Pattern, Ref, Table, Unknown
from analyzer.plan.changes import Change, is_unknown
from analyzer.plan.config import Configuration
from analyzer.plan.hcl_view import HclView
from analyzer.plan.tables import region_of, text
from analyzer.provider.dynamodb_tags import (
    TagTarget,
    Target,
    add_tag,
    arn_target,
    literal_target,
)

TABLE_TYPES = ("aws_dynamodb_table", "aws_dynamodb_table_replica")
REGION_ATTRS = ("name", "region", "id")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')  # an instance key


def apply_tag_resources(changes: Sequence[Change], config: Configuration,
                        tables: list[Table], hcl: HclView | None = None) -> list[Table]:
    for change in changes:
        key = text(change.after, change.unknown, "key", f"the key of {change.address}")
        value = text(change.after, change.unknown, "value", f"the value of {change.address}")
        target = _target(change, config, tables)
        if hcl is not None and is_unknown(change.unknown, "resource_arn"):
            target = _configured(hcl.tag_target(change.address), target, tables)
        maybe = f"{change.address} may add a tag to this table"
        tables = [add_tag(t, target(t), key, value, maybe) for t in tables]
    return tables


def _target(change: Change, config: Configuration, tables: Sequence[Table]) -> Target:
    arn = change.after.get("resource_arn")
    if isinstance(arn, str) and not is_unknown(change.unknown, "resource_arn"):
        literal = literal_target(arn)
        return literal if literal is not None else lambda table: False
    expr = (config.expressions(change) or {}).get("resource_arn")
    found = config.patterns(change.module, expr) if isinstance(expr, Mapping) else None
    if not isinstance(found, tuple):
        return lambda table: None
    owners = [p for p in found if isinstance(p, Ref) and p.attr == "arn"
              and _resource_type(p.address) in TABLE_TYPES]
    if len(owners) != 1:
        return lambda table: None
    owner, others = owners[0], [p for p in found if p != owners[0]]
    if not others:
        return lambda t: t.address == owner.address and t.replica_region is None
    if all(_is_region(p) for p in others):
        name = next((t.name for t in tables
                     if t.address == owner.address and t.replica_region is None),
                    Unknown(f"the name of {owner.address}"))
        target = arn_target(name, region_of(change, config), family=owner.address)
        return lambda t: None if target(t) else target(t)
    return lambda table: None


def _configured(written: TagTarget | Unknown, own: Target, tables: Sequence[Table]) -> Target:
    """The table the configuration's `resource_arn` names, where the plan agrees (see above)."""
    named = None if isinstance(written, Unknown) else _named(written, tables)
    if named is None or own(named) is False:
        return own
    key = (named.address, named.replica_region)
    return lambda t: True if (t.address, t.replica_region) == key else own(t)


def _named(written: TagTarget, tables: Sequence[Table]) -> Table | None:
    home = next((t for t in tables if t.address == written.table and t.replica_region is None),
                None)
    if home is None or written.regions is None:
        return home
    old, new = written.regions
    if old == new or home.region != old or not isinstance(home.name, str) or old in home.name:
        return None
    return next((t for t in tables if t.address == written.table
                 and t.replica_region is not None and t.region == new), None)


def _resource_type(address: str) -> str:
    """`module.m["k"].aws_dynamodb_table.t[0]` -> `aws_dynamodb_table` ("" for a data source)."""
    steps = _steps(address)
    if len(steps) < 2 or (len(steps) >= 3 and steps[-3] == "data"):
        return ""
    return steps[-2]


def _is_region(pattern: Pattern) -> bool:
    if isinstance(pattern, str):
        return bool(_REGION.match(pattern))
    if isinstance(pattern, Ref):
        steps = _steps(pattern.address)
        return len(steps) >= 3 and steps[-3:-1] == ["data", "aws_region"] and (
            pattern.attr in REGION_ATTRS)
    return False


def _steps(address: str) -> list[str]:
    return _KEY.sub("", address).split(".")
