"""`Fn::ForEach` (the `AWS::LanguageExtensions` transform), expanded as CloudFormation does.

`Fn::ForEach::<UniqueLoopName>: [Identifier, Collection, OutputTemplate]` in `Resources` (or
`Conditions`, or a mapping inside a resource) makes one copy of each output entry per item of
the collection: `${Identifier}` and `&{Identifier}` (the item without its non-alphanumeric
characters) are replaced in keys and in every string, `Ref: Identifier` becomes the item, and
loops inside the output are expanded in turn. The collection is evaluated in the current
scenario (`intrinsics.evaluate`): a literal list, a list parameter, `Fn::Split`, `Fn::FindInMap`.

A collection the code cannot decide makes objects nobody can name: each output entry is kept
as an `Undecided` (its unexpanded key, e.g. `Table${Name}`), so that its tables are reported as
unknown, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzer.cloudformation.decode import Node
from analyzer.cloudformation.intrinsics import Context, evaluate, text_of
from analyzer.model import LoadError, Location, Unknown

LOOP = "Fn::ForEach::"
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]+")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
MAX_ITEMS = 10_000  # more output entries than any template may hold


@dataclass(frozen=True)
class Undecided:
    """An output entry of a loop whose collection is not known: the objects it makes."""

    key: str  # as written, e.g. "Table${Name}"
    resource: object  # a mapping, unless the template is malformed
    line: int
    col: int
    reason: str


@dataclass
class Expansion:
    """A section with its loops expanded, the entries that could not be, and the problems."""

    section: Node
    undecided: list[Undecided] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # why each undecided loop is
    overflow: bool = False


def is_loop(key: object) -> bool:
    return isinstance(key, str) and key.startswith(LOOP)


def substitute(value: object, ident: str, item: str) -> object:
    """`value` with the loop variable `ident` replaced by `item` (positions kept)."""
    if isinstance(value, str):
        return substitute_text(value, ident, item)
    if isinstance(value, list):
        return [substitute(v, ident, item) for v in value]
    if isinstance(value, Mapping):
        if len(value) == 1 and value.get("Ref") == ident:
            return item
        out = _like(value)
        for key, inner in value.items():
            new_key = substitute_text(key, ident, item) if isinstance(key, str) else key
            out[new_key] = substitute(inner, ident, item)
            out.key_pos[new_key] = _pos(value, key)
        return out
    return value


def substitute_text(text: str, ident: str, item: str) -> str:
    text = text.replace("${" + ident + "}", item)
    return text.replace("&{" + ident + "}", _NOT_ALNUM.sub("", item))


def expand(section: Mapping[str, object], ctx: Context, rel: str) -> Expansion:
    """`section` (Resources or Conditions) with every loop expanded, entries in order."""
    out = Expansion(_like(section))
    for key, value in section.items():
        pos = _pos(section, key)
        if is_loop(key):
            _loop(str(key), value, pos, ctx, rel, out)
        else:
            _add(out, key, value, pos, ctx, rel, None)
    return out


def _loop(name: str, spec: object, pos: tuple[int, int], ctx: Context, rel: str,
          out: Expansion) -> None:
    parts = _parts(name, spec, pos, rel, out)
    if parts is None:
        return
    ident, raw, output = parts
    items = collection(raw, ctx)
    if isinstance(items, Unknown):
        reason = f"the collection of {name} is not known statically ({items.reason})"
        out.unknown.append(reason)
        _undecided(output, reason, pos, out)
        return
    for item in items:
        if out.overflow:
            return
        for key, value in output.items():
            new_key = substitute_text(key, ident, item) if isinstance(key, str) else key
            new_value = substitute(value, ident, item)
            if is_loop(new_key):
                _loop(str(new_key), new_value, pos, ctx, rel, out)
            else:
                _add(out, new_key, new_value, pos, ctx, rel, name)


def _parts(name: str, spec: object, pos: tuple[int, int], rel: str,
           out: Expansion) -> tuple[str, object, Mapping[str, object]] | None:
    ok = isinstance(spec, list) and len(spec) == 3
    if ok and isinstance(spec, list) and isinstance(spec[0], str) and isinstance(
            spec[2], Mapping) and _LOGICAL_ID.fullmatch(spec[0]):
        return spec[0], spec[1], spec[2]
    out.errors.append(LoadError(Location(rel, *pos), f"{name} must be a list of an identifier, "
                                "a collection and an output template (a mapping)"))
    return None


def collection(raw: object, ctx: Context) -> list[str] | Unknown:
    """The loop's items in this scenario, or why they are not known."""
    value = evaluate(raw, ctx)
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, list):
        return Unknown("it is not a list")
    items: list[str] = []
    for item in (text_of(v) for v in value):
        if isinstance(item, Unknown):
            return item
        if not isinstance(item, str):
            return Unknown("an item is not a known string")
        items.append(item)
    return list(dict.fromkeys(items))  # CloudFormation rejects duplicates; keep them once


def _undecided(output: Mapping[str, object], reason: str, pos: tuple[int, int],
               out: Expansion) -> None:
    for key, value in output.items():
        if is_loop(key):
            inner = value[2] if isinstance(value, list) and len(value) == 3 else None
            if isinstance(inner, Mapping):
                _undecided(inner, reason, pos, out)
        else:
            out.undecided.append(Undecided(str(key), value, *pos, reason))


def _add(out: Expansion, key: object, value: object, pos: tuple[int, int], ctx: Context,
         rel: str, loop: str | None) -> None:
    where = Location(rel, *pos)
    if loop is not None and not (isinstance(key, str) and _LOGICAL_ID.fullmatch(key)):
        out.errors.append(LoadError(where, f"{loop} makes the logical id {key!r}, which is not "
                                    "alphanumeric (&{Identifier} drops the other characters)"))
        return
    if key in out.section:
        made = f"{loop} makes {key}" if loop else f"{key} is declared"
        out.errors.append(LoadError(where, f"{made} more than once in the section"))
        return
    if len(out.section) >= MAX_ITEMS:
        if not out.overflow:
            out.errors.append(LoadError(where, f"loops make more than {MAX_ITEMS} entries"))
        out.overflow = True
        return
    value, reason = inner_loops(value, ctx, rel, out.errors)
    out.section[key] = value
    out.section.key_pos[key] = pos
    if reason is not None:
        out.unknown.append(reason)
        out.undecided.append(Undecided(str(key), value, *pos, reason))


def inner_loops(value: object, ctx: Context, rel: str,
                errors: list[LoadError]) -> tuple[object, str | None]:
    """Loops inside an entry (in its properties) expanded; the reason when one is undecided."""
    if isinstance(value, list):
        pairs = [inner_loops(v, ctx, rel, errors) for v in value]
        return [v for v, _ in pairs], next((r for _, r in pairs if r), None)
    if not isinstance(value, Mapping):
        return value, None
    if any(is_loop(k) for k in value):  # `expand` handles the entries' own loops
        found = expand(value, ctx, rel)
        errors.extend(found.errors)
        return found.section, found.unknown[0] if found.unknown else None
    out, reason = _like(value), None
    for key, inner in value.items():
        out[key], why = inner_loops(inner, ctx, rel, errors)
        out.key_pos[key] = _pos(value, key)
        reason = reason or why
    return out, reason


def _like(value: object) -> Node:
    out = Node()
    if isinstance(value, Node):
        out.line, out.col = value.line, value.col
    return out


def _pos(mapping: Mapping[str, object], key: object) -> tuple[int, int]:
    if isinstance(mapping, Node):
        return mapping.key_pos.get(key, (mapping.line, mapping.col))
    return (1, 1)
