"""Root module variable values from outside the code, in Terraform's precedence order.

Lowest to highest: the `default`, `TF_VAR_<name>` environment variables, `terraform.tfvars`,
`terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` in lexical order, then
`-var-file` and `-var` in command-line order. Only root modules read these; a called module
gets its caller's inputs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analyzer.hcl import numbers
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import HclSyntaxError, parse_hcl
from analyzer.hcl.syntax_tree import Tree
from analyzer.hcl.types import PRIMITIVES
from analyzer.hcl.values import Undecided, parse_number
from analyzer.inputs import TerraformInputs
from analyzer.model import LoadError, Location, Unknown
from analyzer.terraform.files import TfModuleSource, parse_file, read_text, relative
from analyzer.terraform.input_layers import InputLayers, RawText
from analyzer.terraform.input_layers import read_inputs as _read_inputs
from analyzer.terraform.typed_variables import Declaration, declare, literal, typed_value

__all__ = ["FileValue", "InputLayers", "RawText", "read_inputs", "read_var_file",
           "root_variables"]


def read_inputs(inputs: TerraformInputs | None, root: Path) -> InputLayers:
    """`input_layers.read_inputs` with this module's var-file reader."""
    return _read_inputs(inputs, root, read_var_file)


@dataclass(frozen=True)
class FileValue:
    """A value from a variables file: an HCL expression or a JSON value, and where it is."""

    value: object
    location: Location


def read_var_file(path: Path, root: Path) -> tuple[dict[str, object], LoadError | None]:
    """A .tfvars (HCL) or .tfvars.json file: name -> FileValue."""
    if path.name.endswith(".json"):
        return _read_json(path, root)
    parsed, error = parse_file(path, root)
    if parsed is None:
        return {}, error
    return {name: FileValue(attr.expr, Location(parsed.rel, attr.line, attr.col))
            for name, attr in parsed.body.attributes.items()}, error


def _read_json(path: Path, root: Path) -> tuple[dict[str, object], LoadError | None]:
    rel = relative(path, root)
    text, error = read_text(path, rel)
    if text is None:
        return {}, error
    try:  # numbers as Terraform reads them: 512 bits, so 0.1 + 0.2 is 0.3
        data = json.loads(text, parse_float=_json_number, parse_int=numbers.whole)
    except json.JSONDecodeError as exc:
        return {}, LoadError(Location(rel, exc.lineno, exc.colno), f"invalid JSON: {exc.msg}")
    except (ValueError, Undecided):  # a number of thousands of digits
        return {}, LoadError(Location(rel, 1, 1), "a number in the file is too large to read")
    if not isinstance(data, dict):
        return {}, LoadError(Location(rel, 1, 1), "a variables file must hold a JSON object")
    return {name: FileValue(value, Location(rel, 1, 1)) for name, value in data.items()}, None


def _json_number(text: str) -> object:
    number = parse_number(text)
    return float(text) if number is None else number


def root_variables(
    source: TfModuleSource, directory: Path, root: Path, layers: InputLayers | None = None,
    *, below_env: Mapping[str, object] | None = None, tfvars_dirs: list[Path] | None = None,
) -> tuple[dict[str, object], list[LoadError]]:
    """The value of every declared variable of a root module, converted to its type, and the
    errors of its files and values. `below_env`: values that TF_VAR_ variables override (a
    Terragrunt unit's inputs); `tfvars_dirs`: where terraform.tfvars and *.auto.tfvars are
    read (the working directory Terraform runs in; a later directory's file of the same name
    replaces an earlier one's), `directory` by default."""
    layers = layers or InputLayers()
    declared = {b.labels[0]: declare(f, b) for f, b in source.blocks("variable") if b.labels}
    layers.declared.update(declared)
    errors: list[LoadError] = [e for d in declared.values() for e in d.errors]
    values: dict[str, object] = {
        name: decl.default if decl.has_default
        else Unknown(f"var.{name} has no default and no value is set")
        for name, decl in declared.items()}
    file_layers: list[dict[str, object]] = []
    for path in _auto_files(tfvars_dirs or [directory]):
        found, error = read_var_file(path, root)
        file_layers.append(found)
        if error is not None:
            errors.append(error)
    ordered: list[Mapping[str, object]] = [below_env or {}, layers.env, *file_layers,
                                           *layers.cli]
    for layer in ordered:
        for name, given in layer.items():
            if name in declared:
                values[name] = _value(given, declared[name], errors)
    return values, errors


def _auto_files(directories: list[Path]) -> list[Path]:
    by_name: dict[str, Path] = {}
    for directory in directories:
        for path in sorted(directory.iterdir()) if directory.is_dir() else []:
            if path.name.endswith((".auto.tfvars", ".auto.tfvars.json")) or path.name in (
                    "terraform.tfvars", "terraform.tfvars.json"):
                by_name[path.name] = path
    named = [by_name[n] for n in ("terraform.tfvars", "terraform.tfvars.json") if n in by_name]
    auto = [by_name[n] for n in sorted(by_name) if n.endswith((".auto.tfvars",
                                                                ".auto.tfvars.json"))]
    return [p for p in named + auto if p.is_file()]


def _value(given: object, decl: Declaration, errors: list[LoadError]) -> object:
    where: Location | None = None
    how = ""
    if isinstance(given, FileValue):
        where, given = given.location, given.value
        raw = literal(evaluate(given, {}) if isinstance(given, Tree) else given, decl.type)
    elif isinstance(given, tuple):
        text, how = given
        raw = _from_text(text, how, decl, errors)
        how = (f'-var="{decl.name}=..."' if how.startswith("-var ")
               else f"the {how} environment variable")
    else:
        raw = given
    value, error = typed_value(decl, raw, where, f"var.{decl.name}", how)
    if error is not None:
        errors.append(error)
    return value


def _from_text(text: str, where: str, decl: Declaration, errors: list[LoadError]) -> object:
    """Terraform reads -var and TF_VAR_ text literally for a variable with no type or a
    primitive one (then converted to it), and as an HCL expression for a complex type (list,
    map, object, any...)."""
    if decl.type is None or decl.type.kind in PRIMITIVES:
        return text
    try:
        body = parse_hcl(f"value = {text}\n")
    except HclSyntaxError as exc:
        errors.append(LoadError(Location(f"<value for {where}>", exc.line, max(exc.col - 8, 1)),
                                f"cannot parse the value: {exc.message}"))
        return Unknown(f"the value of {where} does not parse")
    return literal(evaluate(body.attributes["value"].expr, {}), decl.type)
