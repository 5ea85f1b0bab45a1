"""The resource instances a plan creates or keeps, in one shape for plans and for state.

A plan's `resource_changes` give `change.after` and `change.after_unknown` (what is only known
after apply); a delete-only change is no resource, a replacement is one. State (and a plan with
`planned_values` only) gives `values`, with nothing unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Json = Any  # parsed JSON data


@dataclass(frozen=True)
class Change:
    address: str  # Terraform's own: module.app["x"].aws_dynamodb_table.t[0]
    module: str  # the module instance address ("" for the root module)
    type: str
    name: str
    after: Mapping[str, Json]
    unknown: Mapping[str, Json] = field(default_factory=dict)  # after_unknown


def resource_changes(data: Mapping[str, Json]) -> list[Change]:
    if isinstance(data.get("resource_changes"), list):
        return list(_from_changes(data["resource_changes"]))
    values = data.get("values") or data.get("planned_values") or {}
    root = values.get("root_module") if isinstance(values, Mapping) else None
    return list(_from_values(root)) if isinstance(root, Mapping) else []


def _from_changes(items: list[Json]) -> Iterator[Change]:
    for rc in items:
        if not isinstance(rc, Mapping) or rc.get("mode", "managed") != "managed":
            continue
        change = rc.get("change")
        if rc.get("deposed") or not isinstance(change, Mapping):
            continue  # a deposed object is only ever deleted
        if change.get("actions") == ["delete"] or not isinstance(change.get("after"), Mapping):
            continue
        unknown = change.get("after_unknown")
        yield Change(str(rc.get("address", "")), str(rc.get("module_address") or ""),
                     str(rc.get("type", "")), str(rc.get("name", "")), change["after"],
                     unknown if isinstance(unknown, Mapping) else {})


def _from_values(module: Mapping[str, Json]) -> Iterator[Change]:
    for res in module.get("resources") or []:
        if isinstance(res, Mapping) and res.get("mode", "managed") == "managed" and isinstance(
                res.get("values"), Mapping):
            address = str(res.get("address", ""))
            yield Change(address, module_of(address), str(res.get("type", "")),
                         str(res.get("name", "")), res["values"])
    for child in module.get("child_modules") or []:
        if isinstance(child, Mapping):
            yield from _from_values(child)


_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.?')


def module_steps(module: str) -> list[tuple[str, str]]:
    """`module.a["x"].module.b` -> [("a", '["x"]'), ("b", "")]."""
    steps, pos = [], 0
    while pos < len(module):
        found = _STEP.match(module, pos)
        if found is None:
            break
        steps.append((found.group(1), found.group(2) or ""))
        pos = found.end()
    return steps


def module_of(address: str) -> str:
    """The module instance part of a resource address."""
    pos = 0
    while (found := _STEP.match(address, pos)) is not None:
        pos = found.end()
    return address[:pos].rstrip(".")


def is_unknown(unknown: Json, *path: str | int) -> bool:
    """Is the value at `path` of `after` only known after apply (per `after_unknown`)?"""
    node = unknown
    for step in path:
        if node is True:
            return True
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
        elif isinstance(step, str) and isinstance(node, Mapping):
            node = node.get(step)
        else:
            return False
    return node is True


def contains_unknown(unknown: Json) -> bool:
    if unknown is True:
        return True
    if isinstance(unknown, Mapping):
        return any(contains_unknown(v) for v in unknown.values())
    if isinstance(unknown, list):
        return any(contains_unknown(v) for v in unknown)
    return False
