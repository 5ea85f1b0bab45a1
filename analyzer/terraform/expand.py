"""count and for_each: which instances a block has, and the `each`/`count` each one sees."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from analyzer.hcl.convert import ListValue
from analyzer.hcl.expressions import EvalScope, evaluate
from analyzer.hcl.parse import Attribute, Block, Body
from analyzer.model import Partial, PartialMap, Ref, Unknown

# The work budget (issue 15): no configuration of this size is real, and expanding one would
# take minutes and gigabytes; beyond it, the instances are undecided (never a guess).
MAX_INSTANCES = 10_000

# (address suffix, scope) per instance, and the reason when the collection is not decided: then
# one entry with no suffix stands for all the instances.
Expansion = tuple[list[tuple[str, object, Mapping[str, object]]], Unknown | None]
# Told of a count/for_each argument Terraform rejects: (the argument, the message).
Reporter = Callable[[Attribute, str], None]

# Functions whose result is always a list or tuple, never a set or a map: `for_each` over their
# result is rejected by Terraform ("must be a map, or set of strings").
_LIST_FUNCTIONS = frozenset((
    "keys", "values", "tolist", "concat", "flatten", "distinct", "compact", "sort", "reverse",
    "slice", "split", "range", "chunklist", "formatlist", "matchkeys", "coalescelist",
))
_UNDECIDED = (Unknown, Ref, Partial, PartialMap)


def instance_scopes(
    block: Block, scope: Mapping[str, object], report: Reporter | None = None
) -> Expansion:
    """The instances of a block. An argument Terraform rejects is told to `report`, and its
    instances are undecided all the same (never judged)."""
    attributes = block.body.attributes
    name = "count" if "count" in attributes else "for_each" if "for_each" in attributes else ""
    if not name:
        if report is not None:
            _report_dynamic(block.body, [("", None, scope)], report)
        return [("", None, scope)], None
    attribute = attributes[name]
    value = evaluate(attribute.expr, scope)
    error = _count_error(value) if name == "count" else _for_each_error(attribute, value)
    if error is not None:
        if report is not None:
            report(attribute, f"invalid {name} argument: {error} (Terraform rejects it)")
        return _undecided(scope, name, Unknown(f"{name} is invalid: {error}"))
    expansion = _count(value, scope) if name == "count" else _for_each(value, scope)
    if report is not None:
        _report_dynamic(block.body, expansion[0], report)
    return expansion


def _count_error(value: object) -> str | None:
    """Terraform's error for a count value, if it has one (a whole number >= 0, or unknown)."""
    if isinstance(value, _UNDECIDED):
        return None
    value = _as_number(value)
    if isinstance(value, str):
        return f"count is the string {value[:40]!r}, not a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"count is {_kind(value)}, not a number"
    if value < 0:
        return f"count is {value:g}, which must not be negative"
    if isinstance(value, float) and not value.is_integer():
        return f"count is {value:g}, not a whole number"
    return None


def _for_each_error(attribute: Attribute, value: object) -> str | None:
    """Terraform's error for a for_each value, where we can be sure of it: a value written as a
    list (a set-typed variable holds a list here, so a list value alone proves nothing), a
    scalar, or a collection of collections."""
    if isinstance(value, (*_UNDECIDED, Mapping)):
        return None
    if isinstance(value, ListValue):  # typed as a list (a variable's type, a tfvars tuple)
        return ('the given "for_each" argument value is unsuitable: the "for_each" argument must '
                f"be a map, or set of strings, and you have provided a value of type {value.kind} "
                "(convert it with toset())")
    if isinstance(value, (list, tuple)):
        if _written_as_list(attribute.expr):
            return "for_each is a list, not a map or a set of strings (convert it with toset())"
        if any(isinstance(v, (Mapping, list, tuple)) for v in value):
            return "for_each is a collection of collections, not a map or a set of strings"
        return None
    return f"for_each is {_kind(value)}, not a map or a set of strings"


