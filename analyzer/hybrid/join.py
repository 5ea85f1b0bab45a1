"""One plan unit read with its configuration, when it is known: `--tf-dir DIR`, or the
directory the plan file sits in when its `.tf` files are the configuration the plan shows.

Then every object is located at its block (`file:line`; a module's resources at the block in
the module's code; instance keys do not matter), the `iac-ddb-lint:ignore` comments of a table's
block and of the module calls above it apply to the table, and a selection field the plan
knows only after apply is the HCL's value, and so is the table an `aws_dynamodb_tag` whose
`resource_arn` the plan knows only after apply names (plan.hcl_view.HclView: used only with the
references the plan lists, naming resources the plan plans). Otherwise the plan stands alone,
and a warning says why the directory was not used.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import replace
from pathlib import Path

from analyzer.hybrid.configuration import BlockKey, Configured, Json, read_configuration
from analyzer.hybrid.references import planned_objects
from analyzer.hybrid.worlds import plan_keys
from analyzer.model import (
    BackupSelection,
    Inventory,
    LoadError,
    Location,
    Partial,
    Pattern,
    Ref,
    Suppression,
    TagCondition,
    Unknown,
)
from analyzer.plan.changes import module_of, module_steps, resource_changes
from analyzer.plan.config import Configuration
from analyzer.plan.hcl_view import HclView
from analyzer.plan.loader import collect, read_plan, relative
from analyzer.provider.dynamodb_tags import TagTarget
from analyzer.terraform.files import configuration_files
from analyzer.units import stamp_unit, unit_name

_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')  # an instance key: ["k"], [0]


def load_plan(path: Path, root: Path, tf_dir: Path | None = None
              ) -> tuple[Inventory, list[str], frozenset[str]]:
    """The plan's inventory (its unit: the plan file), the warnings about its configuration,
    and its link keys (hybrid.worlds). An unreadable `--tf-dir` is an error (exit 2, fail
    closed: the user named it); the plan is then read alone, as it is when the directory is not
    its configuration."""
    rel = relative(path, root)
    inventory = Inventory()
    data = read_plan(path, rel, inventory)
    warnings: list[str] = []
    errors: list[LoadError] = []
    configured = None
    keys: frozenset[str] = frozenset()
    if data is not None:
        directory = tf_dir or (path.parent if configuration_files(path.parent) else None)
        # linked even when the directory does not match: it may be the plan's code, edited
        keys = plan_keys(data, None if directory is None else
                         unit_name(relative(directory.resolve(), root)))
        if directory is not None:
            configured = read_configuration(directory.resolve(), root,
                                            relative(directory.resolve(), root) or ".", data)
            why = _unusable(configured, tf_dir is not None)
            if why is not None:
                warnings.append(f"{rel}: {why}, so its findings point at the plan file, the "
                                "iac-ddb-lint:ignore comments there do not apply, and what the "
                                "plan knows only after apply stays unknown")
                errors = configured.errors if tf_dir is not None else []
                configured = None
        where = Location(rel, 1)
        collect(data, where, inventory, _view(configured, data) if configured else None)
        if configured is not None:
            _relocate(inventory, configured)
    stamp_unit(inventory, rel)
    inventory.errors.extend(errors)  # after stamping: no verdict rests on what was not used
    return inventory, warnings, keys


def _unusable(configured: Configured, explicit: bool) -> str | None:
    where, are = (f"--tf-dir {configured.shown}", "is") if explicit else (
        "the Terraform files beside it", "are")
    if configured.errors:
        first = min(configured.errors, key=lambda e: (e.location, e.message))
        return f"{where} could not be read ({first})"
    if configured.mismatch:
        return (f"{where} {are} not the configuration the plan was made from "
                f"({configured.mismatch})")
    return None


def _view(configured: Configured, data: Mapping[str, Json]) -> HclView:
    changes = {c.address: c for c in resource_changes(data)}
    config = Configuration(data)

    def same(address: str, name: str) -> Unknown | None:
        """The plan and the HCL refer to the same objects in argument `name`, or why not."""
        expr = (config.expressions(changes[address]) or {}).get(name)
        block = configured.blocks.get(block_key(address))
        theirs = planned_objects(expr.get("references") or [] if isinstance(
            expr, Mapping) else [])
        ours = (block.references if block else {}).get(name, frozenset())
        if theirs == ours:
            return None
        return Unknown(f"{name} refers to {_listed(ours)} in {configured.shown} and to "
                       f"{_listed(theirs)} in the plan: the code has changed since the "
                       "plan was made")

    def undecided(address: str) -> Unknown:
        return Unknown(f"the configuration in {configured.shown} does not decide the "
                       f"instances of {address}")

    def selection(address: str) -> BackupSelection | Unknown:
        found = configured.selections.get(address)
        if found is None or address not in changes:
            return undecided(address)
        return replace(
            found, resources=same(address, "resources") or _checked(found.resources, changes),
            not_resources=same(address, "not_resources")
            or _checked(found.not_resources, changes),
            plan=same(address, "plan_id") or _checked_plan(found.plan, changes))

    def tag_target(address: str) -> TagTarget | Unknown:
        found = configured.tag_targets.get(address)
        if found is None or address not in changes:
            return undecided(address)
        if isinstance(found, Unknown):
            return found
        if found.table not in changes:
            return Unknown(f"the configuration names {found.table}, which the plan does not "
                           "plan")
        return same(address, "resource_arn") or found

    return HclView(selection, tag_target)


def _listed(objects: frozenset[str]) -> str:
    return ", ".join(sorted(objects)) or "nothing"


def _refs(pattern: Pattern) -> list[Ref]:
    if isinstance(pattern, Ref):
        return [pattern]
    return [p for p in pattern.parts if isinstance(p, Ref)] if isinstance(pattern, Partial) else []


def _unplanned(ref: Ref, planned: Container[str]) -> bool:
    """A managed resource the plan does not plan: HCL saw other instances than Terraform."""
    return not ref.address.startswith("data.") and ".data." not in ref.address and \
        ref.address not in planned


def _checked(patterns: tuple[Pattern, ...] | Unknown, planned: Container[str]
             ) -> tuple[Pattern, ...] | Unknown:
    if isinstance(patterns, Unknown):
        return patterns
    for ref in (r for p in patterns for r in _refs(p)):
        if _unplanned(ref, planned):
            return Unknown(f"the configuration names {ref.address}, which the plan does not plan")
    return patterns


def _checked_plan(plan: Ref | str | Unknown, planned: Container[str]) -> Ref | str | Unknown:
    if isinstance(plan, Ref) and _unplanned(plan, planned):
        return Unknown(f"the configuration names {plan.address}, which the plan does not plan")
    return plan


def block_key(address: str) -> BlockKey:
    """`module.a["x"].module.b.aws_dynamodb_table.t[0]` -> (("a", "b"), "aws_dynamodb_table.t")."""
    module = module_of(address)
    rest = _KEY.sub("", address[len(module):].lstrip("."))
    return tuple(name for name, _ in module_steps(module)), rest


def _relocate(inventory: Inventory, configured: Configured) -> None:
    def at(address: str, old: Location) -> Location:
        found = configured.blocks.get(block_key(address))
        return found.location if found else old

    suppressions: dict[str, list[Suppression]] = {}
    tables = []
    for table in inventory.tables:
        where = at(table.address, table.location)
        if table.replica_region is not None:
            where = configured.replicas.get((table.address, table.replica_region), where)
        pitr = replace(table.pitr, location=where) if table.pitr.location else table.pitr
        tables.append(replace(table, location=where, pitr=pitr))
        found = configured.blocks.get(block_key(table.address))
        if found is not None and found.suppressions:
            suppressions[table.address] = list(found.suppressions)
    inventory.tables = tables
    inventory.suppressions = suppressions
    inventory.selections = [_selection(s, at(s.address, s.location))
                            for s in inventory.selections]
    inventory.plans = [replace(p, location=at(p.address, p.location)) for p in inventory.plans]
    inventory.region_settings = [replace(r, location=at(r.address, r.location))
                                 for r in inventory.region_settings]


def _selection(selection: BackupSelection, where: Location) -> BackupSelection:
    def moved(tests: tuple[TagCondition, ...] | Unknown) -> tuple[TagCondition, ...] | Unknown:
        if isinstance(tests, Unknown):
            return tests
        return tuple(replace(t, location=where) if t.location == selection.location else t
                     for t in tests)

    return replace(selection, location=where, list_of_tags=moved(selection.list_of_tags),
                   conditions=moved(selection.conditions))
