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