def _report_dynamic(
    body: Body, scopes: list[tuple[str, object, Mapping[str, object]]], report: Reporter
) -> None:
    """Tell `report` of the dynamic blocks (in the body or its static blocks) whose for_each
    Terraform rejects in some instance: a string, number, bool or null, not a collection."""
    for block in _dynamic_blocks(body):
        attribute = block.body.attributes.get("for_each")
        if attribute is None:
            continue
        for _, _, scope in scopes:
            error = _dynamic_for_each_error(evaluate(attribute.expr, scope))
            if error is not None:
                label = block.labels[0] if block.labels else ""
                report(attribute, f'invalid for_each of dynamic "{label}": {error} '
                       "(Terraform rejects it)")
                break


def _dynamic_blocks(body: Body) -> list[Block]:
    """The dynamic blocks evaluated in the block's own scope (not those inside a dynamic's
    content, which see its iterator)."""
    found: list[Block] = []
    stack = [body]
    while stack:
        for block in stack.pop().blocks:
            if block.type == "dynamic":
                found.append(block)
            else:
                stack.append(block.body)
    return found


def _dynamic_for_each_error(value: object) -> str | None:
    if isinstance(value, (*_UNDECIDED, Mapping, list, tuple)):
        return None
    return f"for_each is {_kind(value)}, not a collection"


def _as_number(value: object) -> object:
    """A string that spells a number as the number (Terraform converts it); else unchanged."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def _undecided(scope: Mapping[str, object], name: str, reason: Unknown) -> Expansion:
    """One entry with no suffix stands for all the (undecided) instances."""
    if name == "count":
        return [("", None, EvalScope(scope, {"count": {"index": reason}}))], reason
    return [("", None, EvalScope(scope, {"each": {"key": reason, "value": reason}}))], reason


def undecided_scopes(
    scope: Mapping[str, object], block: Block, reason: Unknown
) -> list[tuple[str, object, Mapping[str, object]]]:
    """The one unindexed entry that stands for all of a block's (undecided) instances."""
    name = "count" if "count" in block.body.attributes else "for_each"
    return _undecided(scope, name, reason)[0]


def _written_as_list(expr: object) -> bool:
    """Whether an expression is a list by its syntax: a tuple, `[for ...]` or a list function."""
    from analyzer.hcl.syntax_tree import Token, Tree

    node = expr
    while isinstance(node, Tree) and node.data == "expr_term":
        inner = [c for c in node.children if isinstance(c, Tree)]
        if len(inner) != 1:
            return False
        node = inner[0]
    if not isinstance(node, Tree):
        return False
    if node.data in ("tuple", "for_tuple_expr"):
        return True
    if node.data == "function_call" and node.children:
        name = node.children[0]
        text = str(name) if isinstance(name, Token) else str(name.children[0])
        return text in _LIST_FUNCTIONS
    return False


def _count(value: object, scope: Mapping[str, object]) -> Expansion:
    value = _as_number(value)
    if isinstance(value, float):
        value = int(value)  # a whole number, as _count_error made sure
    if not isinstance(value, int):  # undecided (see _count_error)
        reason = value if isinstance(value, Unknown) else Unknown(f"count is {_kind(value)}")
        return _undecided(scope, "count", reason)
    if value > MAX_INSTANCES:
        return _undecided(scope, "count", Unknown(
            f"count is {value}, more than the {MAX_INSTANCES} instances one block is expanded to"))
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
        return _undecided(scope, "for_each", value if isinstance(value, Unknown) else Unknown(
            f"for_each is {_kind(value)}, not a map or a set of strings"))
    return [
        (f'["{_escape(k)}"]', k, EvalScope(scope, {"each": {"key": k, "value": v}}))
        for k, v in items
    ], None


def _escape(key: str) -> str:
    return key.replace("\\", "\\\\").replace('"', '\\"')


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, Unknown):
        return f"unknown ({value.reason})"
    if isinstance(value, (Ref, Partial)):
        return f"known only after apply ({value})"
    names = {str: "string", bool: "bool", int: "number", float: "number", list: "list",
             tuple: "list"}
    return f"a {names.get(type(value), type(value).__name__)}"


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
        rejected = _dynamic_for_each_error(value) is not None
        reason = value if isinstance(value, Unknown) else Unknown(
            f'the for_each of dynamic "{name}" is {_kind(value)}'
            + (", not a collection (Terraform rejects it)" if rejected else ""))
        return Unknown(f'dynamic "{name}" blocks: {reason.reason}')
    return [
        (content.body, EvalScope(scope, {iterator: {"key": k, "value": v}}), content.line)
        for k, v in items
    ]
