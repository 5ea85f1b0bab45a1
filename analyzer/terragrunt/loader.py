"""The Terragrunt loader: one unit (a directory with `terragrunt.hcl`) to model objects.

Terragrunt copies the module its `terraform { source }` names into a working directory, copies
the unit's own files over it, and runs Terraform there with every input as a `TF_VAR_`
environment variable. So the module is judged as a root module whose variables come, lowest
first, from their defaults, the unit's inputs, the user's own `TF_VAR_` variables (Terragrunt
never overrides them), `terraform.tfvars` / `*.auto.tfvars` of the module and the unit, then
`--var-file` / `--var`. Tables are located at their blocks in the module's code; the unit is
the terragrunt.hcl directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from analyzer import boundary
from analyzer.catalog import NOT_ANALYSED_RULE
from analyzer.hcl.budget import work_budget
from analyzer.model import Inventory, LoadError, Location, Notice, Unknown
from analyzer.terraform.collect import collect
from analyzer.terraform.context import WORKSPACE_UNKNOWN, ModuleContext
from analyzer.terraform.file_access import RepositoryFiles
from analyzer.terraform.files import TfModuleSource, read_module, relative
from analyzer.terraform.inputs import InputLayers, root_variables
from analyzer.terraform.module_tree import ModuleTree
from analyzer.terraform.registry import known_module
from analyzer.terraform.typed_variables import declare
from analyzer.terragrunt.config import MAX_INCLUDE_DEPTH, Config, Settings, read_config
from analyzer.terragrunt.env_values import as_env_values
from analyzer.terragrunt.functions import UnitPaths
from analyzer.terragrunt.generated import with_generated
from analyzer.terragrunt.sources import LocalSource, classify

CONFIG_NAME = "terragrunt.hcl"


def unit_config(unit_dir: Path, root: Path, mock_outputs: bool = False,
                settings: Settings | None = None) -> tuple[Config | Unknown, list[LoadError]]:
    """The unit's terragrunt.hcl evaluated, with what it includes merged in (`settings`
    collect what it read)."""
    settings = settings or Settings(root, mock_outputs)
    repository = Path(RepositoryFiles(unit_dir, root).repository)
    paths = UnitPaths(unit_dir, repository)
    paths.reader = lambda path, start: _read_other(path, start, repository, settings)
    config = read_config(unit_dir / CONFIG_NAME, paths, settings)
    return config, settings.errors


def _read_other(path: str, start: Path, repository: Path, settings: Settings) -> object:
    """read_terragrunt_config(): the file evaluated in its own directory's context."""
    target = Path(os.path.normpath(start / path))
    real = os.path.realpath(target)
    if real in settings.reads or len(settings.reads) >= MAX_INCLUDE_DEPTH:
        return Unknown(f"read_terragrunt_config({path!r}) reads itself, or nests too deeply")
    paths = UnitPaths(target.parent, repository)
    paths.reader = lambda inner, at: _read_other(inner, at, repository, settings)
    settings.reads.append(real)
    try:
        found = read_config(target, paths, settings)
        return found.value() if isinstance(found, Config) else found
    finally:
        settings.reads.pop()


def load_terragrunt_unit(unit_dir: Path, root: Path, layers: InputLayers | None = None,
                         mock_outputs: bool = False) -> Inventory:
    with work_budget():
        return _load(unit_dir, root, layers or InputLayers(), mock_outputs)


