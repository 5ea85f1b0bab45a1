"""Values converted to a type constraint, as Terraform converts a variable's value.

Terraform's rules (checked against real `terraform plan`, see tests/hcl/test_convert.py):
strings, numbers and bools convert into each other where the text allows (`"true"` and `"1"`
are true, `"false"` and `"0"` false, `"1e3"` is 1000, a number is its decimal text; a number is
never a bool); a list or tuple converts to a set (duplicates removed, elements ordered), a set to
a list; an object type keeps only its attributes, gives an absent or null `optional` attribute
its default (null without one), and requires every other attribute; `list(any)`, `map(any)`
unify primitive elements to one type (to string when one is a string). A value that does not
convert is a `ConversionError` with the path to the element. What is not known stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from analyzer.hcl import numbers
from analyzer.hcl.collection_functions import as_set
from analyzer.hcl.syntax_tree import Tree
from analyzer.hcl.types import ANY, PRIMITIVES, ObjectAttribute, Type, TypeSyntaxError, parse_type
from analyzer.hcl.values import (
    Undecided,
    Value,
    is_number,
    normalize_number,
    number_text,
    primitive_kind,
)
from analyzer.model import Partial, PartialMap, Ref, Unknown

# What Go's big.Float accepts in a string converted to a number (cty's rule): no spaces, no
# hexadecimal, no `_`; a sign, a leading or trailing point and an exponent are fine.
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_TRUE, _FALSE = ("true", "1"), ("false", "0")


class ConversionError(Exception):
    """A value that does not convert to a type; `path` leads to the element that does not."""

    def __init__(self, message: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return ": ".join((*self.path, self.message))


class ListValue(list[Value]):
    """A list that is certainly a list or a tuple, never a set: converted to a list or tuple
    type, or written as a tuple in a variables file. Terraform's `for_each` rejects it.
    `kind` says its type as Terraform does ("list of string", "tuple")."""

    def __init__(self, items: list[Value], kind: str) -> None:
        super().__init__(items)
        self.kind = kind


def checked_type(expr: Tree) -> Type:
    """The type an expression spells, with every optional attribute's default converted to its
    type; raises TypeSyntaxError when Terraform would reject it."""
    return _checked(parse_type(expr))


def _checked(kind: Type) -> Type:
    if kind.element is not None:
        return replace(kind, element=_checked(kind.element))
    if kind.elements:
        return replace(kind, elements=tuple(_checked(e) for e in kind.elements))
    if kind.attributes:
        return replace(kind, attributes=tuple(_checked_attribute(a) for a in kind.attributes))
    return kind


def _checked_attribute(attribute: ObjectAttribute) -> ObjectAttribute:
    inner = _checked(attribute.type)
    if attribute.default is None:
        return replace(attribute, type=inner)
    try:
        default = convert(attribute.default, inner)
    except ConversionError as error:
        raise TypeSyntaxError(f'the default of the optional attribute "{attribute.name}" does '
                              f"not fit its type: {error}") from None
    return replace(attribute, type=inner, default=default)


def convert(value: Value, kind: Type, path: tuple[str, ...] = ()) -> Value:
    """`value` as a value of type `kind`; raises ConversionError where Terraform would."""
    if kind.kind == "any" or value is None or isinstance(value, Unknown):
        return value
    if kind.kind in PRIMITIVES:
        return _primitive(value, kind.kind, path)
    if isinstance(value, PartialMap):
        return _partial_map(value, kind, path)
    if isinstance(value, Ref) and value.value is None:
        return Unknown(f"{value} is only known after apply")
    if kind.kind in ("list", "set", "tuple"):
        return _sequence(value, kind, path)
    return _mapping(value, kind, path)


def _primitive(value: Value, kind: str, path: tuple[str, ...]) -> Value:
    if kind == "string" and isinstance(value, (str, Ref, Partial)):
        return value  # a reference keeps its identity
    if isinstance(value, Ref):
        value = value.value if value.value is not None else Unknown(
            f"{value} is only known after apply")
    if isinstance(value, (Unknown, Partial)):
        return value if isinstance(value, Unknown) else Unknown(
            f'"{value}" is only partly known, so its {kind} value is not known')
    if kind == "string" and isinstance(value, bool):
        return "true" if value else "false"
    if kind == "string" and is_number(value):
        return number_text(value)
    if kind == "number" and is_number(value):
        return normalize_number(value)
    if kind == "number" and isinstance(value, str):
        return _number(value, path)
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "bool" and isinstance(value, str):
        return _bool(value, path)
    raise ConversionError(f"{kind} required", path)


def _number(text: str, path: tuple[str, ...]) -> Value:
    if not _NUMBER.fullmatch(text):
        if text.lstrip("+-").lower() in ("inf", "infinity"):
            return Unknown(f'"{text}" converts to an infinite number')
        raise ConversionError("a number is required", path)
    try:
        if re.fullmatch(r"[-+]?\d+", text):
            return numbers.whole(text)
        return numbers.parse(text)
    except numbers.NumberTooLarge as error:
        return Unknown(f'"{text}": {error}')


def _bool(text: str, path: tuple[str, ...]) -> bool:
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    if text.lower() in ("true", "false"):
        raise ConversionError(
            f'a bool is required; to convert from string, use lowercase "{text.lower()}"', path)
    raise ConversionError("a bool is required", path)


def _sequence(value: Value, kind: Type, path: tuple[str, ...]) -> Value:
    if not isinstance(value, (list, tuple)):
        raise ConversionError(f"{kind} required", path)
    if kind.kind == "tuple":
        if len(value) != len(kind.elements):
            raise ConversionError(
                f"a tuple of {len(kind.elements)} elements is required, not {len(value)}", path)
        items = [convert(v, t, (*path, f"element {i}"))
                 for i, (v, t) in enumerate(zip(value, kind.elements, strict=True))]
        return ListValue(items, "tuple")
    element = kind.element or ANY
    items = [convert(v, element, (*path, f"element {i}")) for i, v in enumerate(value)]
    if element.kind == "any":
        items = _unify(items, "list" if kind.kind == "list" else "set", path)
    if kind.kind == "list":
        return ListValue(items, str(kind))
    try:
        return as_set(items)
    except Undecided as undecided:
        return Unknown(f"a set with an element that is not known ({undecided.unknown.reason})")


def _mapping(value: Value, kind: Type, path: tuple[str, ...]) -> Value:
    if not isinstance(value, Mapping):
        raise ConversionError(f"{kind} required", path)
    if kind.kind == "object":
        return {a.name: _attribute(value, a, path) for a in kind.attributes}
    element = kind.element or ANY
    keys = sorted(value)
    items = [convert(value[k], element, (*path, f'element "{k}"')) for k in keys]
    if element.kind == "any":
        items = _unify(items, "map", path)
    return dict(zip(keys, items, strict=True))


def _attribute(value: Mapping[str, Value], attribute: ObjectAttribute,
               path: tuple[str, ...]) -> Value:
    """One attribute of an object type. Extra attributes of the value are dropped."""
    try:
        given = value[attribute.name]
    except KeyError:
        if attribute.optional:
            return attribute.default
        raise ConversionError(f'attribute "{attribute.name}" is required', path) from None
    if given is None and attribute.optional:
        return attribute.default
    return convert(given, attribute.type, (*path, f'attribute "{attribute.name}"'))


def _partial_map(value: PartialMap, kind: Type, path: tuple[str, ...]) -> Value:
    """A map known in part: an attribute it does not show may be among the unknown keys."""
    if kind.kind == "map":
        known = _mapping(value.known, kind, path)
        return PartialMap(known, value.more, value.keys)
    if kind.kind != "object":
        return value.more
    out: dict[str, Value] = {}
    for attribute in kind.attributes:
        if attribute.name in value.known:
            out[attribute.name] = _attribute(value.known, attribute, path)
        else:
            out[attribute.name] = Unknown(
                f'attribute "{attribute.name}" may be set by a map the code does not decide '
                f"({value.more.reason})")
    return out


def _unify(items: list[Value], what: str, path: tuple[str, ...]) -> list[Value]:
    """Elements of an `any` collection take one type. Only primitives are unified here (to
    string when one is a string, else they must agree); other mixes are kept as they are."""
    kinds = {_primitive_kind(item) for item in items if item is not None}
    kinds.discard("unknown")
    if not kinds <= set(PRIMITIVES) or len(kinds) <= 1:
        return items
    if "string" not in kinds:
        raise ConversionError(f"all {what} elements must have the same type", path)
    return [item if item is None else _primitive(item, "string", path) for item in items]


def _primitive_kind(value: Value) -> str:
    kind = primitive_kind(value)
    if kind is not None:
        return kind
    return "unknown" if isinstance(value, Unknown) else "complex"
