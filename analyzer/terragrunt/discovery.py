"""Which directories are Terragrunt units, and which module folders they run (for discovery).

A directory with a `terragrunt.hcl` is a unit, unless another scanned unit includes that file
(a root configuration shared by its children, judged only through them). A local module folder
a unit's `terraform { source }` names is judged through the unit, with its inputs, not again on
its own as a Terraform root.
"""

from __future__ import annotations

import os
from pathlib import Path

from analyzer.hcl.budget import work_budget
from analyzer.terragrunt.config import Config, Settings
from analyzer.terragrunt.loader import CONFIG_NAME, unit_config
from analyzer.terragrunt.sources import LocalSource, classify


def has_config(files: list[Path]) -> bool:
    return any(f.name == CONFIG_NAME for f in files)


def terragrunt_units(directories: list[Path], root: Path
                     ) -> tuple[list[Path], set[str], set[str]]:
    """(the unit directories, the real paths of the module folders they run, the real paths
    of the files they include). Files that do not evaluate are skipped here: the loader
    reports them."""
    included: set[str] = set()
    sourced: set[str] = set()
    for directory in directories:
        settings = Settings(root)
        with work_budget():  # as the loader evaluates it: bounded
            config, _ = unit_config(directory, root, settings=settings)
        included |= settings.included
        if isinstance(config, Config) and isinstance(config.source, str):
            found = classify(config.source, directory)
            if isinstance(found, LocalSource):
                sourced.add(os.path.realpath(found.directory))
    units = [d for d in directories if os.path.realpath(d / CONFIG_NAME) not in included]
    return sorted(units), sourced, included