def _load(unit_dir: Path, root: Path, layers: InputLayers, mock_outputs: bool) -> Inventory:
    unit = relative(unit_dir, root) or "."
    config, errors = unit_config(unit_dir, root, mock_outputs)
    inventory = Inventory(errors=list(errors))
    if isinstance(config, Unknown):  # the unit's own file: its error is already recorded
        return _stamped(inventory, unit)
    module = _module(config, unit_dir, root, unit, inventory)
    if module is None:
        return _stamped(inventory, unit)
    source, computed = module
    source = with_generated(source, config.generated, unit, inventory)
    declared = {b.labels[0]: declare(f, b) for f, b in source.blocks("variable") if b.labels}
    inputs = as_env_values(config.inputs, declared)
    tfvars = [source.directory, unit_dir] if source.directory != unit_dir else [unit_dir]
    variables, var_errors = root_variables(source, source.directory, root, layers,
                                           below_env=inputs, tfvars_dirs=tfvars)
    variables.update(computed)
    inventory.errors.extend(var_errors)
    tree = ModuleTree(root, source.directory)
    context = ModuleContext(source, "", variables, tree=tree,
                            chain=(os.path.realpath(source.directory),),
                            workspace=WORKSPACE_UNKNOWN if layers.workspace is None
                            else layers.workspace)
    context.build()
    pending = [context]
    while pending:
        current = pending.pop()
        collect(current, inventory)
        pending.extend(reversed(current.children()))
    inventory.errors.extend(tree.errors)
    inventory.notices.extend(tree.notices)
    return _stamped(inventory, unit)


def _module(config: Config, unit_dir: Path, root: Path, unit: str, inventory: Inventory
            ) -> tuple[TfModuleSource, dict[str, object]] | None:
    """The module code the unit runs, with the values registry knowledge computes; None when
    there is none to judge (a DDB005 notice says why where the code is not known)."""
    where = config.source_at or Location(config.file, 1)
    if config.source is None:  # Terraform runs in the unit's own directory
        own = read_module(unit_dir, root)
        inventory.errors.extend(own.errors)
        return (own, {}) if own.files else None
    if not isinstance(config.source, str):
        reason = (config.source.reason if isinstance(config.source, Unknown)
                  else "it is not a string")
        _not_analysed(inventory, unit, where, f"{unit}: terraform.source is not decided "
                      f"({reason}), so its module was not analysed", unit)
        return None
    found = classify(config.source, unit_dir)
    if isinstance(found, LocalSource):
        return _local(found.directory, config.source, unit_dir, root, where, inventory)
    target = known_module(found.address, where, unit_dir)
    if target is None:
        _not_analysed(inventory, unit, where, f'{unit} runs the module "{config.source}", '
                      "which was not analysed: only local modules and the known registry "
                      "modules are read", config.source)
        return None
    return (_with_unit_files(target.source, unit_dir, root, inventory, known=True),
            dict(target.computed))


def _local(directory: Path, text: str, unit_dir: Path, root: Path, where: Location,
           inventory: Inventory) -> tuple[TfModuleSource, dict[str, object]] | None:
    if not boundary.inside(str(directory)):
        inventory.errors.append(LoadError(where, f'terraform source "{text}" '
                                          + boundary.outside_reason(directory,
                                                                    relative(directory, root))))
        return None
    if not os.path.isdir(directory):
        inventory.errors.append(LoadError(where, f'terraform source "{text}" is not a '
                                          f"directory ({relative(directory, root)} does not "
                                          "exist)"))
        return None
    module = read_module(directory, root)
    inventory.errors.extend(module.errors)
    return _with_unit_files(module, unit_dir, root, inventory), {}


def _with_unit_files(module: TfModuleSource, unit_dir: Path, root: Path,
                     inventory: Inventory, known: bool = False) -> TfModuleSource:
    """Terragrunt copies the unit's own `.tf` files over the module's (same name: the unit's)."""
    if not known and os.path.realpath(module.directory) == os.path.realpath(unit_dir):
        return module
    own = read_module(unit_dir, root)
    if not own.files and not own.errors:
        return module
    inventory.errors.extend(own.errors)
    names = {f.path.name for f in own.files}
    files = [f for f in module.files if f.path.name not in names] + own.files
    return TfModuleSource(module.directory, files, module.errors)


def _not_analysed(inventory: Inventory, unit: str, where: Location, reason: str, group: str
                  ) -> None:
    inventory.notices.append(Notice(NOT_ANALYSED_RULE, unit, where, reason, group=group))


def _stamped(inventory: Inventory, unit: str) -> Inventory:
    from analyzer.units import stamp_unit

    return stamp_unit(inventory, unit)
