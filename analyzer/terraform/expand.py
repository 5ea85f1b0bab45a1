"""count and for_each: which instances a block has, and the `each`/`count` each one sees."""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.hcl.expressions import EvalScope, evaluate
from analyzer.hcl.parse import Block, Body
from analyzer.model import Partial, Ref, Unknown

# The work budget (issue 15): no configuration of this size is real, and expanding one would
# take minutes and gigabytes; beyond it, the instances are undecided (never a guess).
MAX_INSTANCES = 10_000

# (address suffix, scope) per instance, and the reason when the collection is not decided: then
# one entry with no suffix stands for all the instances.
Expansion = tuple[list[tuple[str, object, Mapping[str, object]]], Unknown | None]


def instance_scopes(block: Block, scope: Mapping[str, object]) -> Expansion:
    attributes = block.body.attributes
    if "count" in attributes:
        return _count(evaluate(attributes["count"].expr, scope), scope)
    if "for_each" in attributes:
        return _for_each(evaluate(attributes["for_each"].expr, scope), scope)
    return [("", None, scope)], None


def _count(value: object, scope: Mapping[str, object]) -> Expansion:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        reason = value if isinstance(value, Unknown) else Unknown(f"count is {_kind(value)}")
        return [("", None, EvalScope(scope, {"count": {"index": reason}}))], reason
    if value < 0:  # Terraform rejects it: no instance is certain, not even zero
        reason = Unknown(f"count is {value}, which Terraform rejects (it must not be negative)")
        return [("", None, EvalScope(scope, {"count": {"index": reason}}))], reason
    if value > MAX_INSTANCES:
        reason = Unknown(f"count is {value}, more than the {MAX_INSTANCES} instances one block "
                         "is expanded to")
        return [("", None, EvalScope(scope, {"count": {"index": reason}}))], reason
    indexes = range(value)
    return [(f"[{i}]", i, EvalScope(scope, {"count": {"index": i}})) for i in indexes], None


def _for_each(value: object, scope: Mapping[str, object]) -> Expansion:
    items: list[tuple[str, object]] | None = None
    if isinstance(value, Mapping):
        keys = list(value)
        if all(isinstance(k, str) for k in keys):
            items = [(k, value[k]) for k in sorted(keys)]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [(v, v) for v in sorted(set(value))]
    if items is not None and len(items) > MAX_INSTANCES:
        value = Unknown(f"for_each has {len(items)} elements, more than the "
                        f"{MAX_INSTANCES} instances one block is expanded to")
        items = None
    if items is None:
        reason = value if isinstance(value, Unknown) else Unknown(
            f"for_each is {_kind(value)}, not a map or a set of strings")
        each = {"key": reason, "value": reason}
        return [("", None, EvalScope(scope, {"each": each}))], reason
    return [
        (f'["{_escape(k)}"]', k, EvalScope(scope, {"each": {"key": k, "value": v}}))
        for k, v in items
    ], None


def _escape(key: str) -> str:
    return key.replace("\\", "\\\\").replace('"', '\\"')


def _kind(value: object) -> str:
    if isinstance(value, Unknown):
        return f"unknown ({value.reason})"
    if isinstance(value, (Ref, Partial)):
        return f"known only after apply ({value})"
    return f"a {type(value).__name__}"


def nested_blocks(
    body: Body, name: str, scope: Mapping[str, object]
) -> list[tuple[Body, Mapping[str, object], int]] | Unknown:
    """The nested blocks called `name` in a body, static and `dynamic` alike, each with the scope
    its content sees and its line. Unknown when a dynamic block's for_each is not decided."""
    found: list[tuple[Body, Mapping[str, object], int]] = []
    for block in body.blocks:
        if block.type == name:
            found.append((block.body, scope, block.line))
        elif block.type == "dynamic" and block.labels == [name]:
            expanded = _dynamic(block, name, scope)
            if isinstance(expanded, Unknown):
                return expanded
            found.extend(expanded)
    return found


def _dynamic(
    block: Block, name: str, scope: Mapping[str, object]
) -> list[tuple[Body, Mapping[str, object], int]] | Unknown:
    attributes = block.body.attributes
    content = next(block.body.blocks_of("content"), None)
    if "for_each" not in attributes or content is None:
        return Unknown(f'dynamic "{name}" has no for_each or no content')
    iterator = name
    if "iterator" in attributes:
        from analyzer.terraform.lazy import traversal_text

        iterator = traversal_text(attributes["iterator"].expr) or name
    value = evaluate(attributes["for_each"].expr, scope)
    items: list[tuple[object, object]]
    if isinstance(value, Mapping):
        items = [(k, value[k]) for k in sorted(value, key=str)]
    elif isinstance(value, (list, tuple)):
        items = list(enumerate(value))
    else:
        reason = value if isinstance(value, Unknown) else Unknown(
            f'the for_each of dynamic "{name}" is {_kind(value)}')
        return Unknown(f'dynamic "{name}" blocks: {reason.reason}')
    return [
        (content.body, EvalScope(scope, {iterator: {"key": k, "value": v}}), content.line)
        for k, v in items
    ]
