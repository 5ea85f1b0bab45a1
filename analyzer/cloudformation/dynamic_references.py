"""Dynamic references (`{{resolve:ssm:/app/pitr}}`, `{{resolve:ssm-secure:...}}`,
`{{resolve:secretsmanager:...}}`): CloudFormation replaces them with a parameter's or a
secret's value when it deploys the stack, so the template never holds that value. A string
with one is known only in its other parts (`orders-{{resolve:ssm:/env}}` is `orders-${?}`);
taken literally it would be a tag value or a name no selection matches, and a tag condition
or an exclusion that the deployed value may meet would be missed."""

from __future__ import annotations

import re

from analyzer.model import Partial, Ref, Unknown

# The services CloudFormation documents; anything else after `resolve:` is not a reference
# CloudFormation knows (it rejects the template), so it is unknown just the same.
_REFERENCE = re.compile(r"\{\{resolve:([^:}]*):([^}]*)\}\}")


def resolved_later(value: object) -> object:
    """`value`, with every dynamic reference in a string (or a string part) unknown."""
    if isinstance(value, str):
        if "{{resolve:" not in value:
            return value
        parts = _split(value)
        if len(parts) == 1 and isinstance(parts[0], Unknown):
            return parts[0]
        return Partial(tuple(parts)) if any(isinstance(p, Unknown) for p in parts) else value
    if isinstance(value, Partial) and any(
            isinstance(p, str) and "{{resolve:" in p for p in value.parts):
        out: list[str | Ref | Unknown] = []
        for part in value.parts:
            out.extend(_split(part) if isinstance(part, str) else [part])
        return Partial(tuple(out))
    return value


def _split(text: str) -> list[str | Ref | Unknown]:
    out: list[str | Ref | Unknown] = []
    last = 0
    for match in _REFERENCE.finditer(text):
        if match.start() > last:
            out.append(text[last:match.start()])
        service, key = match.group(1), match.group(2)
        out.append(Unknown(f"{match.group(0)} is the {service} value {key!r}, which "
                           "CloudFormation reads when it deploys the stack"))
        last = match.end()
    if last < len(text):
        out.append(text[last:])
    return out
