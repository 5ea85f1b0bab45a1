"""Type constraints applied to root variables and module inputs, against real Terraform.

The oracle is a committed plan: tests/fixtures/terraform/type_conversion_oracle declares typed
variables, gives them values in terraform.tfvars and defaults, and echoes each one in an output;
its plan.json (scripts/gen_plan_fixtures.py) holds the values Terraform converted. Our value of
each variable must be exactly that. The errors Terraform gives (checked with terraform 1.11 by
hand: the plan fails, so there is nothing to commit) are errors here, at the same position.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.paths import FIXTURES as ALL_FIXTURES

from analyzer.hcl.convert import ListValue
from analyzer.hcl.values import concrete
from analyzer.pipeline import scan
from analyzer.terraform.files import read_module
from analyzer.terraform.inputs import InputLayers, root_variables

FIXTURES = ALL_FIXTURES / "terraform"
ORACLE = FIXTURES / "type_conversion_oracle"


def _oracle() -> dict[str, object]:
    plan = json.loads((ORACLE / "plan.json").read_text(encoding="utf-8"))
    return {name: out["value"] for name, out in plan["planned_values"]["outputs"].items()}


def _ours(case: Path) -> dict[str, object]:
    values, errors = root_variables(read_module(case, case), case, case, InputLayers())
    assert not errors, errors
    return values


@pytest.mark.parametrize("name", sorted(_oracle()))
def test_root_variable_value_is_terraforms(name: str) -> None:
    assert concrete(_ours(ORACLE)[name]) == _oracle()[name]


def test_list_typed_values_are_lists_and_sets_are_not() -> None:
    ours = _ours(ORACLE)
    assert isinstance(ours["list_from_mixed"], ListValue)
    assert isinstance(ours["untyped"], ListValue)  # a tuple, as written
    assert not isinstance(ours["set_from_list"], ListValue)


def _errors(case: str) -> list[str]:
    return [str(e) for e in scan([str(FIXTURES / case)]).inventory.errors]


def test_invalid_tfvars_value_is_an_error_at_the_value() -> None:
    assert _errors("type_invalid_tfvars") == [
        "terraform.tfvars:1:1: invalid value for input variable: the given value is not "
        'suitable for var.tables declared at main.tf:1: element "carts": attribute "pitr": '
        "a bool is required"]


def test_invalid_module_input_is_an_error_at_the_argument() -> None:
    assert _errors("type_invalid_module_input") == [
        "main.tf:8:3: invalid value for input variable: the given value is not suitable for "
        'module.orders.var.settings declared at modules/table/main.tf:1: attribute "name" '
        "is required"]


def test_for_each_over_a_list_typed_variable_is_terraforms_error() -> None:
    errors = _errors("for_each_list_variable")
    assert errors == [
        'main.tf:7:3: invalid for_each argument: the given "for_each" argument value is '
        'unsuitable: the "for_each" argument must be a map, or set of strings, and you have '
        "provided a value of type list of string (convert it with toset()) (Terraform rejects it)"]


def _root(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return tmp_path


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    from click.testing import CliRunner

    from analyzer.cli import main

    here = os.getcwd()
    os.chdir(root)  # from the scanned root, as a user runs it: paths relative to it
    try:
        result = CliRunner().invoke(main, ["--format", "json", *args, str(root)], env=env or {})
    finally:
        os.chdir(here)
    return [f'{e["file"]}:{e["line"]}:{e["col"]}: {e["message"]}'
            for e in json.loads(result.output)["errors"]]


def test_var_and_tf_var_errors_name_the_declaration(tmp_path: Path) -> None:
    root = _root(tmp_path, 'variable "pitr" {\n  type = bool\n}\n')
    assert _run(root, "--var", "pitr=maybe") == [
        'main.tf:1:1: invalid value for input variable: unsuitable value for var.pitr set using '
        '-var="pitr=...": a bool is required']
    assert _run(root, env={"TF_VAR_pitr": "yes"}) == [
        "main.tf:1:1: invalid value for input variable: unsuitable value for var.pitr set using "
        "the TF_VAR_pitr environment variable: a bool is required"]
    assert _run(root, "--var", "pitr=1") == []  # "1" is true, as Terraform converts it


def test_invalid_default_and_type_are_errors_where_they_are_written(tmp_path: Path) -> None:
    root = _root(tmp_path, 'variable "a" {\n  type    = bool\n  default = "yes"\n}\n'
                           'variable "b" {\n  type = "string"\n}\n')
    assert _run(root) == [
        'main.tf:3:3: invalid default value for variable "a": this default value is not '
        "compatible with the variable's type constraint: a bool is required",
        "main.tf:6:3: invalid type constraint for var.b: a type constraint must not be quoted "
        "(Terraform 0.11 syntax)"]


def test_null_for_a_non_nullable_variable_without_default_is_an_error(tmp_path: Path) -> None:
    root = _root(tmp_path, 'variable "e" {\n  type     = bool\n  nullable = false\n}\n')
    (tmp_path / "terraform.tfvars").write_text("e = null\n", encoding="utf-8")
    assert _run(root) == [
        "terraform.tfvars:1:1: required variable may not be set to null: the given value is "
        "not suitable for var.e declared at main.tf:1"]
