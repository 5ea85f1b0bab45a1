"""Alternative worlds of one configuration: a plan of a root and the root's `.tf` files, or two
plans of one root (made in two workspaces, or with other `-var` values), describe the same
resources in different worlds, only one of which is deployed at a time. A selection of one world
must never protect a table of another (`iac-ddb-lint infra/ infra/tfplan.json` would otherwise
let the code's default-on backup protect the table the `-var backups=false` plan leaves bare).

Each unit gets link keys; units sharing a key are one configuration's worlds. A plan's keys are
the fingerprint of its `configuration` section (code, not values: equal for every workspace and
every `-var` of one root) and the HCL unit of the directory it was matched with (`--tf-dir`, or
the `.tf` files beside it)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

Json = object


def plan_keys(data: Mapping[str, Json], configuration_unit: str | None) -> frozenset[str]:
    keys = set()
    config = data.get("configuration")
    if isinstance(config, Mapping) and config.get("root_module"):
        text = json.dumps(config.get("root_module"), sort_keys=True, ensure_ascii=True)
        keys.add("code:" + hashlib.sha256(text.encode("utf-8")).hexdigest())
    if configuration_unit is not None:
        keys.add("unit:" + configuration_unit)
    return frozenset(keys)


def hcl_keys(unit: str) -> frozenset[str]:
    return frozenset({"unit:" + unit})


def excluded(links: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """For each linked unit, the other units that are worlds of its configuration (the relation
    is closed: a plan linked to a root is also exclusive with the root's other plans)."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for unit, keys in sorted(links.items()):
        for key in sorted(keys):
            parent[find("u:" + unit)] = find("k:" + key)
    groups: dict[str, list[str]] = {}
    for unit in sorted(links):
        groups.setdefault(find("u:" + unit), []).append(unit)
    return {unit: frozenset(members) - {unit}
            for members in groups.values() if len(members) > 1 for unit in members}

