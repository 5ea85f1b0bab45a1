"""HCL operators on evaluated values: arithmetic, comparison, equality and logic.

Unknown operands give the first Unknown; `&&` / `||` follow Kleene logic so that a decided
operand can settle the result (`false && unknown` is false).
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.hcl import numbers
from analyzer.hcl.values import (
    EvalError,
    Undecided,
    Value,
    is_list,
    is_number,
    need_bool,
    need_number,
    resolve,
    unknown_of,
)
from analyzer.model import Partial, Ref, Unknown


def equal(left: Value, right: Value) -> bool | Unknown:
    """Terraform `==`: deep, type-aware (1 == 1.0, but true != 1 and 1 != "1")."""
    left, right = resolve(left), resolve(right)
    for side in (left, right):
        if isinstance(side, Unknown):
            return side
    if isinstance(left, (Ref, Partial)) or isinstance(right, (Ref, Partial)):
        return _equal_partial(left, right)
    for side in (left, right):
        unknown = unknown_of(side)  # PartialMap
        if unknown is not None:
            return unknown
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if is_number(left) and is_number(right):
        return numbers.exact(left) == numbers.exact(right)
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if is_list(left) and is_list(right):
        return _equal_all(zip(left, right, strict=True)) if len(left) == len(right) else False
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        if sorted(left) != sorted(right):
            return False
        return _equal_all((left[key], right[key]) for key in sorted(left))
    return False


def _equal_all(pairs: object) -> bool | Unknown:
    undecided: Unknown | None = None
    for left, right in pairs:  # type: ignore[attr-defined]
        same = equal(left, right)
        if same is False:
            return False  # one certain difference settles it, whatever else is unknown
        if isinstance(same, Unknown) and undecided is None:
            undecided = same
    return undecided if undecided is not None else True


def _equal_partial(left: Value, right: Value) -> bool | Unknown:
    """Refs and partly known strings: identical forms are equal (a Partial only when it holds
    no Unknown piece, since two unknowns need not be the same value); a literal prefix or
    suffix that differs from a known string makes them unequal; anything else is unknown."""
    if left == right and not (
        isinstance(left, Partial) and any(isinstance(p, Unknown) for p in left.parts)
    ):
        return True
    for one, other in ((left, right), (right, left)):
        if not isinstance(one, Partial):
            continue  # a Ref's type is not known, a Partial is always a string
        if not isinstance(other, (str, Ref, Partial)):
            return False
        if isinstance(other, str):
            head, tail = one.parts[0], one.parts[-1]
            if isinstance(head, str) and not other.startswith(head):
                return False
            if isinstance(tail, str) and not other.endswith(tail):
                return False
    ref = left if isinstance(left, Ref) else right
    if isinstance(ref, Ref):
        return Unknown(f"{ref} is only known after apply")
    return Unknown(f'"{left if isinstance(left, Partial) else right}" is only partly known')


def unary(operator: str, operand: Value) -> Value:
    try:
        if operator == "!":
            return not need_bool(operand, "the operand of !")
        return numbers.negate(need_number(operand, "the operand of -"))
    except Undecided as undecided:
        return undecided.unknown


def logic(operator: str, left: Value, right: Value) -> Value:
    """`&&` and `||` in Kleene logic: a decided operand may settle an unknown one."""
    sides: list[bool | Unknown] = []
    for side in (left, right):
        try:
            sides.append(need_bool(side, f"an operand of {operator}"))
        except Undecided as undecided:
            sides.append(undecided.unknown)
    settles = operator == "||"  # true settles ||, false settles &&
    if settles in sides:
        return settles
    for side in sides:
        if isinstance(side, Unknown):
            return side
    return not settles


def binary(operator: str, left: Value, right: Value) -> Value:
    if operator in ("&&", "||"):
        return logic(operator, left, right)
    if operator in ("==", "!="):
        same = equal(left, right)
        if isinstance(same, Unknown):
            return same
        return same if operator == "==" else not same
    try:
        a = need_number(left, f"the left operand of {operator}")
        b = need_number(right, f"the right operand of {operator}")
    except Undecided as undecided:
        return undecided.unknown
    return _arithmetic(operator, a, b)


def _arithmetic(operator: str, a: float, b: float) -> Value:
    if operator in ("+", "-", "*", "/", "%"):
        try:
            return numbers.arithmetic(operator, a, b)
        except ZeroDivisionError:  # Terraform's infinity (`1/0`), or `x % 0`: a value, not an
            return Unknown("a division by zero")  # error (try() keeps it), that no verdict needs
        except numbers.NumberTooLarge as error:
            return Unknown(str(error))
    x, y = numbers.exact(a), numbers.exact(b)
    comparisons = {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}
    if operator in comparisons:
        return comparisons[operator]
    raise EvalError(f"unsupported operator {operator}")
