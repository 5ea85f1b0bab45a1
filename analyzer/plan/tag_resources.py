"""`aws_dynamodb_tag`: a tag set on a table from outside its resource (see
terraform/tag_resources.py). A tag whose table the plan does not decide may be on any table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from analyzer.model import Ref, Table, Tags, Unknown
from analyzer.plan.changes import Change
from analyzer.plan.config import Configuration
from analyzer.plan.tables import text


def apply_tag_resources(changes: Sequence[Change], config: Configuration,
                        tables: list[Table]) -> list[Table]:
    for change in changes:
        key = text(change.after, change.unknown, "key", f"the key of {change.address}")
        value = text(change.after, change.unknown, "value", f"the value of {change.address}")
        target = _target(change, config)
        if isinstance(target, Unknown) or isinstance(key, Unknown):
            why = Unknown(f"{change.address} may tag this table: {_reason(target, key)}")
            tables = [replace(t, tags=Tags(t.tags.known, t.tags.more or why)) for t in tables]
            continue
        tables = [replace(t, tags=Tags(dict(sorted({**t.tags.known, key: value}.items())),
                                       t.tags.more)) if _names(target, t) else t
                  for t in tables]
    return tables


def _reason(target: object, key: object) -> str:
    return target.reason if isinstance(target, Unknown) else (
        key.reason if isinstance(key, Unknown) else "")


def _target(change: Change, config: Configuration) -> Ref | str | Unknown:
    """The table it tags: a reference to the table's ARN, or a known ARN."""
    arn = change.after.get("resource_arn")
    if isinstance(arn, str):
        return arn
    expr = (config.expressions(change) or {}).get("resource_arn")
    found = config.patterns(change.module, expr) if isinstance(expr, Mapping) else None
    if isinstance(found, tuple) and len(found) == 1 and isinstance(found[0], Ref) and found[
            0].attr == "arn":
        return found[0]
    return Unknown("its resource_arn is known only after apply")


def _names(target: Ref | str, table: Table) -> bool:
    if isinstance(target, Ref):
        return target.address == table.address and table.replica_region is None
    fields = target.split(":")
    if len(fields) < 6 or not fields[5].startswith("table/"):
        return False
    same_region = not isinstance(table.region, str) or table.region == fields[3]
    return table.name == fields[5][len("table/"):] and same_region
