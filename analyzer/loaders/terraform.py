"""The Terraform loader: one root module directory to model objects."""

from __future__ import annotations

from pathlib import Path

from analyzer.loaders.hcl_eval import evaluate
from analyzer.loaders.tf_collect import collect
from analyzer.loaders.tf_files import TfModuleSource, parse_file, read_module
from analyzer.loaders.tf_module import ModuleContext
from analyzer.model import Inventory, LoadError, Unknown


def load_terraform_unit(directory: Path, root: Path) -> Inventory:
    """Everything one root module declares. A file that does not parse is an error; the other
    files of the unit are still read so their tables still get a verdict."""
    source = read_module(directory, root)
    inventory = Inventory(errors=list(source.errors))
    variables, var_errors = root_variables(source, directory, root)
    inventory.errors.extend(var_errors)
    module = ModuleContext(source, "", variables)
    module.build()
    collect(module, inventory)
    return inventory


def root_variables(
    source: TfModuleSource, directory: Path, root: Path
) -> tuple[dict[str, object], list[LoadError]]:
    """Variable values by Terraform's precedence: defaults, then terraform.tfvars, then
    *.auto.tfvars in lexical order (later wins)."""
    declared: dict[str, object] = {}
    for _, block in source.blocks("variable"):
        if not block.labels:
            continue
        name = block.labels[0]
        default = block.body.attributes.get("default")
        declared[name] = (
            evaluate(default.expr, {}) if default is not None
            else Unknown(f"var.{name} has no default and no value is set")
        )
    errors: list[LoadError] = []
    files = [directory / "terraform.tfvars", *sorted(directory.glob("*.auto.tfvars"))]
    for path in files:
        if not path.is_file():
            continue
        parsed, error = parse_file(path, root)
        if error is not None:
            errors.append(error)
        if parsed is None:
            continue
        for name, attribute in parsed.body.attributes.items():
            if name in declared:
                declared[name] = evaluate(attribute.expr, {})
    return declared, errors
