"""The run: discover -> load -> coverage. Rules, suppression and reports come after."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analyzer.model import Inventory, Verdict


@dataclass
class ScanResult:
    root: Path  # every `Location.file` is relative to this directory
    inventory: Inventory = field(default_factory=Inventory)
    verdicts: list[Verdict] = field(default_factory=list)  # one per table, sorted by address



def scan(paths: list[str]) -> ScanResult:
    """Discover units under `paths`, load them, and judge every table. Never raises on bad input:
    unreadable files become `inventory.errors`."""
    from analyzer.aws import judge
    from analyzer.discover import discover

    found = discover(paths)
    result = ScanResult(found.root)
    for unit in found.units:
        result.inventory.extend(_load(unit.kind, unit.path, found.root))
    inventory = result.inventory
    inventory.tables.sort(key=lambda t: (t.address, t.location, t.replica_region or ""))
    inventory.errors.sort(key=lambda e: (e.location, e.message))
    result.verdicts = judge(inventory)
    return result


def _load(kind: str, path: Path, root: Path) -> Inventory:
    if kind == "terraform":
        from analyzer.loaders.terraform import load_terraform_unit

        return load_terraform_unit(path, root)
    raise ValueError(f"no loader for {kind} units")  # pragma: no cover - discover's kinds
