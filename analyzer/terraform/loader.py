"""The Terraform loader: one root module directory, and every module it calls, to model objects."""

from __future__ import annotations

import os
from pathlib import Path

from analyzer.hcl.budget import work_budget
from analyzer.model import Inventory, LoadError
from analyzer.terraform.collect import collect
from analyzer.terraform.context import WORKSPACE_UNKNOWN, ModuleContext
from analyzer.terraform.files import TfModuleSource, read_module, relative
from analyzer.terraform.inputs import InputLayers
from analyzer.terraform.inputs import root_variables as _root_variables
from analyzer.terraform.module_tree import ModuleTree
from analyzer.units import stamp_unit, unit_name


def load_terraform_unit(
    directory: Path, root: Path, layers: InputLayers | None = None
) -> Inventory:
    """Everything one root module declares, its module calls included (each instance under
    its own address). A file that does not parse is an error; the other files of the unit are
    still read so their tables still get a verdict. `layers` are values from outside (-var,
    -var-file, TF_VAR_), read once per run."""
    with work_budget():  # one evaluation budget for the whole root (see hcl.budget)
        return _load(directory, root, layers)


def _load(directory: Path, root: Path, layers: InputLayers | None) -> Inventory:
    source = read_module(directory, root)
    inventory = Inventory(errors=list(source.errors))
    variables, var_errors = root_variables(source, directory, root, layers)
    inventory.errors.extend(var_errors)
    tree = ModuleTree(root, directory)
    workspace = layers.workspace if layers is not None else None
    module = ModuleContext(source, "", variables, tree=tree,
                           chain=(os.path.realpath(directory),),
                           workspace=WORKSPACE_UNKNOWN if workspace is None else workspace)
    module.build()
    _collect_all(module, inventory)
    inventory.errors.extend(tree.errors)
    inventory.notices.extend(tree.notices)
    return stamp_unit(inventory, unit_name(relative(directory, root)))


def _collect_all(module: ModuleContext, inventory: Inventory) -> None:
    """The module and every module instance below it (a loop, not recursion per level)."""
    pending = [module]
    while pending:
        current = pending.pop()
        collect(current, inventory)
        pending.extend(reversed(current.children()))


def root_variables(
    source: TfModuleSource, directory: Path, root: Path, layers: InputLayers | None = None
) -> tuple[dict[str, object], list[LoadError]]:
    """Variable values by Terraform's precedence (see terraform.inputs)."""
    return _root_variables(source, directory, root, layers)
