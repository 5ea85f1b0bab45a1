"""`aws_dynamodb_tag`: which table a tag lands on, and what adding it does to a table's tags.

The tag lands on the table its `resource_arn` names: the table of that name in that Region (in
the scanned code's account, as everywhere else). A target says, per table, True (certainly
this one), False (certainly not) or None (maybe). Shared by the HCL and the plan loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from analyzer.model import Table, Tags, Unknown, union_keys

Target = Callable[[Table], "bool | None"]


@dataclass(frozen=True)
class TagTarget:
    """A decided `resource_arn`: the ARN of the table resource `table`, or with `regions`
    (old, new) that ARN with every `old` replaced by `new` (the provider's idiom for a replica's
    ARN). Which table that ARN names, its reader checks against its tables."""

    table: str
    regions: tuple[str, str] | None = None


def arn_target(name: str | Unknown, region: str | Unknown | None,
               family: str | None = None) -> Target:
    """The table named `name` in `region` (None: the ARN names no Region, any matches).
    `family`: the address of a table whose records (the table and its `replica {}` blocks)
    all carry that name, even when it is not known (a bound name)."""

    def target(table: Table) -> bool | None:
        if family is not None and table.address == family:
            same_name: bool | None = True
        elif isinstance(name, str) and isinstance(table.name, str):
            same_name = name == table.name
        else:
            same_name = None
        if same_name is False:
            return False
        if isinstance(region, str) and isinstance(table.region, str) and table.region != region:
            return False
        decided = region is None or (isinstance(region, str) and isinstance(table.region, str))
        return True if same_name and decided else None

    return target


def literal_target(arn: str) -> Target | None:
    """A known ARN: the table it names; None when it names no table."""
    if ":table/" not in arn:
        return None
    fields = arn.split(":", 5)
    region = fields[3] if len(fields) == 6 and fields[3] else None
    return arn_target(arn.split(":table/", 1)[1], region)


def add_tag(table: Table, hit: bool | None, key: str | Unknown, value: str | Unknown,
            maybe_text: str) -> Table:
    """The table with the tag added: surely (hit True and a known key), maybe (the key, or any
    key when it is unknown, becomes uncertain), or not at all (hit False)."""
    if hit is False:
        return table
    known = dict(table.tags.known)
    more, keys = table.tags.more, table.tags.more_keys
    if hit and isinstance(key, str):
        known[key] = value
        return replace(table, tags=Tags(dict(sorted(known.items())), more, keys))
    maybe = Unknown(maybe_text)
    added = frozenset([key]) if isinstance(key, str) else None  # None: any key
    if isinstance(key, str) and key in known:
        known[key] = maybe
    elif more is None:
        more, keys = maybe, added
    else:
        keys = union_keys(keys, added)
    return replace(table, tags=Tags(known, more, keys))
