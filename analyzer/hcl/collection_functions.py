"""Terraform's collection functions (lists, sets, maps), registered into FUNCTIONS.

Elements that are not known statically stay in place where the function does not need to look
at them (`concat`, `flatten`, `merge` values); a function that must compare or convert them
returns Unknown. Sets are sorted lists, in Terraform's order (numbers, then strings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from analyzer.hcl.budget import check_elements, spend
from analyzer.hcl.element_types import set_key, unify
from analyzer.hcl.graphemes import code_points
from analyzer.hcl.operators import equal
from analyzer.hcl.values import (
    EvalError,
    MapBuilder,
    SetValue,
    Undecided,
    Value,
    concrete,
    function,
    is_list,
    need_int,
    need_list,
    need_map,
    need_text,
    primitive_kind,
    resolve,
    text_of,
    unknown_of,
)
from analyzer.model import Partial, PartialMap, Ref, Unknown

_RANGE_LIMIT = 1024  # Terraform refuses to build longer ranges


@function("length", 1)
def _length(value: Value) -> int:
    value = resolve(value)
    if isinstance(value, str):
        return len(code_points(value, "length"))
    if isinstance(value, Mapping):
        return len(value)
    if value is None:
        raise EvalError("cannot take the length of null")
    return len(need_list(value, "a string, list or map"))


@function("concat", 1, None)
def _concat(*lists: Value) -> list[Value]:
    check_elements(sum(len(need_list(items)) for items in lists), "the result of concat()")
    return [item for items in lists for item in need_list(items)]


@function("flatten", 1)
def _flatten(value: Value) -> list[Value]:
    out: list[Value] = []
    for item in need_list(value):
        spend()
        if is_list(item):
            out.extend(_flatten(item))
            check_elements(len(out), "the result of flatten()")
        elif isinstance(item, Unknown):
            raise Undecided(item)  # it may be a list to flatten
        else:
            out.append(item)
    return out


@function("keys", 1)
def _keys(value: Value) -> list[str]:
    return sorted(need_map(value))


@function("values", 1)
def _values(value: Value) -> list[Value]:
    mapping = need_map(value)
    return [mapping[key] for key in sorted(mapping)]


@function("lookup", 2, 3)
def _lookup(value: Value, key: Value, *default: Value) -> Value:
    name = need_text(key, "a map key")
    if isinstance(value, PartialMap):
        if name in value.known or value.keys is None or name in value.keys:
            return value.known.get(name, value.more)
        mapping: Mapping[str, Value] = {}  # certainly absent: the default applies
    else:
        mapping = need_map(value)
    try:
        return mapping[name]
    except KeyError:
        if default:
            return default[0]
    raise EvalError(f'the map has no key "{name}" and no default was given')


@function("element", 2)
def _element(value: Value, index: Value) -> Value:
    items, position = need_list(value), need_int(index)
    if not items:
        raise EvalError("cannot use element() on an empty list")
    wrapped = abs(position) % len(items) * (1 if position >= 0 else -1)  # Go's remainder
    if wrapped < 0:
        raise EvalError(f"index {position} is out of range for a list of {len(items)}")
    return items[wrapped]


@function("contains", 2)
def _contains(value: Value, wanted: Value) -> Value:
    if wanted is None:
        raise EvalError("contains() cannot look for null")  # Terraform's error
    undecided: Unknown | None = None
    for item in need_list(value):
        same = equal(item, wanted)
        if same is True:
            return True
        if isinstance(same, Unknown) and undecided is None:
            undecided = same
    return undecided if undecided is not None else False


@function("index", 2)
def _index(value: Value, wanted: Value) -> Value:
    for position, item in enumerate(need_list(value)):
        same = equal(item, wanted)
        if isinstance(same, Unknown):
            return same
        if same:
            return position
    raise EvalError("the value is not in the list")


@function("distinct", 1)
def _distinct(value: Value) -> list[Value]:
    """Terraform's distinct; two references that may or may not be equal are both kept (the
    values the list holds are the same either way)."""
    kept: list[Value] = []
    for item in unify(need_list(value)):  # a tuple becomes a list of one type: [1, "1"] is ["1"]
        duplicate = False
        for other in kept:
            same = equal(item, other)
            if isinstance(same, Unknown) and not _has_identity(item, other):
                raise Undecided(same)
            duplicate = duplicate or same is True
        if not duplicate:
            kept.append(item)
    return kept


def _has_identity(*values: Value) -> bool:
    return all(isinstance(resolve(value), (Ref, Partial, str)) for value in values)


@function("compact", 1)
def _compact(value: Value) -> list[Value]:
    """Drops nulls and empty strings. References and partly known strings are kept: they name
    resource attributes (ARNs, names, ids) that are never empty."""
    out: list[Value] = []
    texts = [item if isinstance(item, (Ref, Partial)) else _unify_text(item)
             for item in need_list(value)]
    for item in unify(texts):  # a list of strings; references keep their identity
        item_value = resolve(item)
        if item_value is None or item_value == "":
            continue
        if isinstance(item_value, Unknown):
            raise Undecided(item_value)
        out.append(item)
    return out


@function("zipmap", 2)
def _zipmap(keys: Value, values: Value) -> dict[str, Value]:
    names, items = need_list(keys), need_list(values)
    if len(names) != len(items):
        raise EvalError(f"{len(names)} keys but {len(items)} values")
    return {need_text(name, "a map key"): item for name, item in zip(names, items, strict=True)}


@function("merge", 0, None)
def _merge(*maps: Value) -> Value:
    """Later keys win. An unknown map, or a map only known in part, may override any key before
    it: those values become Unknown and the result is a PartialMap."""
    built = MapBuilder()
    for mapping in maps:
        if mapping is None:
            continue
        if isinstance(mapping, PartialMap):
            built.put_unknown(mapping.more, mapping.known, mapping.keys)
        elif isinstance(mapping, Mapping):
            for key in mapping:
                built.put(key, mapping[key])
        elif unknown_of(mapping) is not None:
            built.put_unknown(unknown_of(mapping))  # type: ignore[arg-type]
        else:
            raise EvalError(f"merge() takes maps, not {type(mapping).__name__}")
    return built.result()


@function("tolist", 1)
def _tolist(value: Value) -> Value:
    return None if value is None else unify(need_list(value))


@function("toset", 1)
def _toset(value: Value) -> Value:
    return None if value is None else as_set(need_list(value))


def as_set(items: Iterable[Value]) -> SetValue:
    """A Terraform set: elements converted to one type, duplicates removed, in Terraform's order
    (element_types). References and partly known strings follow the known elements, in
    first-seen order."""
    known: list[Value] = []
    partial: list[Value] = []
    for item in items:
        item = resolve(item)
        if isinstance(item, (Ref, Partial)):
            if item not in partial:
                partial.append(item)
            continue
        if item is None:
            raise Undecided(Unknown("a set with a null element is not evaluated"))
        known.append(concrete(item))
    known = unify(known + partial)[: len(known)]
    unique: dict[tuple[int, Any], Value] = {}
    for item in known:
        unique.setdefault(set_key(item), item)
    return SetValue([unique[key] for key in sorted(unique)] + partial)


def _unify_text(item: Value) -> Value:
    text = text_of(item)
    return text if text is not None else item


@function("tomap", 1)
def _tomap(value: Value) -> Value:
    if value is None or isinstance(value, PartialMap):
        return value
    mapping = need_map(value)
    result = {key: mapping[key] for key in mapping}
    kinds = {_kind(item) for item in result.values()} - {"null"}
    if kinds & {"list", "map"} and len(kinds) > 1:
        raise EvalError("cannot convert the object to a map of any single type")
    if kinds == {"number", "bool"}:
        raise EvalError("cannot convert the object to a map of any single type")
    if kinds & {"list", "map"} and len({_shape(item) for item in result.values()}) > 1:
        keys = list(result)  # one element type, as for a list: {a = [1], b = ["x"]} has ["1"]
        return dict(zip(keys, unify([result[key] for key in keys]), strict=True))
    if "string" in kinds:
        result = {key: _unify_text(item) for key, item in result.items()}
    return result


def _kind(value: Value) -> str:
    value = resolve(value)
    if value is None:
        return "null"
    primitive = primitive_kind(value)
    if primitive is not None:
        return primitive
    if is_list(value):
        return "list"
    return "map" if isinstance(value, (Mapping, PartialMap)) else "unknown"


def _shape(value: Value) -> str:
    """The type structure of a value, to tell whether collections share one."""
    kind = _kind(value)
    value = resolve(value)
    if kind == "list":
        return "[" + ",".join(sorted({_shape(item) for item in value})) + "]"
    if kind == "map" and isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{_shape(value[k])}" for k in sorted(value)) + "}"
    return kind


@function("coalesce", 1, None)
def _coalesce(*values: Value) -> Value:
    """The first argument that is neither null nor "" (a reference counts as non-empty)."""
    any_text = any(isinstance(resolve(value), (str, Ref, Partial)) for value in values)
    for value in values:
        resolved = resolve(value)
        if resolved is None or resolved == "":
            continue
        if isinstance(resolved, Unknown):
            raise Undecided(resolved)
        if isinstance(value, Ref):
            return value  # keeps its identity
        return _unify_text(resolved) if any_text else resolved
    raise EvalError("no argument is neither null nor an empty string")


@function("coalescelist", 1, None)
def _coalescelist(*lists: Value) -> Value:
    for items in lists:
        found = need_list(items)
        if found:
            return found
    raise EvalError("no argument is a non-empty list")
