"""`--changed-only`: judge the units of changed files (as pre-commit hands them) against the
whole repository.

Coverage crosses units: a central backup root may select tables declared anywhere. So every
unit under the working directory (the repository root) is loaded, and the report is cut down to
the tables of the units the changed files belong to (a file pulls in its whole unit, a root's
module calls included). When a changed unit holds AWS Backup configuration (a selection, plan,
Region setting or backup policy), or declares no table at all (what is left of a backup root
whose selections were just deleted), any table may have changed verdict: nothing is cut.

Per unit, the scope is the same whichever other files are handed in with it, so pre-commit's
batching cannot change the outcome: the findings of all batches together are those of one run
over all the files. Inputs that cannot be read are always reported (fail closed). What a file
list cannot show: a deleted file is not handed in, so removing a whole backup root is only seen
by a whole-repository run (the `iac-ddb-lint-all` hook).

Plans: a changed Terraform plan JSON file is judged whole and on its own, every table it plans,
exactly as `iac-ddb-lint plan.json` judges it (a plan already is the change). Not against the
repository: the configuration it was planned from is there too, and its selections (with other
variable values, or in another workspace) are not the plan's world, so they could protect a
table the plan leaves unprotected. A changed plan is judged wherever it lies (next to `.tf`
files, in a hidden folder), never silently dropped, and it widens no other unit's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import boundary
from analyzer.model import Inventory, Location

if TYPE_CHECKING:
    from analyzer.pipeline import ScanResult

Scan = Callable[[list[str]], "ScanResult"]


def scan_changed(files: list[str], scan: Scan) -> ScanResult:
    """The whole repository's scan, restricted to what the changed `files` can affect; each
    changed plan file judged whole and on its own."""
    from analyzer.discover import discover
    from analyzer.pipeline import ScanResult

    cwd = Path.cwd().resolve()
    if not all(_inside(Path(f), cwd) for f in files):
        return scan(files)  # no repository around the files: judge their units alone
    groups: dict[tuple[object, ...], list[str]] = {}
    plans: dict[str, str] = {}  # changed plan file as given -> its unit in a scan from cwd
    # A shared Terragrunt configuration (root.hcl, a terragrunt.hcl units include, env.hcl
    # read by read_terragrunt_config) may change the inputs of any unit: nothing is cut.
    shared_config = _shared_terragrunt_config(files)
    with boundary.scope(["."]):  # discovery peeks into files: the repository's only
        for name in files:
            units = tuple(discover([name]).units)
            if units and all(unit.kind == "plan" for unit in units):
                plans.setdefault(name, Path(name).resolve().relative_to(cwd).as_posix())
            elif units:  # a file no loader reads (a README, a non-CloudFormation YAML): skipped
                groups.setdefault(units, []).append(name)
    judged = [scan([name]) for name in sorted(plans)]  # as `iac-ddb-lint plan.json` judges it
    if not groups and not shared_config:
        return _merged(ScanResult(cwd), judged, set())
    # The walk skips hidden directories; a staged `.infra/main.tf` is in scope all the same.
    hidden = sorted({str(Path(f).parent) for f in files
                     if f not in plans and any(part.startswith(".") and part not in (".", "..")
                                               for part in Path(f).parent.parts)})
    whole = scan([".", *hidden])
    if shared_config:
        return _merged(whole, judged, set(plans.values()))
    scope = _Scope()
    for group in groups.values():
        if not scope.add(scan(group).inventory):
            return _merged(whole, judged, set(plans.values()))  # any verdict may move
    return _merged(_restrict(whole, scope), judged, set(plans.values()))


def _merged(result: ScanResult, plans: list[ScanResult], units: set[str]) -> ScanResult:
    """`result` with the verdicts of the changed plans, each judged alone, in place of what
    the repository scan said of them (a plan folder the walk reads is in both)."""
    inventory = result.inventory
    inventory.tables = [t for t in inventory.tables if t.unit not in units]
    verdicts = [v for v in result.verdicts if v.table.unit not in units]
    for plan in plans:
        inventory.extend(plan.inventory)
        verdicts += plan.verdicts
    inventory.errors = sorted(set(inventory.errors), key=lambda e: (e.location, e.message))
    return replace(result, inventory=inventory, verdicts=verdicts,
                   warnings=[*result.warnings, *(w for p in plans for w in p.warnings)])


class _Scope:
    """Which tables (by location) and which files the changed units cover."""

    def __init__(self) -> None:
        self.tables: set[Location] = set()
        self.files: set[str] = set()

    def add(self, inventory: Inventory) -> bool:
        """Add one changed unit; False when it can change verdicts outside itself."""
        if not inventory.tables or inventory.selections or inventory.plans:
            return False
        if inventory.region_settings:
            return False
        self.tables.update(t.location for t in inventory.tables)
        self.files.update(t.location.file for t in inventory.tables)
        for items in inventory.suppressions.values():
            self.files.update(s.location.file for s in items)
        self.files.update(n.location.file for n in inventory.notices)
        return True


def _restrict(result: ScanResult, scope: _Scope) -> ScanResult:
    inventory = result.inventory
    narrowed = replace(
        inventory,
        tables=[t for t in inventory.tables if t.location in scope.tables],
        selections=[],  # a changed unit holds none, or nothing is cut
        plans=[],
        region_settings=[],
        suppressions={
            address: kept
            for address, items in inventory.suppressions.items()
            if (kept := [s for s in items if s.location.file in scope.files])
        },
        notices=[n for n in inventory.notices if n.location.file in scope.files],
    )
    verdicts = [v for v in result.verdicts if v.table.location in scope.tables]
    return replace(result, inventory=narrowed, verdicts=verdicts)


def _shared_terragrunt_config(files: list[str]) -> bool:
    """Is a changed file a Terragrunt configuration other than one unit's own terragrunt.hcl?"""
    configs = [f for f in files if f.endswith(".hcl") and not Path(f).name.startswith(".")]
    # (.terraform.lock.hcl pins provider versions: it decides nothing here)
    if any(Path(f).name != "terragrunt.hcl" for f in configs):
        return True
    if not configs:
        return False
    from analyzer.discover import discover

    with boundary.scope(["."]):
        shared = discover(["."]).shared_configs
    return any(str(Path(f).resolve()) in shared for f in configs)


def _inside(path: Path, root: Path) -> bool:
    real = path.resolve()
    return real == root or root in real.parents
