"""Terraform's string functions, `format()` and `join()` (which keep references and unknown
pieces, building a `Partial`), and the JSON text `jsonencode()` and `format("%v")` share."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from analyzer.hcl import numbers
from analyzer.hcl.budget import check_elements, check_text, spend
from analyzer.hcl.graphemes import code_points
from analyzer.hcl.regex_functions import compiled_re2
from analyzer.hcl.templates import Piece, build_text, pieces
from analyzer.hcl.values import (
    EvalError,
    Undecided,
    Value,
    concrete,
    function,
    is_list,
    is_number,
    need_bool,
    need_int,
    need_list,
    need_number,
    need_text,
    number_text,
    resolve,
    text_of,
    type_name,
)
from analyzer.model import Partial, Ref, Unknown

_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d*))?(?:\[(\d+)\])?([a-zA-Z%])")

# Strings ----------------------------------------------------------------------------------

def _simple_case(text: str, convert: object) -> str:
    """Go maps case rune by rune (`ß` stays `ß`); Python's full mapping may give several
    characters for one, whose one-character mapping it does not expose: unknown then."""
    out = []
    for char in text:
        mapped = convert(char)  # type: ignore[operator]
        if len(mapped) != 1:
            if char != "ß":
                raise Undecided(Unknown(f"the case mapping of {char!r} is not evaluated"))
            mapped = char
        out.append(mapped)
    return "".join(out)


_TEXT_FUNCTIONS = {
    "lower": lambda text: _simple_case(text, str.lower),
    "upper": lambda text: _simple_case(text, str.upper),
    "trimspace": str.strip,
    "strrev": lambda text: code_points(text, "strrev")[::-1],
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
    text = code_points(text, "substr")
    if start < 0:
        start = max(len(text) + start, 0)
    rest = text[start:]
    return rest if size < 0 else rest[:size]


@function("replace", 3)
def _replace(value: Value, substring: Value, replacement: Value) -> str:
    text, old, new = need_text(value), need_text(substring), need_text(replacement)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        return _replace_re2(text, compiled_re2(old[1:-1]), new)
    count = text.count(old)
    check_text(len(text) + count * (len(new) - len(old)), "the result of replace()")
    return text.replace(old, new)


def _replace_re2(text: str, pattern: Any, new: str) -> str:
    """Go's ReplaceAllString: RE2 matches, and no replacement for an empty match right after
    another match (`replace("abc", "/b|/", "-")` is `-a-c-`)."""
    out: list[str] = []
    position, last_end, produced = 0, 0, len(text)
    previous_empty = False
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        if previous_empty and start == last_end and end > start:
            raise Undecided(Unknown("replace() where a match follows an empty match is not "
                                    "evaluated (Go searches on past it)"))
        out.append(text[position:start])
        if end > last_end or start == 0:
            # A group is no longer than the match: this bounds the expansion before it is built.
            check_text(produced + len(new) + new.count("$") * (end - start),
                       "the result of replace()")
            piece = _expand_go(match, new)
            produced += len(piece)
            out.append(piece)
        position, last_end, previous_empty = end, end, start == end
    out.append(text[position:])
    return "".join(out)


def _expand_go(match: Any, template: str) -> str:
    """Go's regexp replacement syntax: `$1`, `${1}`, `$name`, `${name}`, `$$` for a dollar;
    a group that does not exist expands to nothing."""
    spend()

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
    if any(arg is None for arg in args):  # Terraform's result is unknown then, not an error
        raise Undecided(Unknown("format() with a null argument is unknown in Terraform too"))
    out: list[Piece] = []
    pos, next_arg, explicit = 0, 0, False
    for match in _VERB.finditer(text):
        out.append(_literal_chunk(text[pos : match.start()]))
        pos = match.end()
        flags, width, precision, index, verb = match.groups()
        check_text(max(int(width or 0), int(precision or 0)), "a format() verb")
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


@function("formatlist", 1, None)
def _formatlist(spec: Value, *args: Value) -> list[Value]:
    """format() once per element: list arguments go element by element (they must have one
    length), the others repeat."""
    length: int | None = None
    for position, arg in enumerate(args, start=1):
        if arg is None:
            raise Undecided(Unknown("formatlist() with a null argument is unknown in Terraform"))
        if is_list(arg):
            if any(item is None for item in arg):
                raise EvalError(f"argument {position} has a null element")
            if length is not None and len(arg) != length:
                raise EvalError(f"argument {position} has length {len(arg)}, which is "
                                f"inconsistent with {length}")
            length = len(arg)
        elif isinstance(resolve(arg), Unknown):
            raise Undecided(resolve(arg))  # it may be a list: the length is not known
    check_elements(length or 0, "the result of formatlist()")
    out: list[Value] = []
    for index in range(1 if length is None else length):
        spend()
        out.append(_format(spec, *(arg[index] if is_list(arg) else arg for arg in args)))
    return out


@function("indent", 2)
def _indent(spaces: Value, value: Value) -> str:
    count, text = need_int(spaces), need_text(value)
    if count < 0:
        raise EvalError("indent() takes a number of spaces that is not negative")
    check_text(len(text) + text.count("\n") * count, "the result of indent()")
    return text.replace("\n", "\n" + " " * count)


def _literal_chunk(chunk: str) -> str:
    if "%" in chunk:
        raise EvalError(f"invalid format verb in {chunk!r}")
    return chunk


def _format_one(
    arg: Value, flags: str, width: str | None, precision: str | None, verb: str
) -> list[Piece]:
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


def _format_number(
    value: Value, flags: str, width: str | None, precision: str | None, verb: str
) -> str:
    """Go's numeric verbs through Python's format mini-language (they agree on these flags)."""
    if verb in "gG" and precision is None:  # Go picks the shortest form, Python six digits
        raise Undecided(Unknown(f"format verb %{verb} without a precision is not evaluated"))
    number = need_int(value) if verb in "dbcoxX" else need_number(value)
    if verb == "c" and 0 <= number <= 0x10FFFF:
        return chr(int(number)).rjust(int(width or 0))
    spec = "<" if "-" in flags else ""
    spec += "+" if "+" in flags else " " if " " in flags else ""
    spec += "#" if "#" in flags and verb in "xX" else ""
    spec += "0" if "0" in flags and "-" not in flags else ""
    spec += (width or "") + ("." + precision if precision is not None else "")
    shown: object = number
    if verb in "fF":  # Go rounds the exact value (Python would round a float64 of it)
        shown = numbers.decimal(number)
        spec += "" if precision is not None else ".6"  # Go's default, not Decimal's
    try:
        return format(shown, spec + verb)
    except (ValueError, OverflowError):
        raise Undecided(
            Unknown(f"format spec %{flags}{width or ''}{verb} is not evaluated")
        ) from None


def _verb_text(value: Value, verb: str) -> str:
    if verb == "v":
        return text_of(value) if text_of(value) is not None else json_text(value)  # type: ignore[return-value]
    if verb == "t" and value is not None and not is_list(value) and not isinstance(value, Mapping):
        return "true" if need_bool(value) else "false"  # Terraform converts "true" too
    if verb in "sq" and value is not None and not is_list(value) and not isinstance(value, Mapping):
        text = need_text(value)
        return text if verb == "s" else json_text(text)
    if verb in "stq":
        raise EvalError(f"%{verb} cannot format {type_name(value)}")
    raise Undecided(Unknown(f"format verb %{verb} is not evaluated"))


def json_text(value: Value) -> str:
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
        spend(len(value))  # shared sublists can make a small value encode enormous
        return "[" + ",".join(json_text(item) for item in value) + "]"
    spend(len(value))
    keys = sorted(value)
    return "{" + ",".join(f"{json_text(key)}:{json_text(value[key])}" for key in keys) + "}"
