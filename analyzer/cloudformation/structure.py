"""The shape CloudFormation requires of `Resources`, checked before anything is judged: a
malformed template is an error at file:line:col (the run exits 2), never a template that
seems to have no tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzer.cloudformation.decode import Node
from analyzer.cloudformation.foreach import is_loop
from analyzer.model import LoadError, Location


def check_section(data: Mapping[str, object], rel: str) -> list[LoadError]:
    """`Resources`, when present, must be a mapping."""
    if "Resources" not in data or isinstance(data["Resources"], Mapping):
        return []
    line, col = data.key_pos.get("Resources", (1, 1)) if isinstance(data, Node) else (1, 1)
    kind = kind_of(data["Resources"])
    return [LoadError(Location(rel, line, col),
                      f"Resources must be a mapping of logical ids to resources, not {kind}")]


def check_conditions(data: Mapping[str, object], rel: str) -> list[LoadError]:
    """Conditions that refer to each other in a cycle (`A: !Condition B`, `B: !Condition A`):
    CloudFormation rejects the template, so it is an error at the first condition of each
    cycle, never judged as if the conditions were free."""
    conditions = data.get("Conditions")
    if not isinstance(conditions, Mapping):
        return []
    refs = {name: _condition_refs(expr) for name, expr in conditions.items() if not is_loop(name)}
    out: list[LoadError] = []
    done: set[object] = set()
    for start in refs:
        if start in done:
            continue
        path, on_path, pending = [start], {start}, [iter(sorted(refs[start], key=str))]
        while pending:  # depth-first, iteratively (a long chain must not recurse deeply)
            nxt = next(pending[-1], None)
            if nxt is None:
                done.add(path[-1])
                on_path.discard(path.pop())
                pending.pop()
            elif nxt in on_path:
                cycle = [*path[path.index(nxt):], nxt]
                line, col = conditions.key_pos.get(nxt, (1, 1)) if isinstance(
                    conditions, Node) else (1, 1)
                out.append(LoadError(Location(rel, line, col), "circular conditions: " +
                                     " -> ".join(str(c) for c in cycle)))
            elif nxt in refs and nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                pending.append(iter(sorted(refs[nxt], key=str)))
    return sorted(set(out), key=lambda e: (e.location, e.message))


def _condition_refs(expr: object) -> set[object]:
    """The conditions an expression names with `Condition` (iteratively: no deep recursion)."""
    found: set[object] = set()
    stack = [expr]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            if len(value) == 1 and isinstance(value.get("Condition"), str):
                found.add(value["Condition"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def check_entries(resources: Mapping[Any, object], rel: str) -> list[LoadError]:
    """Every resource must be a mapping with a string `Type` (loops and `Fn::Transform` are
    expanded or judged elsewhere)."""
    out = []
    for key, value in resources.items():
        if is_loop(key) or key == "Fn::Transform":
            continue
        line, col = resources.key_pos.get(key, (1, 1)) if isinstance(resources, Node) else (1, 1)
        if not isinstance(value, Mapping):
            message = f"resource {key} must be a mapping, not {kind_of(value)}"
        elif "Type" not in value:
            message = f"resource {key} has no Type"
        elif not isinstance(value["Type"], str):
            if isinstance(value, Node):
                line, col = value.key_pos.get("Type", (line, col))
            message = f"the Type of resource {key} is not a string"
        else:
            continue
        out.append(LoadError(Location(rel, line, col), message))
    return out


def kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    names = {str: "a string", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), "a " + type(value).__name__)
