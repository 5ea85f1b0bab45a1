"""Terraform's built-in functions: the call dispatcher, `try`/`can`, types, encodings, numbers.

Strings, `format()` and `join()` are in `string_functions`; collections in `collection_functions`
and `set_functions`. Each function behaves exactly as Terraform's on known values. Partial forms
propagate: a helper that needs a decided value raises `Undecided`, and `call` returns its
Unknown as the result.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping

from analyzer.hcl import (  # noqa: F401 - they register
    collection_functions,
    encoding_functions,
    network_functions,
    numbers,
    path_functions,
    regex_functions,
    set_functions,
    template_functions,
    yaml_functions,
)
from analyzer.hcl.budget import check_elements, check_text, spend
from analyzer.hcl.file_functions import HOST_FUNCTIONS, SCOPED, CallSite
from analyzer.hcl.string_functions import json_text
from analyzer.hcl.syntax_tree import Tree
from analyzer.hcl.templates import Evaluator
from analyzer.hcl.unevaluated_functions import NOT_EVALUATED
from analyzer.hcl.values import (
    FUNCTIONS,
    EvalError,
    Undecided,
    Value,
    concrete,
    function,
    need_int,
    need_list,
    need_number,
    need_text,
    normalize_number,
    parse_number,
    resolve,
    type_name,
    unknown_of,
)
from analyzer.model import Partial, Ref, Unknown


def call(
    name: str, args: list[Tree], expand: bool, scope: Mapping[str, Value], ev: Evaluator
) -> Value:
    """Call a function on argument trees (`try`/`can` evaluate them lazily, the others eagerly)."""
    if name in ("try", "can"):
        return _try(args, scope, ev) if name == "try" else _can(args, scope, ev)
    host = scope.get(HOST_FUNCTIONS)
    host = host if isinstance(host, Mapping) and name in host else {}  # a host's (Terragrunt)
    if name in NOT_EVALUATED and not host:
        return Unknown(f"function {name}() is not evaluated: {NOT_EVALUATED[name]}")
    entry = FUNCTIONS.get(name)
    if name in SCOPED or host:  # it needs its call site: the scope (file access), argument trees
        impl, min_args, max_args = host[name] if host else SCOPED[name]
        entry = (functools.partial(impl, CallSite(name, args, scope, ev)), min_args, max_args)
    if entry is None:
        return Unknown(f"function {name}() is not evaluated")
    impl, min_args, max_args = entry
    try:
        values = [ev(arg, scope) for arg in args]
        if expand and values:
            values[-1:] = need_list(values[-1], f"the expanded last argument of {name}()")
        if len(values) < min_args or (max_args is not None and len(values) > max_args):
            raise EvalError(f"{name}() takes {_arity(min_args, max_args)}, not {len(values)}")
        return _within_limits(impl(*values), name)
    except Undecided as undecided:
        return undecided.unknown
    except EvalError as error:
        if error.where is None and not str(error).startswith(f"{name}()"):
            error.args = (f"{name}(): {error}",)
        raise


def _within_limits(result: Value, name: str) -> Value:
    """A function's result, unless it is larger than the evaluator's limits (then unknown)."""
    if isinstance(result, str):
        check_text(len(result), f"the result of {name}()")
    elif isinstance(result, (list, tuple, dict)):
        spend(len(result))
        check_elements(len(result), f"the result of {name}()")
    return result


def _arity(min_args: int, max_args: int | None) -> str:
    if max_args is None:
        return f"at least {min_args} arguments"
    if max_args == min_args:
        return f"{min_args} argument{'s' if min_args != 1 else ''}"
    return f"{min_args} to {max_args} arguments"


def _try(args: list[Tree], scope: Mapping[str, Value], ev: Evaluator) -> Value:
    """The first argument that evaluates without an error; an unknown one may still fail, so
    the result is unknown then."""
    for arg in args:
        try:
            return ev(arg, scope)
        except EvalError:
            continue
        except Undecided as undecided:
            return undecided.unknown
    raise EvalError("try(): no argument could be evaluated without an error")


def _can(args: list[Tree], scope: Mapping[str, Value], ev: Evaluator) -> Value:
    if len(args) != 1:
        raise EvalError("can() takes 1 argument")
    try:
        value = ev(args[0], scope)
    except EvalError:
        return False
    except Undecided as undecided:
        return undecided.unknown
    return value if isinstance(value, Unknown) else True


# Types --------------------------------------------------------------------------------------


@function("tostring", 1)
def _tostring(value: Value) -> Value:
    if value is None or isinstance(value, (str, Ref, Partial, Unknown)):
        return value  # a reference keeps its identity
    return need_text(value, "a string, number or bool")


@function("tonumber", 1)
def _tonumber(value: Value) -> Value:
    return None if value is None else need_number(value)


@function("tobool", 1)
def _tobool(value: Value) -> Value:
    value = resolve(value)
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    unknown = unknown_of(value)
    if unknown is not None:
        raise Undecided(unknown)
    raise EvalError(f"cannot convert {type_name(value)} to bool")


for _identity in ("sensitive", "nonsensitive"):
    function(_identity, 1)(lambda value: value)


# Encodings ----------------------------------------------------------------------------------


@function("jsonencode", 1)
def _jsonencode(value: Value) -> str:
    return json_text(concrete(value))


@function("jsondecode", 1)
def _jsondecode(value: Value) -> Value:
    try:
        return json.loads(need_text(value), parse_float=_json_number, parse_constant=_bad_constant)
    except ValueError as error:
        raise EvalError(f"invalid JSON: {error}") from None


def _json_number(text: str) -> int | float:
    number = parse_number(text)  # JSON's numbers are the ones HCL reads
    if number is None:
        raise EvalError(f"invalid JSON number {text}")
    return number


def _bad_constant(text: str) -> None:
    raise ValueError(f"{text} is not valid JSON")


# Numbers ------------------------------------------------------------------------------------


@function("abs", 1)
def _abs(value: Value) -> Value:
    number = need_number(value)
    return numbers.negate(number) if numbers.exact(number) < 0 else number


@function("ceil", 1)
def _ceil(value: Value) -> Value:
    return math.ceil(numbers.exact(need_number(value)))


@function("floor", 1)
def _floor(value: Value) -> Value:
    return math.floor(numbers.exact(need_number(value)))


@function("signum", 1)
def _signum(value: Value) -> Value:
    number = need_int(value)  # Terraform's signum takes whole numbers only
    return (number > 0) - (number < 0)


@function("pow", 2)
def _pow(base: Value, exponent: Value) -> Value:
    """In float64 as Go computes it (the result carries 53 bits)."""
    try:
        result = numbers.go_pow(float(need_number(base)), float(need_number(exponent)))
    except (OverflowError, ZeroDivisionError):
        result = math.inf
    if result is None:
        raise Undecided(Unknown("pow() with a fractional exponent is computed by Go's float64 "
                                "library, which is not reproduced here"))
    if math.isinf(result) or math.isnan(result):
        raise Undecided(Unknown("pow() of these values is not a finite number"))
    return normalize_number(result)


@function("log", 2)
def _log(value: Value, base: Value) -> Value:
    number, radix = float(need_number(value)), float(need_number(base))
    if number <= 0 or radix <= 0 or math.isinf(number) or math.isinf(radix):
        raise Undecided(Unknown("log() of this value is not a finite number"))
    result = numbers.go_log(number) / numbers.go_log(radix) if radix != 1 else math.inf
    if math.isinf(result) or math.isnan(result):
        raise Undecided(Unknown("log() of this value is not a finite number"))
    return normalize_number(result)


@function("max", 1, None)
def _max(*values: Value) -> Value:
    return max((need_number(number) for number in values), key=numbers.exact)


@function("min", 1, None)
def _min(*values: Value) -> Value:
    return min((need_number(number) for number in values), key=numbers.exact)


@function("parseint", 2)
def _parseint(value: Value, base: Value) -> Value:
    text, radix = need_text(value), need_int(base)
    if not 2 <= radix <= 62:
        raise EvalError(f"the base must be between 2 and 62, not {radix}")
    if radix > 36:  # Python's int() goes only to 36
        raise Undecided(Unknown(f"parseint() in base {radix} is not evaluated"))
    prefix = {2: "0b", 8: "0o", 16: "0x"}.get(radix, "")  # Python accepts these, Go does not
    digits = text.lstrip("+-").lower()
    if not re.fullmatch(r"[-+]?[0-9a-zA-Z]+", text) or (prefix and digits.startswith(prefix)):
        raise EvalError(f"cannot parse {text!r} as a base {radix} integer")
    try:
        return numbers.whole(text, radix)
    except numbers.NumberTooLarge as error:
        raise Undecided(Unknown(f"parseint(): {error}")) from None
    except ValueError:
        raise EvalError(f"cannot parse {text!r} as a base {radix} integer") from None
