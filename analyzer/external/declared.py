"""Selections declared by hand for backup policies managed elsewhere (configuration
`[[tool.iac-ddb-lint.external-selection]] tag = "backup" values = ["daily"] region = "..."`).

A declaration is a tag selection as AWS Backup's ListOfTags holds it: the table is selected when
its tag `tag` equals one of `values` (StringEquals, case-sensitive; OR over the values). It
belongs to a plan the user vouches for (it is managed where the analyzer cannot see it), so it
protects where it selects, with the evidence naming the declaration.

Region and account (aws-semantics.md: a selection protects only tables of its own account and
Region). `region` names the Region the policy runs in: a table in another known Region is not
selected, a table whose Region the code leaves open is taken to be there (said in the
evidence, as for a selection pattern's literal Region). **An omitted `region` is an unknown
Region**, never "every Region": a tag match is then unknown, not protected, and the evidence
says to declare the Region. The account is taken to be the table's, and the evidence says so.
Region opt-in applies as to any tag selection: where the code opts DynamoDB out, it selects
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from analyzer.external.imported import UNIT_PREFIX, relative_to_root
from analyzer.model import BackupSelection, Inventory, Location, TagCondition, Unknown

KIND = "external-selection"
_TAG_PREFIX = "aws:resourcetag/"


class Declaration(Protocol):
    """What the configuration reader hands over (its `ExternalDeclaration`)."""

    @property
    def tag(self) -> str: ...
    @property
    def values(self) -> Sequence[str]: ...
    @property
    def region(self) -> str | None: ...
    @property
    def origin(self) -> str: ...  # where it is declared: `pyproject.toml:14`


@dataclass(frozen=True)
class Declared:
    """A declaration made in code (tests, callers without a configuration file)."""

    tag: str
    values: Sequence[str]
    region: str | None
    origin: str


def declared_selections(declarations: Iterable[Declaration], root: Path | None = None
                        ) -> list[BackupSelection]:
    """One selection per declaration, in the order given; with `root`, located relative to it
    as every location is (an origin names its file from the working directory)."""
    return [_selection(item, root) for item in declarations]


def declared_inventory(declarations: Iterable[Declaration]) -> Inventory:
    return Inventory(selections=declared_selections(declarations))


def _selection(item: Declaration, root: Path | None = None) -> BackupSelection:
    where = origin_location(item.origin)
    if root is not None and where.file:
        where = replace(where, file=relative_to_root(Path(where.file), root))
    key = item.tag[len(_TAG_PREFIX):] if item.tag.lower().startswith(_TAG_PREFIX) else item.tag
    tags = tuple(TagCondition("StringEquals", key, value, where)
                 for value in dict.fromkeys(item.values))
    region: str | Unknown
    if item.region is None:
        region = Unknown(f"the external selection at {item.origin} declares no region")
        undecided: Unknown | None = Unknown(
            f"it declares no region, and a selection protects only tables of its own Region "
            f'(declare region = "..." at {item.origin})')
    else:
        region, undecided = item.region, None
    return BackupSelection(
        address=f"external-selection at {item.origin}",
        plan=f"a backup policy managed elsewhere, declared at {item.origin}",
        resources=(),
        not_resources=(),
        list_of_tags=tags,
        conditions=(),
        location=where,
        region=region,
        kind=KIND,
        assumes=("assuming the policy declared there runs in the table's AWS account",),
        undecided=undecided,
        unit=f"{UNIT_PREFIX}{item.origin}",
    )


def origin_location(origin: str) -> Location:
    """`file:line` or `file:line:col` as a Location; any other text as a file of line 0."""
    parts = origin.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return Location(parts[0], int(parts[1]), int(parts[2]))
    head, _, line = origin.rpartition(":")
    if head and line.isdigit():
        return Location(head, int(line))
    return Location(origin, 0)
