"""--parameter values checked against the template's own constraints (issue 14 item 10).

CloudFormation refuses to create a stack whose parameter value breaks the parameter's
AllowedValues, AllowedPattern, MinLength/MaxLength (String) or MinValue/MaxValue (Number):
judging tables in a world that cannot be deployed would be judging nothing, so such a value is
an error naming the parameter's line. A constraint we cannot read (a pattern RE2 does not take,
a bound that is not a number) is not checked: it is the deployment's to refuse.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping

from analyzer.cloudformation.context import text_of
from analyzer.model import LoadError, Location


def declared(data: Mapping[str, object]) -> set[str]:
    """The parameter names a template declares."""
    section = data.get("Parameters")
    return {str(name) for name in section} if isinstance(section, Mapping) else set()


def check_pins(data: Mapping[str, object], rel: str,
               pins: Mapping[str, str]) -> list[LoadError]:
    """One error per pinned value that the template's parameter declaration refuses."""
    section = data.get("Parameters")
    if not isinstance(section, Mapping):
        return []
    errors = []
    for name, value in sorted(pins.items()):
        spec = section.get(name)
        if not isinstance(spec, Mapping):
            continue
        why = _refusal(spec, value)
        if why:
            line, col = getattr(section, "key_pos", {}).get(name, (1, 1))
            errors.append(LoadError(Location(rel, line, col),
                                    f"--parameter {name}={value}: parameter {name} {why}, so "
                                    "CloudFormation refuses the value"))
    return errors


def _refusal(spec: Mapping[object, object], value: str) -> str | None:
    kind = str(text_of(spec.get("Type", "String")))
    if kind.startswith("AWS::SSM::"):
        return None  # the value is the name of an SSM parameter, not the value checked
    listed = kind == "CommaDelimitedList" or kind.startswith("List<")
    items = [item.strip() for item in value.split(",")] if listed else [value]
    number = kind in ("Number", "List<Number>")
    for item in items:
        why = _allowed(spec, item, number) or (
            _number(spec, item) if number else None) or (
            _text(spec, item, kind) if not number else None)
        if why:
            return why if not listed else f"{why} (item {item!r})"
    return None


def _allowed(spec: Mapping[object, object], item: str, number: bool) -> str | None:
    allowed = spec.get("AllowedValues")
    if not isinstance(allowed, list) or any(isinstance(a, (dict, list)) for a in allowed):
        return None
    options = [str(text_of(a)) for a in allowed]
    if item in options or (number and _float(item) in {_float(o) for o in options} - {None}):
        return None
    return "allows only " + ", ".join(options) + " (AllowedValues)"


def _number(spec: Mapping[object, object], item: str) -> str | None:
    got = _float(item)
    if got is None:
        return "must be a Number"
    low, high = _float(spec.get("MinValue")), _float(spec.get("MaxValue"))
    if low is not None and got < low:
        return f"is at least {text_of(spec.get('MinValue'))} (MinValue)"
    if high is not None and got > high:
        return f"is at most {text_of(spec.get('MaxValue'))} (MaxValue)"
    return None


def _text(spec: Mapping[object, object], item: str, kind: str) -> str | None:
    low, high = _float(spec.get("MinLength")), _float(spec.get("MaxLength"))
    if kind == "String" and low is not None and len(item) < low:
        return f"is at least {text_of(spec.get('MinLength'))} characters long (MinLength)"
    if kind == "String" and high is not None and len(item) > high:
        return f"is at most {text_of(spec.get('MaxLength'))} characters long (MaxLength)"
    pattern = spec.get("AllowedPattern")
    if kind in ("String", "CommaDelimitedList") and isinstance(pattern, str):
        matches = _full_match(pattern, item)
        if matches is False:
            return f"must match {pattern} (AllowedPattern)"
    return None


def _full_match(pattern: str, item: str) -> bool | None:
    """RE2 (linear time: the pattern comes from the repository); None when RE2 cannot take it
    (CloudFormation's patterns are Java's: backreferences and lookarounds are not RE2's)."""
    try:
        re2 = importlib.import_module("re2")
        options = re2.Options()
        options.log_errors = False
        compiled = re2.compile(pattern, options)
    except Exception:  # not installed, or a pattern RE2 rejects: not checked
        return None
    return compiled.fullmatch(item) is not None


def _float(value: object) -> float | None:
    text = text_of(value)
    if not isinstance(text, str):
        return None
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None
