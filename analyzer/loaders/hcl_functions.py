"""Terraform's built-in functions: the call dispatcher, `try`/`can`, strings, numbers, types and
encodings (collection functions are in hcl_collections).

Each function behaves exactly as Terraform's on known values. Partial forms propagate: a helper
that needs a decided value raises `Undecided`, and `call` returns its Unknown as the result.
`format()` and `join()` keep references and unknown pieces, building a `Partial` string.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

from lark import Tree

from analyzer.loaders import hcl_collections  # noqa: F401 - registers the collection functions
from analyzer.loaders.hcl_templates import Evaluator, Piece, build_text, pieces
from analyzer.loaders.hcl_values import (
    FUNCTIONS,
    EvalError,
    Undecided,
    Value,
    concrete,
    function,
    is_list,
    is_number,
    need_int,
    need_list,
    need_number,
    need_text,
    normalize_number,
    number_text,
    parse_number,
    resolve,
    text_of,
    type_name,
    unknown_of,
)
from analyzer.model import Partial, Ref, Unknown

_FILE_FUNCTIONS = frozenset(
    "file fileexists fileset filebase64 templatefile filemd5 filesha1 filesha256 filesha512 "
    "filebase64sha256 filebase64sha512".split()
)
_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d*))?(?:\[(\d+)\])?([a-zA-Z%])")


def call(name: str, args: list[Tree], expand: bool, scope: Mapping[str, Value], ev: Evaluator) -> Value:
    """Call a function on argument trees (`try`/`can` evaluate them lazily, the others eagerly)."""
    if name in ("try", "can"):
        return _try(args, scope, ev) if name == "try" else _can(args, scope, ev)
    if name in _FILE_FUNCTIONS:
        return Unknown(f"{name}() reads files outside the configuration")
    entry = FUNCTIONS.get(name)
    if entry is None:
        return Unknown(f"function {name}() is not evaluated")
    impl, min_args, max_args = entry
    try:
        values = [ev(arg, scope) for arg in args]
        if expand and values:
            values[-1:] = need_list(values[-1], f"the expanded last argument of {name}()")
        if len(values) < min_args or (max_args is not None and len(values) > max_args):
            raise EvalError(f"{name}() takes {_arity(min_args, max_args)}, not {len(values)}")
        return impl(*values)
    except Undecided as undecided:
        return undecided.unknown
    except EvalError as error:
        if error.where is None and not str(error).startswith(f"{name}()"):
            error.args = (f"{name}(): {error}",)
        raise


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


# Strings ----------------------------------------------------------------------------------

_TEXT_FUNCTIONS = {
    "lower": str.lower,
    "upper": str.upper,
    "trimspace": str.strip,
    "strrev": lambda text: text[::-1],
    "title": lambda text: re.sub(r"\b\w", lambda m: m.group().upper(), text),
    "chomp": lambda text: re.sub(r"(\r\n|\r|\n)+\Z", "", text),
}


def _text_function(impl: object) -> object:
    return lambda value: impl(need_text(value))  # type: ignore[operator]


for _name, _impl in _TEXT_FUNCTIONS.items():
    function(_name, 1)(_text_function(_impl))  # type: ignore[arg-type]


@function("trim", 2)
def _trim(value: Value, cutset: Value) -> str:
    return need_text(value).strip(need_text(cutset))


@function("trimprefix", 2)
def _trimprefix(value: Value, prefix: Value) -> str:
    return need_text(value).removeprefix(need_text(prefix))


@function("trimsuffix", 2)
def _trimsuffix(value: Value, suffix: Value) -> str:
    return need_text(value).removesuffix(need_text(suffix))


@function("startswith", 2)
def _startswith(value: Value, prefix: Value) -> bool:
    return need_text(value).startswith(need_text(prefix))


@function("endswith", 2)
def _endswith(value: Value, suffix: Value) -> bool:
    return need_text(value).endswith(need_text(suffix))


@function("strcontains", 2)
def _strcontains(value: Value, part: Value) -> bool:
    return need_text(part) in need_text(value)


@function("split", 2)
def _split(separator: Value, value: Value) -> list[str]:
    sep, text = need_text(separator), need_text(value)
    return list(text) if sep == "" else text.split(sep)


@function("substr", 3)
def _substr(value: Value, offset: Value, length: Value) -> str:
    text, start, size = need_text(value), need_int(offset), need_int(length)
    if start < 0:
        start = max(len(text) + start, 0)
    rest = text[start:]
    return rest if size < 0 else rest[:size]


@function("replace", 3)
def _replace(value: Value, substring: Value, replacement: Value) -> str:
    text, old, new = need_text(value), need_text(substring), need_text(replacement)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        try:
            pattern = re.compile(old[1:-1])
        except re.error as error:
            raise EvalError(f"invalid regular expression {old}: {error}") from None
        return pattern.sub(lambda match: _expand_go(match, new), text)
    return text.replace(old, new)


def _expand_go(match: re.Match[str], template: str) -> str:
    """Go's regexp replacement syntax: `$1`, `${1}`, `$name`, `${name}`, `$$` for a dollar;
    a group that does not exist expands to nothing."""

    def group(ref: re.Match[str]) -> str:
        name = ref.group(1) or ref.group(2)
        if name is None:
            return "$"
        try:
            return match.group(int(name) if name.isdigit() else name) or ""
        except IndexError:  # no such group
            return ""

    return re.sub(r"\$(?:\{(\w+)\}|(\w+)|\$)", group, template)


@function("join", 2, None)
def _join(separator: Value, *lists: Value) -> Value:
    sep = pieces(separator)
    out: list[Piece] = []
    first = True
    for items in lists:
        for item in need_list(items, "a list to join"):
            if item is None:
                raise EvalError("cannot join a null element")
            if not first:
                out.extend(sep)
            first = False
            out.extend(pieces(item))
    return build_text(out)


@function("format", 1, None)
def _format(spec: Value, *args: Value) -> Value:
    text = need_text(spec, "a format string")
    out: list[Piece] = []
    pos, next_arg, explicit = 0, 0, False
    for match in _VERB.finditer(text):
        out.append(_literal_chunk(text[pos : match.start()]))
        pos = match.end()
        flags, width, precision, index, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if index:
            next_arg, explicit = int(index) - 1, True
        if not 0 <= next_arg < len(args):
            raise EvalError(f"not enough arguments for {match.group()}")
        out.extend(_format_one(args[next_arg], flags, width, precision, verb))
        next_arg += 1
    out.append(_literal_chunk(text[pos:]))
    if next_arg < len(args) and not explicit:
        raise EvalError("too many arguments: no verbs left for them")
    return build_text(out)


def _literal_chunk(chunk: str) -> str:
    if "%" in chunk:
        raise EvalError(f"invalid format verb in {chunk!r}")
    return chunk


def _format_one(arg: Value, flags: str, width: str | None, precision: str | None, verb: str) -> list[Piece]:
    """One `%verb`; a reference or partly known string stays a piece under a plain %s / %v."""
    plain = not (flags or width or precision is not None)
    try:
        value = concrete(arg)
    except Undecided as undecided:
        if verb in "sv" and plain and isinstance(resolve(arg), (Ref, Partial, Unknown)):
            return pieces(arg)
        return [undecided.unknown]
    if verb in "dbcoxXeEfFgG":
        return [_format_number(value, flags, width, precision, verb)]
    text = _verb_text(value, verb)
    if precision is not None:
        text = text[: int(precision or 0)]
    size = int(width or 0)
    return [text.ljust(size) if "-" in flags else text.rjust(size)]


def _format_number(value: Value, flags: str, width: str | None, precision: str | None, verb: str) -> str:
    """Go's numeric verbs through Python's format mini-language (they agree on these flags)."""
    if verb in "gG" and precision is None:  # Go picks the shortest form, Python six digits
        raise Undecided(Unknown(f"format verb %{verb} without a precision is not evaluated"))
    number = need_int(value) if verb in "dbcoxX" else need_number(value)
    if verb == "c":
        return chr(number).rjust(int(width or 0))
    spec = "<" if "-" in flags else ""
    spec += "+" if "+" in flags else " " if " " in flags else ""
    spec += "#" if "#" in flags and verb in "xX" else ""
    spec += "0" if "0" in flags and "-" not in flags else ""
    spec += (width or "") + ("." + precision if precision is not None else "")
    try:
        return format(number, spec + verb)
    except (ValueError, OverflowError):
        raise Undecided(Unknown(f"format spec %{flags}{width or ''}{verb} is not evaluated")) from None


def _verb_text(value: Value, verb: str) -> str:
    if verb == "v":
        return text_of(value) if text_of(value) is not None else _json(value)  # type: ignore[return-value]
    if verb == "t" and isinstance(value, bool):
        return "true" if value else "false"
    if verb in "sq" and value is not None and not is_list(value) and not isinstance(value, Mapping):
        text = need_text(value)
        return text if verb == "s" else _json(text)
    if verb in "stq":
        raise EvalError(f"%{verb} cannot format {type_name(value)}")
    raise Undecided(Unknown(f"format verb %{verb} is not evaluated"))


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
    return _json(concrete(value))


def _json(value: Value) -> str:
    """Terraform's compact JSON: keys sorted, HTML characters escaped as Go does."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            text = text.replace(char, escaped)
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if is_list(value):
        return "[" + ",".join(_json(item) for item in value) + "]"
    keys = sorted(value)
    return "{" + ",".join(f"{_json(key)}:{_json(value[key])}" for key in keys) + "}"


