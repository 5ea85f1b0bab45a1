"""Value helpers shared by the HCL evaluator, its operators and its function library.

Values are JSON-like Python data or the model's partial forms (`Unknown`, `Ref`, `Partial`,
`PartialMap`). Two exceptions carry control flow: `EvalError` is a real HCL error (what `try()`
and `can()` catch), `Undecided` carries an `Unknown` out of a helper to the nearest operator or
function call, which returns it as the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from analyzer.hcl import numbers
from analyzer.model import Partial, PartialMap, Ref, Unknown, union_keys

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_INTEGER = re.compile(r"-?\d+")

Value = Any  # see analyzer.model.Value: kept as Any so the helpers stay easy to type


class EvalError(Exception):
    """An error Terraform itself would report (bad type, missing key, wrong arity).

    `where` is the expression it happened in, when a deeper level already knows it."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


class Undecided(Exception):  # not an error: a value not known statically
    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


# name -> (implementation, min args, max args or None); filled by the *functions modules
FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int | None]] = {}


def function(
    name: str, min_args: int, max_args: int | None = -1
) -> Callable[[Callable[..., Value]], Callable[..., Value]]:
    """Register a library function; `max_args` defaults to `min_args`, None means variadic."""

    def register(impl: Callable[..., Value]) -> Callable[..., Value]:
        FUNCTIONS[name] = (impl, min_args, min_args if max_args == -1 else max_args)
        return impl

    return register


class SetValue(list[Any]):
    """A list that is a Terraform set (toset, the set functions, a set type), in Terraform's
    order; `setproduct` of one is a set too. Any other list is a list or a tuple."""


def after_apply(ref: Ref) -> Unknown:
    return Unknown(f"{ref} is only known after apply")


def is_list(value: Value) -> bool:
    return isinstance(value, (list, tuple))


def is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def primitive_kind(value: Value) -> str | None:
    """"string" (references and partly known strings too), "bool" or "number"; None for null,
    collections and unknowns, which each caller names its own way."""
    if isinstance(value, (str, Ref, Partial)):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number" if is_number(value) else None


def type_name(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, (str, Partial, Ref)):
        return "string"
    if is_list(value):
        return "list"
    if isinstance(value, (Mapping, PartialMap)):
        return "map"
    return "unknown value"


def normalize_number(number: float) -> int | float:
    """Terraform has one number type: an integral value is an int here, whatever its spelling
    (but a float64 result past 2**53, whose text is its 17 digits and zeros; see numbers.py)."""
    if isinstance(number, float) and not isinstance(number, numbers.Real):
        if math.isnan(number) or math.isinf(number):
            raise EvalError("the result is not a finite number")
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
    return number


def number_text(number: float) -> str:
    """Numbers as Terraform prints them: no exponent, no trailing `.0`, every digit of 512 bits."""
    return numbers.text(normalize_number(number))


def resolve(value: Value) -> Value:
    """A Ref whose concrete value the code decides stands for that value."""
    if isinstance(value, Ref) and value.value is not None:
        return value.value
    return value


