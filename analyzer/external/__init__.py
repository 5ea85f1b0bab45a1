"""Coverage from outside the repository: backup configuration another repository declares.

A central backup repository selects the tables of application repositories by tag. Its run
writes what it found to an exchange file (`--export-selections`, `export.py`); another run
reads it back (`--selections-from`, `imported.py`) and its selections count there, with
their origin in the evidence. Policies managed where no code shows them are declared by hand
in the configuration (`declared.py`). The package builds model objects only; the one judge
(`aws`) decides what they select.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.external.declared import Declaration, Declared, declared_selections
from analyzer.external.imported import (
    ImportedFile,
    SelectionsFileError,
    imported_inventory,
    is_external,
    read_selections_file,
)
from analyzer.model import Inventory


@dataclass(frozen=True)
class ExternalSources:
    """What a run adds from outside the scanned tree: exchange files and declarations."""

    files: tuple[ImportedFile, ...] = ()
    declarations: tuple[Declaration, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.files or self.declarations)

    def inventory(self, root: Path) -> Inventory:
        """Their selections, plans and Region settings, located relative to the scan root."""
        inventory = imported_inventory(self.files, root)
        inventory.selections.extend(declared_selections(self.declarations, root))
        return inventory


def read_sources(selections_from: Sequence[str], declarations: Iterable[Declaration] = ()
                 ) -> ExternalSources:
    """Read every exchange file (SelectionsFileError names the first problem: exit 2)."""
    return ExternalSources(tuple(read_selections_file(name) for name in selections_from),
                           tuple(declarations))


__all__ = [
    "Declaration", "Declared", "ExternalSources", "SelectionsFileError", "declared_selections",
    "is_external", "read_sources",
]