@function("jsondecode", 1)
def _jsondecode(value: Value) -> Value:
    try:
        return json.loads(need_text(value), parse_float=_json_number, parse_constant=_bad_constant)
    except ValueError as error:
        raise EvalError(f"invalid JSON: {error}") from None


def _json_number(text: str) -> int | float:
    number = parse_number(text)
    return number if number is not None else normalize_number(float(text))


def _bad_constant(text: str) -> None:
    raise ValueError(f"{text} is not valid JSON")


@function("yamlencode", 1)
def _yamlencode(value: Value) -> Value:
    return Unknown("function yamlencode() is not evaluated")


# Numbers ------------------------------------------------------------------------------------


@function("abs", 1)
def _abs(value: Value) -> Value:
    return abs(need_number(value))


@function("ceil", 1)
def _ceil(value: Value) -> Value:
    return math.ceil(need_number(value))


@function("floor", 1)
def _floor(value: Value) -> Value:
    return math.floor(need_number(value))


@function("signum", 1)
def _signum(value: Value) -> Value:
    number = need_number(value)
    return (number > 0) - (number < 0)


@function("pow", 2)
def _pow(base: Value, exponent: Value) -> Value:
    try:
        return normalize_number(float(need_number(base)) ** need_number(exponent))
    except (OverflowError, ZeroDivisionError) as error:
        raise EvalError(str(error)) from None


@function("max", 1, None)
def _max(*numbers: Value) -> Value:
    return max(need_number(number) for number in numbers)


@function("min", 1, None)
def _min(*numbers: Value) -> Value:
    return min(need_number(number) for number in numbers)


@function("parseint", 2)
def _parseint(value: Value, base: Value) -> Value:
    text, radix = need_text(value), need_int(base)
    if not 2 <= radix <= 36:  # Terraform goes up to 62; Python's int() only to 36
        raise Undecided(Unknown(f"parseint() in base {radix} is not evaluated"))
    prefix = {2: "0b", 8: "0o", 16: "0x"}.get(radix, "")  # Python accepts these, Go does not
    digits = text.lstrip("+-").lower()
    if not re.fullmatch(r"[-+]?[0-9a-zA-Z]+", text) or (prefix and digits.startswith(prefix)):
        raise EvalError(f"cannot parse {text!r} as a base {radix} integer")
    try:
        return int(text, radix)
    except ValueError:
        raise EvalError(f"cannot parse {text!r} as a base {radix} integer") from None
