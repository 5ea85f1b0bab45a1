"""What Terraform does to a collection's elements before a function sees them, and how it
orders a set. Both checked against `terraform console` (tests/hcl/data/function_cases.txt).

- A tuple passed where a list or set is expected (`distinct`, `compact`, `tolist`, `toset`,
  `matchkeys`, `chunklist`) is converted to one element type first: numbers and bools to strings
  when any element is a string (`distinct([1, "1"])` is `["1"]`), nested lists alike; numbers
  with bools, or a primitive with a collection, is an error.
- A set of numbers is ordered by value, of strings by code point, of bools false first; a set
  of any other elements by cty's set hash text (`[10,"a"]` before `[9,"a"]`: `<10;` < `<9;`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, cast

from analyzer.hcl import numbers
from analyzer.hcl.values import (
    EvalError,
    Undecided,
    Value,
    is_list,
    is_number,
    primitive_kind,
    resolve,
    text_of,
)
from analyzer.model import Partial, PartialMap, Ref, Unknown

_PRIMITIVES = ("string", "number", "bool")


def unify(items: list[Value]) -> list[Value]:
    """The elements of a tuple converted to a list of one element type, as Terraform does."""
    kind = _common([_kind(item) for item in items])
    return [_convert(item, kind) for item in items]


def _kind(value: Value) -> object:
    """A value's type shape: "string", "number", "bool", "null", "unknown", ("tuple", kinds),
    ("map", inner), or "other" (a form whose type the code does not know); unified, also
    ("list", inner)."""
    value = resolve(value)
    if value is None:
        return "null"
    primitive = primitive_kind(value)
    if primitive is not None:
        return primitive
    if isinstance(value, Unknown):
        return "unknown"
    if is_list(value):  # a tuple, as far as the code knows: one type per position
        return ("tuple", tuple(_kind(item) for item in value))
    if isinstance(value, Mapping):
        return ("map", _common([_kind(value[key]) for key in value]))
    return "other"  # a PartialMap


def _common(kinds: list[object]) -> object:
    found = [k for k in kinds if k != "null"]
    if not found:
        return "null"
    if any(k in ("unknown", "other") for k in found):
        if any(k in ("number", "bool") for k in found):
            return "unknown"  # an unknown element may be a string, and turn these into text
        return "keep"
    primitive = {k for k in found if isinstance(k, str)}
    if primitive:
        if any(not isinstance(k, str) for k in found):
            raise EvalError("all elements must have the same type (a value and a collection)")
        if len(primitive) == 1:
            return primitive.pop()
        if "string" not in primitive:
            raise EvalError("all elements must have the same type (numbers and bools)")
        return "string"
    shapes: list[tuple[str, object]] = [k for k in found if isinstance(k, tuple)]
    if {shape for shape, _ in shapes} == {"map"}:
        return ("map", _common([inner for _, inner in shapes]))
    if {shape for shape, _ in shapes} != {"tuple"}:
        raise Undecided(Unknown("a list of lists and maps is not unified here"))
    positions = [inner for _, inner in shapes if isinstance(inner, tuple)]
    if len({len(kinds) for kinds in positions}) == 1:
        return ("tuple", tuple(_common(list(column)) for column in zip(*positions, strict=True)))
    # tuples of several lengths are lists: one element type for all
    return ("list", _common([inner for kinds in positions for inner in kinds]))


def _convert(value: Value, kind: object) -> Value:
    if value is None or kind in ("keep", "null", "number", "bool"):
        return value
    if kind == "unknown":
        return value if isinstance(resolve(value), (str, Ref, Partial, Unknown)) else Unknown(
            "an element that may be converted to a string by an element the code does not "
            "decide")
    if kind == "string":  # a reference keeps its identity
        text = text_of(value)
        return value if isinstance(value, (Ref, Partial)) or text is None else text
    shape, inner = cast(tuple[str, Any], kind)
    resolved = resolve(value)
    if shape == "tuple":
        return [_convert(item, k) for item, k in zip(resolved, inner, strict=True)]
    if shape == "list":
        return [_convert(item, inner) for item in resolved]
    return {key: _convert(resolved[key], inner) for key in resolved}


def set_key(value: Value) -> tuple[int, Any]:
    """The sort key of a set element, in Terraform's order."""
    if isinstance(value, bool):
        return (0, value)
    if is_number(value):
        return (1, numbers.exact(value))
    if isinstance(value, str):
        return (2, value)
    return (3, hash_text(value))


def hash_text(value: Value) -> str:
    """cty's set hash text of a known value: numbers at 10 digits (`%g`), strings quoted as Go
    quotes them, lists `[a;b;]`, maps `{"k":v;}`, null `~`."""
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "T" if value else "F"
    if is_number(value):
        return _g10(value)
    if isinstance(value, str):
        return _go_quote(value)
    if is_list(value):
        return "[" + "".join(hash_text(item) + ";" for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + "".join(f"{_go_quote(k)}:{hash_text(value[k])};" for k in sorted(value)) + "}"
    if isinstance(value, (PartialMap, Unknown, Ref, Partial)):
        raise Undecided(Unknown("a set of elements that are not known is not ordered"))
    raise Undecided(Unknown(f"a set element {value!r} is not ordered"))


def _g10(value: float) -> str:
    """Go's big.Float String(), `Text('g', 10)`: ten significant digits, an exponent (of two
    digits at least) below 1e-4 or from 1e10 (or sooner when fewer digits are shown)."""
    exact = numbers.exact(value)
    if exact == 0:
        return "0"
    sign = "-" if exact < 0 else ""
    digits, point = numbers.decimal_digits(abs(Fraction(exact)), 10)
    shown = 10 if not (len(digits) < 10 and len(digits) >= point) else len(digits)
    exponent = point - 1
    if exponent < -4 or exponent >= shown:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _go_quote(text: str) -> str:
    """strconv.Quote: printable characters as they are, the rest escaped."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\a\b\f\n\r\t\v":
            out.append("\\" + "abfnrtv"["\a\b\f\n\r\t\v".index(char)])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)
