"""Root module variable values from outside the code, in Terraform's precedence order.

Lowest to highest: the `default`, `TF_VAR_<name>` environment variables, `terraform.tfvars`,
`terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` in lexical order, then
`-var-file` and `-var` in command-line order. Only root modules read these; a called module
gets its caller's inputs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lark import Tree

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Block, HclSyntaxError, parse_hcl
from analyzer.inputs import ENV_PREFIX, TerraformInputs
from analyzer.model import LoadError, Location, Unknown
from analyzer.terraform.files import TfModuleSource, parse_file, read_text, relative

# A value as given: a parsed HCL expression, a JSON value, or raw text (TF_VAR_, -var) that is a
# string for a primitive-typed variable and HCL for a complex one, as Terraform reads it.
RawText = tuple[str, str]  # (text, where: "-var NAME" or "TF_VAR_NAME")


@dataclass
class InputLayers:
    """Parsed outside values, lowest precedence first; each layer maps a name to its value."""

    env: dict[str, RawText] = field(default_factory=dict)
    cli: list[dict[str, object]] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # variables any root read so far declares

    def undeclared_cli_vars(self) -> list[str]:
        """`--var` names no root declares: Terraform rejects them, so say they went unused."""
        given = {name for layer in self.cli for name, value in layer.items()
                 if isinstance(value, tuple) and str(value[1]).startswith("-var ")}
        return sorted(given - self.declared)


def read_inputs(inputs: TerraformInputs | None, root: Path) -> InputLayers:
    """Parse var-files and split -var once per run, so errors are reported once."""
    layers = InputLayers()
    if inputs is None:
        return layers
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


def read_var_file(path: Path, root: Path) -> tuple[dict[str, object], LoadError | None]:
    """A .tfvars (HCL) or .tfvars.json file: name -> value (an HCL expression tree or JSON)."""
    if path.name.endswith(".json"):
        return _read_json(path, root)
    parsed, error = parse_file(path, root)
    if parsed is None:
        return {}, error
    return {name: attr.expr for name, attr in parsed.body.attributes.items()}, error


def _read_json(path: Path, root: Path) -> tuple[dict[str, object], LoadError | None]:
    rel = relative(path, root)
    text, error = read_text(path, rel)
    if text is None:
        return {}, error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, LoadError(Location(rel, exc.lineno, exc.colno), f"invalid JSON: {exc.msg}")
    if not isinstance(data, dict):
        return {}, LoadError(Location(rel, 1, 1), "a variables file must hold a JSON object")
    return dict(data), None


def root_variables(
    source: TfModuleSource, directory: Path, root: Path, layers: InputLayers | None = None
) -> tuple[dict[str, object], list[LoadError]]:
    """The value of every declared variable of a root module, and the errors of its files."""
    layers = layers or InputLayers()
    declared = {b.labels[0]: b for _, b in source.blocks("variable") if b.labels}
    layers.declared.update(declared)
    values: dict[str, object] = {}
    for name, block in declared.items():
        default = block.body.attributes.get("default")
        values[name] = (evaluate(default.expr, {}) if default is not None
                        else Unknown(f"var.{name} has no default and no value is set"))
    errors: list[LoadError] = []
    file_layers: list[dict[str, object]] = []
    for path in _auto_files(directory):
        found, error = read_var_file(path, root)
        file_layers.append(found)
        if error is not None:
            errors.append(error)
    ordered: list[Mapping[str, object]] = [layers.env, *file_layers, *layers.cli]
    for layer in ordered:
        for name, given in layer.items():
            if name in declared:
                values[name] = _value(given, declared[name], errors)
    return values, errors


def _auto_files(directory: Path) -> list[Path]:
    auto = sorted(
        p for p in directory.iterdir()
        if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")) and p.is_file()
    ) if directory.is_dir() else []
    named = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    return [p for p in named if p.is_file()] + auto


def _value(given: object, declaration: Block, errors: list[LoadError]) -> object:
    if isinstance(given, Tree):
        return evaluate(given, {})
    if isinstance(given, tuple):
        text, where = given
        return _from_text(text, where, declaration, errors)
    return given  # a JSON value


def _from_text(text: str, where: str, declaration: Block, errors: list[LoadError]) -> object:
    """Terraform reads -var and TF_VAR_ text literally for a variable with no type or a
    primitive one, and as an HCL expression for a complex type (list, map, object, any...)."""
    type_attr = declaration.body.attributes.get("type")
    kind = _type_keyword(type_attr.expr) if type_attr is not None else None
    if type_attr is None or kind in ("string", "number", "bool"):
        return _primitive(text, kind, where)
    try:
        body = parse_hcl(f"value = {text}\n")
    except HclSyntaxError as exc:
        errors.append(LoadError(Location(f"<value for {where}>", exc.line, max(exc.col - 8, 1)),
                                f"cannot parse the value: {exc.message}"))
        return Unknown(f"the value of {where} does not parse")
    return evaluate(body.attributes["value"].expr, {})


def _primitive(text: str, kind: str | None, where: str) -> object:
    if kind == "bool" and text in ("true", "false"):
        return text == "true"
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return Unknown(f"{where} = {text!r} is not a number")
        return int(number) if number.is_integer() else number
    return text


def _type_keyword(expr: object) -> str | None:
    from analyzer.terraform.lazy import traversal_text

    return traversal_text(expr)
