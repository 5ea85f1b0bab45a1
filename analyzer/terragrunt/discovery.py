"""Which directories are Terragrunt units, and which module folders they run (for discovery).

A directory with a `terragrunt.hcl` is a unit, unless another scanned unit includes that file
and it runs no module of its own (no `source`, no `.tf` files): a root configuration shared
by its children, judged only through them. A local module folder
a unit's `terraform { source }` names is judged through the unit, with its inputs, not again on
its own as a Terraform root.
"""

from __future__ import annotations

import os
from pathlib import Path

from analyzer.hcl.budget import work_budget
from analyzer.terraform.files import configuration_files
from analyzer.terragrunt.config import Config, Settings
from analyzer.terragrunt.loader import CONFIG_NAME, unit_config
from analyzer.terragrunt.sources import LocalSource, classify


def terragrunt_units(directories: list[Path], root: Path
                     ) -> tuple[list[Path], set[str], set[str]]:
    """(the unit directories, the real paths of the module folders they run, the real paths
    of the files they include). Files that do not evaluate are skipped here: the loader
    reports them."""
    included: set[str] = set()
    sourced: set[str] = set()
    runs_module: set[Path] = set()  # a source of its own (or inherited), or .tf files
    for directory in directories:
        settings = Settings(root)
        with work_budget():  # as the loader evaluates it: bounded
            config, _ = unit_config(directory, root, settings=settings)
        included |= settings.included - {os.path.realpath(directory / CONFIG_NAME)}  # by others
        if not isinstance(config, Config) or config.source is not None or configuration_files(
                directory):
            runs_module.add(directory)  # one that does not evaluate: the loader reports it
        if isinstance(config, Config) and isinstance(config.source, str):
            found = classify(config.source, directory)
            if isinstance(found, LocalSource):
                sourced.add(os.path.realpath(found.directory))
    # An included configuration with no module of its own is only shared by its children.
    units = [d for d in directories
             if d in runs_module or os.path.realpath(d / CONFIG_NAME) not in included]
    return sorted(units), sourced, included
