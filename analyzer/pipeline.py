"""The run: discover -> load -> coverage. Rules, suppression and reports come after."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import GC_THRESHOLD, progress
from analyzer.model import Inventory, LoadError, Location, Policy, Table, Verdict

if TYPE_CHECKING:
    from analyzer.discover import Discovery
    from analyzer.external import ExternalSources
    from analyzer.inputs import TerraformInputs
    from analyzer.terraform.input_layers import InputLayers


@dataclass
class ScanResult:
    root: Path  # every `Location.file` is relative to this directory
    inventory: Inventory = field(default_factory=Inventory)
    verdicts: list[Verdict] = field(default_factory=list)  # one per table, sorted by address
    warnings: list[str] = field(default_factory=list)  # about the invocation, for stderr
    # The kind of input each unit is: "terraform", "cloudformation" or "plan" (reports say it).
    inputs: dict[str, str] = field(default_factory=dict)
    # Per unit, the units judged apart from it (other worlds of its configuration: hybrid.worlds).
    exclusive: dict[str, frozenset[str]] = field(default_factory=dict)
    baselined: int | None = None  # findings a --baseline hid; None: no baseline was used


def scan(
    paths: list[str],
    inputs: TerraformInputs | None = None,
    *,
    parameters: Mapping[str, str] | None = None,
    tf_dir: str | None = None,
    external: ExternalSources | None = None,
    policy: Policy | None = None,
) -> ScanResult:
    """Discover units under `paths`, load them, and judge every table. Never raises on bad input:
    unreadable files become `inventory.errors`. `inputs` are root variable values from outside
    (--var, --var-file, TF_VAR_ environment variables); none by default. `parameters` pin
    CloudFormation template parameters (--parameter KEY=VALUE). `tf_dir` is the configuration
    the plan files were made from (--tf-dir): their verdicts then point at its blocks.
    `external` is backup configuration from outside the tree (--selections-from, declared
    external selections), added to every world.
    `policy` is what the judge requires of every table (the policy options)."""
    from analyzer import boundary

    named = [path for kind, path in inputs.cli if kind == "var-file"] if inputs else []
    with boundary.scope([*paths, tf_dir] if tf_dir else paths, named), _few_collections():
        return _scan(paths, inputs, parameters, tf_dir, external, policy)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run the scan with the cyclic garbage collector triggered less often. A scan builds
    hundreds of thousands of long-lived syntax-tree objects and no cycles to speak of; at
    Python's default (a collection every 700 allocations) the collector took half the CPU of a
    warm 2,000-table run. Memory is unchanged: objects are still freed by reference count."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _scan(
    paths: list[str], inputs: TerraformInputs | None, parameters: Mapping[str, str] | None,
    tf_dir: str | None = None, external: ExternalSources | None = None,
    policy: Policy | None = None,
) -> ScanResult:
    from analyzer.discover import discover
    from analyzer.terraform.input_layers import read_inputs

    found = discover(paths, [tf_dir] if tf_dir else [])
    result = ScanResult(found.root)
    result.warnings.extend(_nothing_found(found, paths))
    layers = read_inputs(inputs, found.root, _read_var_file)
    # One world per --workspace when several are named: every Terraform root is loaded in each
    # (terraform.workspace set), templates and plans once; each world is judged on its own.
    named = inputs.workspaces if inputs is not None and len(inputs.workspaces) > 1 else ()
    worlds = [(name, replace(layers, workspace=name)) for name in named] or [("", layers)]
    inventories = [Inventory() for _ in worlds]
    for inventory in inventories:
        inventory.errors.extend(found.errors)
        inventory.errors.extend(layers.errors)
    links: dict[str, frozenset[str]] = {}  # hybrid.worlds: one configuration's worlds
    for done, unit in enumerate(found.units):
        progress.step(done, len(found.units))
        if unit.kind == "cloudformation":
            continue  # templates load together (nested stacks)
        if unit.kind == "plan":
            part, keys = _load_plan(unit.path, found.root, tf_dir, result)
            links.update(dict.fromkeys(_units(part), keys))
            for inventory in inventories:
                inventory.extend(part)
        else:
            for inventory, (_, world) in zip(inventories, worlds, strict=True):
                part = _load(unit.kind, unit.path, found.root, world,
                             bool(inputs and inputs.terragrunt_mock_outputs))
                unread_vars = layers.errors and unit.kind in ("terraform", "terragrunt")
                for name in {t.unit for t in part.tables} if unread_vars else ():
                    part.unreadable.setdefault(name, layers.errors[0])  # a --var-file unread
                inventory.extend(part)
            if unit.kind == "terraform":
                from analyzer.hybrid.worlds import hcl_keys

                links.update({name: hcl_keys(name) for name in _units(part)})
        result.inputs.update(dict.fromkeys(_units(part), unit.kind))
    if any(unit.kind in ("terraform", "terragrunt") for unit in found.units):
        result.warnings.extend(
            f'--var {name}: no scanned Terraform root module declares variable "{name}", '
            "so the value is not used" for name in layers.undeclared_cli_vars())
    templates = [unit.path for unit in found.units if unit.kind == "cloudformation"]
    unused = [name for name in parameters or {} if not name.startswith("AWS::")]
    if templates:
        from analyzer.cloudformation.loader import load_templates

        unused = []
        stacks = load_templates(templates, found.root, parameters, unused)
        result.inputs.update(dict.fromkeys(_units(stacks), "cloudformation"))
        for inventory in inventories:
            inventory.extend(stacks)
    result.warnings.extend(
        f'--parameter {name}: no scanned template declares parameter "{name}" (a nested '
        "stack takes its parameters from its parent), so the value is not used"
        for name in sorted(unused))
    progress.step(len(found.units), len(found.units))
    outside = external.inventory(found.root) if external else None
    for inventory in inventories:
        if outside is not None:
            inventory.extend(outside)
        _tidy(inventory)
    exclusive = result.exclusive = _exclusive(links, result)
    if len(worlds) == 1:
        result.inventory = inventories[0]
        result.verdicts = _judge(result.inventory, exclusive, policy)  # per scenario
    else:
        from analyzer.aws.workspaces import merge_workspaces

        runs = [(name, _judge(inv, exclusive, policy))
                for (name, _), inv in zip(worlds, inventories, strict=True)]
        result.verdicts = sorted(merge_workspaces(runs), key=lambda v: _table_order(v.table))
        result.inventory = _union(inventories)
    result.inventory.tables = [verdict.table for verdict in result.verdicts]  # variants merged
    return result


def _exclusive(links: dict[str, frozenset[str]], result: ScanResult
               ) -> dict[str, frozenset[str]]:
    """Units that are other worlds of a unit's configuration (hybrid.worlds); says on stderr
    which plans could not be linked to the Terraform roots scanned with them."""
    from analyzer.hybrid.worlds import excluded

    exclusive = excluded(links)
    kinds = result.inputs
    if any(kind == "terraform" for kind in kinds.values()):
        for unit in sorted(u for u, kind in kinds.items() if kind == "plan"):
            if not any(kinds.get(o) == "terraform" for o in exclusive.get(unit, ())):
                result.warnings.append(
                    f"{unit}: judged together with Terraform roots it is not linked to; if it "
                    "was planned from one of them, pass --tf-dir (or keep the plan beside its "
                    ".tf files) so that a selection of one world never protects the other")
    return exclusive


def _judge(inventory: Inventory, exclusive: dict[str, frozenset[str]],
           policy: Policy | None = None) -> list[Verdict]:
    """The one judge, run once per distinct set of excluded units: the tables of a unit are
    judged without the objects of the units that are other worlds of its configuration."""
    from analyzer.aws import judge as judge_all

    def judge(part: Inventory) -> list[Verdict]:  # the plain call unless a policy is set
        return judge_all(part) if policy is None else judge_all(part, policy)

    if not exclusive:
        return judge(inventory)
    verdicts: list[Verdict] = []
    for left_out in sorted({exclusive.get(t.unit, frozenset()) for t in inventory.tables},
                           key=sorted):
        mine = [t for t in inventory.tables if exclusive.get(t.unit, frozenset()) == left_out]
        world = replace(inventory, tables=mine,
                        selections=[s for s in inventory.selections if s.unit not in left_out],
                        plans=[p for p in inventory.plans if p.unit not in left_out],
                        region_settings=[r for r in inventory.region_settings
                                         if r.unit not in left_out])
        verdicts += judge(world)
    return sorted(verdicts, key=lambda v: _table_order(v.table))


def _table_order(t: Table) -> tuple[str, Location, str, str]:
    return (t.address, t.location, t.replica_region or "", t.unit)


def _tidy(inventory: Inventory) -> None:
    inventory.tables.sort(key=_table_order)
    # A module read by several callers (or a -var read by several roots) reports its error once.
    inventory.errors = sorted(set(inventory.errors), key=lambda e: (e.location, e.message))
    inventory.notices = sorted(set(inventory.notices),
                               key=lambda n: (n.location, n.resource, n.message))


def _union(inventories: list[Inventory]) -> Inventory:
    """What the workspaces' worlds hold together (for reports: errors, notices, selections)."""
    union = Inventory()
    for inventory in inventories:
        union.extend(inventory)
    union.selections = list(dict.fromkeys(union.selections))
    union.plans = list(dict.fromkeys(union.plans))
    union.region_settings = list(dict.fromkeys(union.region_settings))
    union.suppressions = {address: list(dict.fromkeys(items))
                          for address, items in union.suppressions.items()}
    _tidy(union)
    return union


