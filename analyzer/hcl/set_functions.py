"""Terraform's set algebra and list-shaping functions, registered into FUNCTIONS."""

from __future__ import annotations

import itertools

from analyzer.hcl import numbers
from analyzer.hcl.budget import check_elements, spend
from analyzer.hcl.collection_functions import as_set
from analyzer.hcl.element_types import unify
from analyzer.hcl.operators import equal
from analyzer.hcl.values import (
    EvalError,
    SetValue,
    Undecided,
    Value,
    concrete,
    function,
    need_bool,
    need_int,
    need_list,
    need_map,
    need_number,
    need_text,
    normalize_number,
)
from analyzer.model import Unknown

_RANGE_LIMIT = 1024  # Terraform refuses to build longer ranges


@function("setunion", 1, None)
def _setunion(*sets: Value) -> list[Value]:
    return as_set(item for items in sets for item in need_list(items))


@function("setintersection", 1, None)
def _setintersection(first: Value, *others: Value) -> list[Value]:
    rest = [as_set(concrete(need_list(items))) for items in others]
    return [item for item in as_set(concrete(need_list(first))) if all(item in s for s in rest)]


@function("setsubtract", 2)
def _setsubtract(first: Value, second: Value) -> list[Value]:
    removed = as_set(concrete(need_list(second)))
    return [item for item in as_set(concrete(need_list(first))) if item not in removed]


@function("range", 1, 3)
def _range(*args: Value) -> list[Value]:
    bounds = [need_number(arg) for arg in args]
    start, limit = (0, bounds[0]) if len(bounds) == 1 else (bounds[0], bounds[1])
    step = bounds[2] if len(bounds) == 3 else (1 if limit >= start else -1)
    if step == 0 or ((step > 0) != (limit >= start) and limit != start):
        raise EvalError(f"step {step} never reaches {limit} from {start}")
    out: list[Value] = []
    current = start
    while (current < limit) if step > 0 else (current > limit):
        if len(out) >= _RANGE_LIMIT:
            raise EvalError(f"more than {_RANGE_LIMIT} elements")
        out.append(normalize_number(current))
        current = numbers.arithmetic("+", current, step)  # 512 bits: range(0, 1, 0.1) has 10
    return out


@function("reverse", 1)
def _reverse(value: Value) -> list[Value]:
    return need_list(value)[::-1]


@function("sort", 1)
def _sort(value: Value) -> list[str]:
    return sorted(need_text(item, "a list of strings") for item in need_list(value))


@function("slice", 3)
def _slice(value: Value, start: Value, end: Value) -> list[Value]:
    items, first, last = need_list(value), need_int(start), need_int(end)
    if not 0 <= first <= last <= len(items):
        raise EvalError(f"indexes {first}..{last} are out of range for a list of {len(items)}")
    return items[first:last]


@function("one", 1)
def _one(value: Value) -> Value:
    items = need_list(value)
    if len(items) > 1:
        raise EvalError(f"one() takes a list of at most one element, not {len(items)}")
    return items[0] if items else None


def _kleene(value: Value, settles: bool) -> Value:
    """alltrue / anytrue: one element equal to `settles` decides, else unknown elements do."""
    undecided: Unknown | None = None
    for item in need_list(value):
        if item is None:  # Terraform counts null as false
            if not settles:
                return False
            continue
        try:
            if need_bool(item, "a list of bools") is settles:
                return settles
        except Undecided as unknown:
            undecided = undecided or unknown.unknown
    return undecided if undecided is not None else not settles


@function("alltrue", 1)
def _alltrue(value: Value) -> Value:
    return _kleene(value, False)


@function("anytrue", 1)
def _anytrue(value: Value) -> Value:
    return _kleene(value, True)


@function("sum", 1)
def _sum(value: Value) -> Value:
    items = need_list(value)
    if not items:
        raise EvalError("cannot sum an empty list")
    total = need_number(items[0])
    for item in items[1:]:
        total = numbers.arithmetic("+", total, need_number(item))  # 512 bits, as `+`
    return total


@function("chunklist", 2)
def _chunklist(value: Value, size: Value) -> list[Value]:
    items, step = unify(need_list(value)), need_int(size)
    if step < 0:
        raise EvalError("the chunk size must not be negative")
    if step == 0:
        return [items]
    return [items[i : i + step] for i in range(0, len(items), step)]


@function("matchkeys", 3)
def _matchkeys(values: Value, keys: Value, searchset: Value) -> list[Value]:
    items, names = unify(need_list(values)), unify(need_list(keys))
    wanted = unify(need_list(searchset))
    if len(items) != len(names):
        raise EvalError("values and keys must have the same length")
    out: list[Value] = []
    for item, name in zip(items, names, strict=True):
        found = [equal(name, target) for target in wanted]
        if True in found:
            out.append(item)
        elif any(isinstance(same, Unknown) for same in found):
            raise Undecided(next(s for s in found if isinstance(s, Unknown)))
    return out


@function("setproduct", 2, None)
def _setproduct(*collections: Value) -> list[Value]:
    """Every combination, the first argument's elements outermost; a set when any argument is
    a set, in Terraform's set order (`[10, "x"]` before `[9, "x"]`: element_types)."""
    lists = [need_list(items, "a set or list") for items in collections]
    size = 1
    for items in lists:
        size *= len(items)
    check_elements(size, "the result of setproduct()")
    spend(size)
    product = [list(combination) for combination in itertools.product(*lists)]
    return as_set(product) if any(isinstance(c, SetValue) for c in collections) else product


@function("transpose", 1)
def _transpose(value: Value) -> dict[str, list[str]]:
    mapping = need_map(value, "a map of lists of strings")
    out: dict[str, list[str]] = {}
    for key in sorted(mapping):
        for item in need_list(mapping[key], "a list of strings"):
            spend()
            if item is None:
                raise EvalError("transpose() takes lists of strings, not null elements")
            out.setdefault(need_text(item, "a list of strings"), []).append(key)
    return {key: out[key] for key in sorted(out)}
