"""Transforms: which macros the analyzer models, and what it reports for the rest.

`AWS::Serverless-2016-10-31` (SAM: `AWS::Serverless::SimpleTable` is read as a table) and
`AWS::LanguageExtensions` (`Fn::ForEach`, see `foreach`) are modelled. Any other macro in
`Transform`, or a `Fn::Transform` snippet in `Resources`, may rewrite anything, so every table
of the template (and of the stacks it nests) is unknown and its selections are undecided.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from analyzer.cloudformation.decode import Node
from analyzer.cloudformation.foreach import Undecided, expand, is_loop
from analyzer.cloudformation.intrinsics import STACK_TYPES, TABLE_TYPES, Context
from analyzer.cloudformation.nested_stacks import NestedStack
from analyzer.cloudformation.resources import stack_region
from analyzer.cloudformation.scenarios import Snapshot
from analyzer.cloudformation.structure import check_entries
from analyzer.model import BackupSelection, LoadError, Location, Pitr, Table, Tags, Unknown

SAM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
MODELLED = frozenset({SAM, LANGUAGE_EXTENSIONS})
SELECTION = "AWS::Backup::BackupSelection"


@dataclass
class View:
    """A template as CloudFormation processes it in one scenario: its loops expanded."""

    data: Mapping[str, object]
    resources: Mapping[Any, object]
    undecided: list[Undecided] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


def view(data: Mapping[str, object], ctx: Context, rel: str,
         loops: list[tuple[str, tuple[int, int]]] | None = None) -> View:
    """Expand `Fn::ForEach` in Conditions and Resources, check the resources' shape, and point
    `ctx` at the expanded template (so `Ref` and `Fn::GetAtt` see the resources loops make).
    `loops` is `loop_keys(data)` when the caller has it already (one walk per template, not one
    per scenario)."""
    raw = data.get("Resources")
    resources: Mapping[Any, object] = raw if isinstance(raw, Mapping) else Node()
    if loops is None:
        loops = loop_keys(data)
    if not loops:
        return View(data, resources, errors=check_entries(resources, rel))
    out, errors = dict(data), _without_extensions(data, loops, rel)
    conditions = data.get("Conditions")
    if isinstance(conditions, Mapping) and any(is_loop(k) for k in conditions):
        found = expand(conditions, ctx, rel)  # undecided conditions stay undefined: free
        out["Conditions"], errors = found.section, errors + found.errors
        ctx.template = out
    found = expand(resources, ctx, rel)
    out["Resources"] = found.section
    ctx.template = out
    errors += found.errors + check_entries(found.section, rel)
    placeholders = Node()
    for item in found.undecided:
        placeholders[item.key], placeholders.key_pos[item.key] = item.resource, (item.line,
                                                                                  item.col)
    errors += check_entries(placeholders, rel)
    return View(out, found.section, found.undecided, errors)


def loop_keys(data: Mapping[str, object]) -> list[tuple[str, tuple[int, int]]]:
    """Every loop in Conditions and Resources, with its position, in document order."""
    found: list[tuple[str, tuple[int, int]]] = []
    for section in ("Conditions", "Resources"):
        _loops_in(data.get(section), found)
    return found


def _loops_in(value: object, found: list[tuple[str, tuple[int, int]]]) -> None:
    # A plain recursive walk: templates are thousands of lines and this runs once per template.
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if is_loop(key):
                pos = value.key_pos.get(key, (1, 1)) if isinstance(value, Node) else (1, 1)
                found.append((str(key), pos))
            if isinstance(inner, (Mapping, list)):
                _loops_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            if isinstance(inner, (Mapping, list)):
                _loops_in(inner, found)


def _without_extensions(data: Mapping[str, object], loops: list[tuple[str, tuple[int, int]]],
                        rel: str) -> list[LoadError]:
    if LANGUAGE_EXTENSIONS in declared(data):
        return []
    name, (line, col) = loops[0]
    return [LoadError(Location(rel, line, col), f"{name} needs Transform: "
                      f"{LANGUAGE_EXTENSIONS}; CloudFormation rejects the template without it")]


def declared(data: Mapping[str, object]) -> list[object]:
    value = data.get("Transform")
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def unmodelled(data: Mapping[str, object]) -> Unknown | None:
    """Why the template's tables cannot be trusted as written, if a macro may rewrite them."""
    for name in declared(data):
        if not isinstance(name, str):
            return Unknown("the template declares a Transform that is not a macro name: it "
                           "may rewrite any resource")
        if name not in MODELLED:
            return Unknown(f"the template declares Transform {name}, a macro the analyzer "
                           "does not model: it may rewrite any resource")
    for arg in _snippets(data.get("Resources")):
        name = arg.get("Name") if isinstance(arg, Mapping) else None
        shown = name if isinstance(name, str) else "whose name is not known"
        return Unknown(f"Resources use Fn::Transform (macro {shown}), which the analyzer does "
                       "not model: it may rewrite any resource")
    return None


def _snippets(value: object) -> Iterator[object]:
    """The arguments of every `Fn::Transform` inside `value`."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key == "Fn::Transform":
                yield inner
            yield from _snippets(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _snippets(inner)


def distrust(snapshot: Snapshot, why: Unknown) -> None:
    """Nothing a macro may rewrite decides coverage: names, PITR and tags are unknown, and
    the template's selections may not exist as written."""
    snapshot.tables = [
        (replace(t, name=why, pitr=Pitr(why, t.pitr.location, why),
                 tags=Tags(t.tags.known, why)), u)
        for t, u in snapshot.tables
    ]
    snapshot.selections = [(replace(s, undecided=s.undecided or why), u)
                           for s, u in snapshot.selections]


def add_undecided(items: list[Undecided], snapshot: Snapshot, nested: list[NestedStack],
                  rel: str, prefix: str, ctx: Context) -> None:
    """What a loop with an undecided collection makes: its tables are unknown, its selections
    may select anything, its nested stacks cannot be followed."""
    for item in items:
        res = item.resource
        kind = res.get("Type") if isinstance(res, Mapping) else None
        why = Unknown(item.reason)
        where = Location(rel, item.line)
        address = prefix + item.key
        if not isinstance(kind, str) or "{" in kind or kind in TABLE_TYPES:  # maybe a table
            table = Table(address, why, stack_region(ctx), Tags(more=why), Pitr(why, None, why),
                          where)
            snapshot.tables.append((table, frozenset()))
        elif kind == SELECTION:
            sel = BackupSelection(address, why, why, (), (), (), where, stack_region(ctx),
                                  SELECTION, undecided=why)
            snapshot.selections.append((sel, frozenset()))
        elif kind in STACK_TYPES:
            nested.append(NestedStack(item.key, None, (), item.line))
