"""`regex()` and `regexall()`, common in guards such as `can(regex("^prod", var.env))`.

Terraform uses Go's RE2 syntax; Python's `re` agrees on the constructs such patterns use
(classes, anchors, groups, `(?P<name>...)`). A pattern Python rejects gives an unknown value,
not an error: RE2 may accept it, so `can()` must not answer false on Python's word.
"""

from __future__ import annotations

import re

from analyzer.hcl.values import EvalError, Undecided, Value, function, need_text
from analyzer.model import Unknown


def _compile(pattern: Value) -> re.Pattern[str]:
    text = need_text(pattern)
    try:
        return re.compile(text)
    except re.error as error:
        reason = f"regular expression {text!r} is not evaluated here ({error})"
        raise Undecided(Unknown(reason)) from None


def _result(match: re.Match[str], compiled: re.Pattern[str]) -> Value:
    """No groups: the matched text; numbered groups: a list; named groups: a map. A group that
    took no part in the match is null, as in go-cty."""
    if compiled.groups == 0:
        return match.group(0)
    names = compiled.groupindex
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
