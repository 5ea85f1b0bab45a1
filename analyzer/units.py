"""Units: what one loader call reads (a Terraform root with its modules, a template with its
nested stacks). Identity is scoped by unit, so every object a loader returns is stamped with
its unit here, once, in the same way for every input language (see model.py)."""

from __future__ import annotations

from dataclasses import replace

from analyzer.model import Inventory


def stamp_unit(inventory: Inventory, unit: str) -> Inventory:
    """Mark every object of one unit's inventory as that unit's, and the unit unreadable when
    one of its inputs could not be read."""
    inventory.tables = [replace(t, unit=unit) for t in inventory.tables]
    inventory.selections = [replace(s, unit=unit) for s in inventory.selections]
    inventory.plans = [replace(p, unit=unit) for p in inventory.plans]
    inventory.region_settings = [replace(r, unit=unit) for r in inventory.region_settings]
    inventory.notices = [replace(n, unit=unit) for n in inventory.notices]
    inventory.suppressions = {
        address: [replace(s, unit=unit) for s in items]
        for address, items in inventory.suppressions.items()
    }
    if inventory.errors:
        first = min(inventory.errors, key=lambda e: (e.location, e.message))
        inventory.unreadable.setdefault(unit, first)
    return inventory


def unit_name(relative_dir: str) -> str:
    """A root module directory as a unit name: its path relative to the scan root, `.` for
    the scan root itself."""
    return relative_dir or "."
