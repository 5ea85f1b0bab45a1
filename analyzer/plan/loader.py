"""One plan (or state) JSON file to model objects: the unit is the file itself.

Locations name the plan file (line 1): the plan JSON does not say where a block is written.
With the configuration the plan was made from, analyzer.hybrid reads the plan through
`read_plan` and `collect` and puts each object at its block (see docs/architecture.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from analyzer import boundary
from analyzer.model import Inventory, LoadError, Location, Table
from analyzer.plan.backup import region_settings_record, selection_record
from analyzer.plan.backup_plans import plan_record
from analyzer.plan.changes import Change, Json, resource_changes
from analyzer.plan.config import Configuration
from analyzer.plan.detect import UnsupportedPlan, plan_kind
from analyzer.plan.hcl_view import HclView
from analyzer.plan.org_policies import policy_records
from analyzer.plan.tables import replica_resource_record, table_records
from analyzer.plan.tag_resources import apply_tag_resources
from analyzer.units import stamp_unit


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_plan_unit(path: Path, root: Path) -> Inventory:
    rel = relative(path, root)
    inventory = Inventory()
    data = read_plan(path, rel, inventory)
    if data is not None:
        collect(data, Location(rel, 1), inventory)
    return stamp_unit(inventory, rel)


def read_plan(path: Path, rel: str, inventory: Inventory) -> Mapping[str, Json] | None:
    """The plan's JSON, or None (an unreadable one is an error in `inventory`)."""
    try:
        data = json.loads(boundary.read_text(path))
        kind = plan_kind(data)
    except json.JSONDecodeError as exc:
        inventory.errors.append(LoadError(Location(rel, exc.lineno, exc.colno),
                                          f"malformed plan JSON: {exc.msg}"))
        return None
    except (OSError, UnicodeDecodeError, RecursionError, UnsupportedPlan) as exc:
        inventory.errors.append(LoadError(Location(rel, 1, 1), str(exc) or type(exc).__name__))
        return None
    if kind is None:
        return None  # JSON that only looked like a plan: not ours to judge
    assert isinstance(data, Mapping)  # plan_kind said so
    if data.get("errored") is True:
        inventory.errors.append(LoadError(Location(rel, 1, 1), "the plan is errored: "
                                          "terraform plan failed, so it shows no outcome"))
        return None
    shape = _shape_error(data)
    if shape is not None:
        inventory.errors.append(LoadError(Location(rel, 1, 1), shape))
        return None
    return data


def _shape_error(data: Mapping[str, Json]) -> str | None:
    """What makes the plan not Terraform's shape (an edited or forged file): its resources
    would otherwise be skipped without a word."""
    changes = data.get("resource_changes")
    if "resource_changes" in data and not isinstance(changes, list):
        return "resource_changes is not a list"
    for i, item in enumerate(changes or []):
        if not isinstance(item, Mapping):
            return f"resource_changes[{i}] is not an object"
        if not isinstance(item.get("change"), Mapping):
            return f"resource_changes[{i}] ({item.get('address', '?')}) has no change object"
    return None


def collect(data: Mapping[str, Json], where: Location, inventory: Inventory,
            hcl: HclView | None = None) -> None:
    """`hcl`: the configuration's word on what the plan knows only after apply, when the
    configuration is known (plan/hcl_view.py)."""
    config = Configuration(data)
    changes = resource_changes(data)

    def of(kind: str) -> list[Change]:
        return [c for c in changes if c.type == kind]

    tables: list[Table] = []
    for change in of("aws_dynamodb_table"):
        tables += table_records(change, config, where)
    for change in of("aws_dynamodb_table_replica"):
        tables.append(replica_resource_record(change, config, tables, where))
    inventory.tables += apply_tag_resources(of("aws_dynamodb_tag"), config, tables, hcl)
    plans = of("aws_backup_plan")
    inventory.selections += [selection_record(c, config, plans, where, hcl)
                             for c in of("aws_backup_selection")]
    vaults = {c.address: c for c in of("aws_backup_vault")}
    inventory.plans += [plan_record(c, where, config, vaults) for c in plans]
    inventory.selections += policy_records(of("aws_organizations_policy"),
                                           of("aws_organizations_policy_attachment"), config, where)
    inventory.region_settings += [region_settings_record(c, config, where)
                                  for c in of("aws_backup_region_settings")]

