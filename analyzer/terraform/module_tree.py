"""What every module of one root shares (where its modules' files are, what went wrong) and the
code one module call runs (`Target`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.model import LoadError, Location, Notice, Unknown
from analyzer.terraform.files import TfModuleSource

if TYPE_CHECKING:
    from analyzer.terraform.context import ModuleContext

# Terraform has no limit, but a module tree this deep is a recursion we failed to see.
MAX_DEPTH = 24


@dataclass
class ModuleTree:
    """State shared by every module of one root: where files are, what went wrong."""

    root: Path  # the scan root: locations are relative to it
    root_dir: Path  # the root module directory (its .terraform/modules/modules.json)
    errors: list[LoadError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    sources: dict[str, TfModuleSource] = field(default_factory=dict)  # by directory or source
    manifest: dict[str, str] | None = None  # modules.json: call key -> directory


@dataclass
class Target:
    """The code a module call runs: its parsed source, the inputs its knowledge adds, and the
    real path that identifies it (for recursion checks)."""

    source: TfModuleSource
    identity: str
    computed: Mapping[str, object] = field(default_factory=dict)


def record_error(module: ModuleContext, location: Location, message: str) -> Unknown:
    if module.tree is not None:
        module.tree.errors.append(LoadError(location, message))
    return Unknown(message)
