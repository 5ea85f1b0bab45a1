"""What every module of one root shares (where its modules' files are, what went wrong) and the
code one module call runs (`Target`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.hcl.parse import Attribute
from analyzer.model import LoadError, Location, Notice, Unknown
from analyzer.terraform.files import TfFile, TfModuleSource

if TYPE_CHECKING:
    from analyzer.terraform.context import ModuleContext

# Terraform has no limit, but a module tree this deep is a recursion we failed to see.
MAX_DEPTH = 24
# The work budget (issue 15): module instances one root expands to, across every level (each
# call is capped at expand.MAX_INSTANCES, but nesting multiplies). Beyond it, a call's instances
# are undecided, and the call is an error at its position.
MAX_MODULE_INSTANCES = 5_000


@dataclass
class ModuleTree:
    """State shared by every module of one root: where files are, what went wrong."""

    root: Path  # the scan root: locations are relative to it
    root_dir: Path  # the root module directory (its .terraform/modules/modules.json)
    errors: list[LoadError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    sources: dict[str, TfModuleSource] = field(default_factory=dict)  # by directory or source
    manifest: dict[str, str] | None = None  # modules.json: call key -> directory
    module_instances: int = 0  # expanded so far, against MAX_MODULE_INSTANCES


@dataclass
class Target:
    """The code a module call runs: its parsed source, the inputs its knowledge adds, and the
    real path that identifies it (for recursion checks)."""

    source: TfModuleSource
    identity: str
    computed: Mapping[str, object] = field(default_factory=dict)


def record_error(module: ModuleContext, location: Location, message: str) -> Unknown:
    """Once per root: a block is expanded again by every reader, and once per module instance."""
    error = LoadError(location, message)
    if module.tree is not None and error not in module.tree.errors:
        module.tree.errors.append(error)
    return Unknown(message)


def expansion_reporter(module: ModuleContext, file: TfFile) -> Callable[[Attribute, str], None]:
    """Records the count/for_each arguments Terraform rejects as errors at their position."""

    def report(attribute: Attribute, message: str) -> None:
        record_error(module, Location(file.rel, attribute.line, attribute.col), message)

    return report
