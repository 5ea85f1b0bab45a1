"""Outside values of root variables as given (`-var`, `TF_VAR_`, `-var-file`), split per layer.

Kept apart from `inputs` (which parses and types them) so that a run without Terraform, or
without var-files, imports no HCL parser: a template-only run starts lean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.inputs import ENV_PREFIX, TerraformInputs
from analyzer.model import LoadError

# A value as given: a parsed HCL expression, a JSON value, or raw text (TF_VAR_, -var) that is a
# string for a primitive-typed variable and HCL for a complex one, as Terraform reads it.
RawText = tuple[str, str]  # (text, where: "-var NAME" or "TF_VAR_NAME")
VarFileReader = Callable[[Path, Path], tuple[dict[str, object], LoadError | None]]


@dataclass
class InputLayers:
    """Parsed outside values, lowest precedence first; each layer maps a name to its value."""

    env: dict[str, RawText] = field(default_factory=dict)
    cli: list[dict[str, object]] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # variables any root read so far declares
    workspace: str | None = None  # terraform.workspace (None: unknown, chosen at run time)

    def undeclared_cli_vars(self) -> list[str]:
        """`--var` names no root declares: Terraform rejects them, so say they went unused."""
        given = {name for layer in self.cli for name, value in layer.items()
                 if isinstance(value, tuple) and str(value[1]).startswith("-var ")}
        return sorted(given - self.declared)


def read_inputs(inputs: TerraformInputs | None, root: Path, read_var_file: VarFileReader
                ) -> InputLayers:
    """Parse var-files (with `read_var_file`: `inputs.read_var_file`, imported by the caller
    only when a var-file is named) and split -var once per run, so errors are reported once."""
    layers = InputLayers()
    if inputs is None:
        return layers
    if len(inputs.workspaces) == 1:  # several: the pipeline loads each root once per workspace
        layers.workspace = inputs.workspaces[0]
    for key, text in sorted(inputs.env.items()):
        if key.startswith(ENV_PREFIX) and len(key) > len(ENV_PREFIX):
            layers.env[key[len(ENV_PREFIX):]] = (text, key)
    for kind, argument in inputs.cli:
        if kind == "var":
            name, _, text = argument.partition("=")
            layers.cli.append({name.strip(): (text, f"-var {name.strip()}")})
        else:
            values, error = read_var_file(Path(argument), root)
            layers.cli.append(values)
            if error is not None:
                layers.errors.append(error)
    return layers