def unknown_of(value: Value) -> Unknown | None:
    """The Unknown a value stands for when it is not a decided value at the top level."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref) and value.value is None:
        return after_apply(value)
    if isinstance(value, PartialMap):
        return value.more
    return None


def text_of(value: Value) -> str | None:
    """The text of a string, number or bool as Terraform converts it; None for other values."""
    value = resolve(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    return None


def need_text(value: Value, what: str = "a string") -> str:
    text = text_of(value)
    if text is not None:
        return text
    unknown = unknown_of(value)
    if unknown is not None:
        raise Undecided(unknown)
    if isinstance(value, Partial):
        raise Undecided(Unknown(f'"{value}" is only partly known'))
    raise EvalError(f"{what} is required, not {type_name(value)}")


def need_number(value: Value, what: str = "a number") -> int | float:
    value = resolve(value)
    if is_number(value):
        return normalize_number(value)
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise EvalError(f"{what} is required, not the string {value!r}")
        return number
    need_text(value, what)  # raises Undecided for partial forms
    raise EvalError(f"{what} is required, not {type_name(value)}")


def parse_number(text: str) -> int | float | None:
    """A number written as Terraform accepts it in a string ("5", "-1.5", "1e3"), else None."""
    if not _NUMBER.fullmatch(text):
        return None
    try:
        if _INTEGER.fullmatch(text) and len(text) <= numbers.MAX_DIGITS:
            return int(text)
        return numbers.parse(text)
    except numbers.NumberTooLarge as error:
        raise Undecided(Unknown(f"{text}: {error}")) from None


def need_int(value: Value, what: str = "a whole number") -> int:
    number = need_number(value, what)
    if isinstance(number, float) and number.is_integer():  # a float64 result past 2**53
        return int(number)
    if not isinstance(number, int):
        raise EvalError(f"{what} is required, not {number_text(number)}")
    return number


def need_bool(value: Value, what: str = "a bool") -> bool:
    value = resolve(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):  # Terraform converts these
        return value == "true"
    unknown = unknown_of(value)
    if unknown is not None:
        raise Undecided(unknown)
    raise EvalError(f"{what} is required, not {type_name(value)}")


def need_list(value: Value, what: str = "a list") -> list[Value]:
    if is_list(value):
        return list(value)
    unknown = unknown_of(value)
    if unknown is not None:
        raise Undecided(unknown)
    raise EvalError(f"{what} is required, not {type_name(value)}")


def need_map(value: Value, what: str = "a map") -> Mapping[str, Value]:
    if isinstance(value, Mapping):
        return value
    unknown = unknown_of(value)
    if unknown is not None:
        raise Undecided(unknown)
    raise EvalError(f"{what} is required, not {type_name(value)}")


def concrete(value: Value) -> Value:
    """The value as plain data, Refs resolved; raises Undecided if any part is not known."""
    value = resolve(value)
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if is_list(value):
        return [concrete(item) for item in value]
    if isinstance(value, Mapping):
        return {key: concrete(value[key]) for key in value}
    need_text(value)  # Partial, unknown Ref, Unknown, PartialMap: raises Undecided
    raise EvalError(f"unexpected value {value!r}")


def first_unknown(values: Iterable[Value]) -> Unknown | None:
    for value in values:
        unknown = unknown_of(value)
        if unknown is not None:
            return unknown
    return None


class MapBuilder:
    """Builds a map in which some keys may not be known statically (merge(), object keys).

    Once a key or a whole map is unknown, every value set before it may be overridden, so those
    become Unknown; values set afterwards stay certain.
    """

    def __init__(self) -> None:
        self.known: dict[str, Value] = {}
        self.more: Unknown | None = None
        self.more_keys: frozenset[str] | None = frozenset()  # what unknown maps may add

    def put(self, key: str, value: Value) -> None:
        self.known.pop(key, None)  # keep insertion order of the last writer, like a fresh map
        self.known[key] = value

    def put_unknown(self, unknown: Unknown, keep: Mapping[str, Value] | None = None,
                    keys: frozenset[str] | None = None) -> None:
        """Some unknown keys land here (only among `keys` when given); `keep` holds the ones
        that are known (a PartialMap)."""
        keep = keep or {}
        note = Unknown(f"may be overridden by a map the code does not decide ({unknown.reason})")
        for key in list(self.known):
            if key not in keep and (keys is None or key in keys):
                self.known[key] = note
        for key in keep:
            self.put(key, keep[key])
        if self.more is None:
            self.more = unknown
        self.more_keys = union_keys(self.more_keys, keys)

    def result(self) -> Value:
        if self.more is None:
            return self.known
        return PartialMap(self.known, self.more, self.more_keys)


class EvalScope(Mapping[str, Value]):
    """A scope with some names overlaid (for-expression iterators, `each`, `count`).

    Lookups fall through to the parent one key at a time, so lazy parent values stay lazy.
    """

    def __init__(self, parent: Mapping[str, Value], names: Mapping[str, Value]) -> None:
        self._parent = parent
        self._names = names

    def __getitem__(self, key: str) -> Value:
        if key in self._names:
            return self._names[key]
        return self._parent[key]

    def __contains__(self, key: object) -> bool:
        return key in self._names or key in self._parent

    def __iter__(self) -> Iterator[str]:
        yield from self._names
        for key in self._parent:
            if key not in self._names:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


def iterate(collection: Value) -> list[tuple[Value, Value]]:
    """(key, value) pairs of a for-expression's collection: lists by index, maps by sorted key.

    Raises Undecided when the collection is not known statically.
    """
    if is_list(collection):
        return list(enumerate(collection))
    if isinstance(collection, Mapping):
        return [(key, collection[key]) for key in sorted(collection)]
    unknown = unknown_of(collection)
    if unknown is not None:
        raise Undecided(unknown)
    raise EvalError(f"cannot iterate over {type_name(collection)}")