def _nothing_found(found: Discovery, paths: list[str]) -> list[str]:
    """A scan that reads nothing says so (exit 0 stays: there is nothing to judge)."""
    notes = [f"{name}: not a Terraform file (.tf, .tf.json, .tfvars) or a CloudFormation "
             "template, so it was not read" for name in found.unread]
    if not found.units and len(found.missing) + len(found.unread) < len(paths):
        where = ", ".join(paths) if paths else "."
        notes.append(f"no Terraform configuration (.tf or .tf.json files) and no CloudFormation "
                     f"template (YAML or JSON with AWSTemplateFormatVersion or AWS:: resource "
                     f"types) found in {where}")
    return notes


def _units(part: Inventory) -> list[str]:
    units = {t.unit for t in part.tables} | {s.unit for s in part.selections}
    units |= {n.unit for n in part.notices}
    return sorted(units | {s.unit for items in part.suppressions.values() for s in items})


def _read_var_file(path: Path, root: Path) -> tuple[dict[str, object], LoadError | None]:
    from analyzer.terraform.inputs import read_var_file  # HCL: only when a var-file is named

    return read_var_file(path, root)


def _load_plan(path: Path, root: Path, tf_dir: str | None, result: ScanResult
               ) -> tuple[Inventory, frozenset[str]]:
    """A plan unit, with its configuration when it is known (analyzer.hybrid), and its link
    keys (hybrid.worlds)."""
    from analyzer.hybrid.join import load_plan

    part, warnings, keys = load_plan(path, root, Path(tf_dir) if tf_dir else None)
    result.warnings.extend(warnings)
    return part, keys


def _load(kind: str, path: Path, root: Path, layers: InputLayers, mocks: bool = False
          ) -> Inventory:
    if kind == "terraform":
        from analyzer.terraform.loader import load_terraform_unit

        return load_terraform_unit(path, root, layers)
    if kind == "terragrunt":
        from analyzer.terragrunt.loader import load_terragrunt_unit

        return load_terragrunt_unit(path, root, layers, mocks)
    raise ValueError(f"no loader for {kind} units")  # pragma: no cover - discover's kinds
