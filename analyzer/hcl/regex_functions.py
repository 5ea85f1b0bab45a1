"""`regex()` and `regexall()`, common in guards such as `can(regex("^prod", var.env))`.

Terraform uses Go's RE2 syntax, so we use RE2 too (google-re2, imported only when a regex function
runs): matching takes linear time, so `^(a+)+$` cannot run for minutes on a crafted string, and
what RE2 rejects (look-arounds, backreferences, possessive and atomic groups) is not evaluated
with another dialect's meaning. A rejected pattern gives an unknown value with the reason, not an
error: the C++ and Go engines differ in corners, so `can()` must not answer false on our word.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from analyzer.hcl.values import EvalError, Undecided, Value, function, need_text
from analyzer.model import Unknown

# Accepted by C++ RE2 but not by Go's regexp (any single byte).
_NOT_GO = ("\\C",)


@functools.lru_cache(maxsize=1)
def _engine() -> tuple[Any, Any]:
    """The re2 module and quiet options (RE2 logs every rejected pattern to stderr otherwise)."""
    re2 = importlib.import_module("re2")
    options = re2.Options()
    options.log_errors = False
    return re2, options


def _unknown(text: str, why: str) -> Undecided:
    return Undecided(Unknown(f"regular expression {text!r} is not evaluated here ({why})"))


@functools.lru_cache(maxsize=256)
def compiled_re2(text: str) -> Any:
    """The pattern compiled by RE2; Undecided where RE2 or Go's dialect rejects it."""
    try:
        re2, options = _engine()
    except ImportError:
        raise _unknown(text, "the RE2 engine (google-re2) is not installed") from None
    if any(token in text.replace("\\\\", "") for token in _NOT_GO):
        raise _unknown(text, "not valid in Go's RE2 syntax")
    try:
        return re2.compile(text, options)
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise _unknown(text, f"RE2 rejects it: {detail}") from None


def _compile(pattern: Value) -> Any:
    return compiled_re2(need_text(pattern))


def _result(match: Any, compiled: Any) -> Value:
    """No groups: the matched text; numbered groups: a list; named groups: a map. A group that
    took no part in the match is null, as in go-cty."""
    if compiled.groups == 0:
        return str(match.group(0))
    names: dict[str, int] = dict(compiled.groupindex)
    if names:
        if len(names) != compiled.groups:
            raise EvalError("named and unnamed capture groups cannot be mixed")
        return {name: match.group(name) for name in sorted(names)}
    return list(match.groups())


@function("regex", 2)
def _regex(pattern: Value, value: Value) -> Value:
    compiled = _compile(pattern)
    match = compiled.search(need_text(value))
    if match is None:
        raise EvalError("pattern did not match any part of the given string")
    return _result(match, compiled)


@function("regexall", 2)
def _regexall(pattern: Value, value: Value) -> Value:
    compiled = _compile(pattern)
    return [_result(m, compiled) for m in compiled.finditer(need_text(value))]
