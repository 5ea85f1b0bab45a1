"""Terragrunt units beyond the fixtures' verdicts: the mock-outputs option, the precedence of
the user's TF_VAR_ and of tfvars over inputs, discovery, source spellings, merge strategies,
the TF_VAR_ text of inputs, and hostile configurations (nothing outside the repository is read,
nothing is run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.cli import main
from analyzer.discover import discover
from analyzer.inputs import TerraformInputs
from analyzer.model import Location, Unknown
from analyzer.pipeline import scan
from analyzer.terraform.typed_variables import Declaration
from analyzer.terragrunt.env_values import as_env_values
from analyzer.terragrunt.merge import Inputs, merge
from analyzer.terragrunt.sources import LocalSource, RemoteSource, classify

CASES = FIXTURES / "terragrunt"
MODULE = """
variable "pitr" {
  type    = bool
  default = true
}

resource "aws_dynamodb_table" "this" {
  name     = "t"
  hash_key = "id"
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""


def statuses(paths: list[str], inputs: TerraformInputs | None = None) -> dict[str, str]:
    return {f"{v.table.unit}::{v.table.address}": v.status.value
            for v in scan(paths, inputs).verdicts}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_mock_outputs_are_used_only_when_asked() -> None:
    case = str(CASES / "unresolved_include")
    key = "dependency_output::aws_dynamodb_table.this"
    assert statuses([case])[key] == "unknown"
    asked = statuses([case], TerraformInputs(terragrunt_mock_outputs=True))
    assert asked[key] == "protected"
    assert asked["missing_parent::aws_dynamodb_table.this"] == "unknown"  # not a dependency
    run = CliRunner().invoke(main, ["--terragrunt-mock-outputs", "--format", "json", case])
    assert '"protected"' in run.output


def test_the_users_tf_var_wins_over_inputs() -> None:
    """Terragrunt never overrides a TF_VAR_ the environment already sets."""
    case = str(CASES / "inputs_local_module")
    key = "live/prod/orders::aws_dynamodb_table.this"
    assert statuses([case])[key] == "protected"
    env = TerraformInputs(env={"TF_VAR_pitr": "false"})
    assert statuses([case], env)[key] == "unprotected"


def test_tfvars_in_the_unit_folder_win_over_inputs(tmp_path: Path) -> None:
    write(tmp_path, {"modules/t/main.tf": MODULE,
                     "unit/terragrunt.hcl": 'terraform {\n  source = "../modules/t"\n}\n'
                                            "inputs = {\n  pitr = true\n}\n",
                     "unit/terraform.tfvars": "pitr = false\n"})
    assert statuses([str(tmp_path)]) == {"unit::aws_dynamodb_table.this": "unprotected"}


def test_a_unit_without_source_runs_its_own_folder(tmp_path: Path) -> None:
    write(tmp_path, {"app/main.tf": MODULE, "app/terragrunt.hcl": "inputs = { pitr = false }\n"})
    found = discover([str(tmp_path)])
    assert [(u.kind, u.path.name) for u in found.units] == [("terragrunt", "app")]
    assert statuses([str(tmp_path)]) == {"app::aws_dynamodb_table.this": "unprotected"}


def test_included_configs_and_sourced_modules_are_not_units(tmp_path: Path) -> None:
    write(tmp_path, {"modules/t/main.tf": MODULE,
                     "live/terragrunt.hcl": "inputs = { pitr = false }\n",
                     "live/a/terragrunt.hcl": "include {\n  path = find_in_parent_folders()\n}\n"
                                              'terraform {\n  source = "../../modules/t"\n}\n',
                     "other/terragrunt.hcl": 'terraform {\n  source = "../modules/t"\n}\n',
                     "other/b/terragrunt.hcl": 'include {\n  path = "../terragrunt.hcl"\n}\n'})
    found = discover([str(tmp_path)])
    # live/ runs no module: shared only. other/ runs one of its own: a unit too.
    assert [(u.kind, u.path.relative_to(tmp_path).as_posix()) for u in found.units] == [
        ("terragrunt", "live/a"), ("terragrunt", "other"), ("terragrunt", "other/b")]
    # b's inherited source is relative to b (Terragrunt's rule): no such folder, an error.
    assert statuses([str(tmp_path)]) == {"live/a::aws_dynamodb_table.this": "unprotected",
                                         "other::aws_dynamodb_table.this": "protected"}


@pytest.mark.parametrize(("source", "expected"), [
    ("../modules//dynamodb", LocalSource(Path("/r/live/modules/dynamodb"))),
    ("/abs/modules/x", LocalSource(Path("/abs/modules/x"))),
    ("file:///abs/m", LocalSource(Path("/abs/m"))),
    ("tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.0.0",
     RemoteSource("terraform-aws-modules/dynamodb-table/aws")),
    ("tfr://registry.terraform.io/a/b/aws?version=1",
     RemoteSource("registry.terraform.io/a/b/aws")),
    ("git::https://github.com/a/b.git//?ref=v1", RemoteSource("git::https://github.com/a/b.git?ref=v1")),
    ("git::https://github.com/a/b.git//sub?ref=v1",
     RemoteSource("git::https://github.com/a/b.git//sub?ref=v1")),
    ("github.com/a/b", RemoteSource("github.com/a/b")),
    ("git@github.com:a/b.git", RemoteSource("git@github.com:a/b.git")),
])
def test_source_spellings(source: str, expected: object) -> None:
    assert classify(source, Path("/r/live/unit")) == expected


def test_merge_strategies() -> None:
    at = Location("root.hcl", 1)
    parent = Inputs({"tags": {"a": "1"}, "ids": [1], "n": 1}, {"tags": at})
    child = Inputs({"tags": {"b": "2"}, "ids": [2]})
    assert merge(parent, child, "shallow").values == {"tags": {"b": "2"}, "ids": [2], "n": 1}
    assert merge(parent, child, "deep").values == {"tags": {"a": "1", "b": "2"}, "ids": [1, 2],
                                                   "n": 1}
    assert merge(parent, child, "deep_map_only").open is not None  # not an include strategy
    opened = merge(Inputs(open=Unknown("unread")), child, "deep")
    assert isinstance(opened.values["tags"], Unknown)  # merged with what cannot be read
    given, value = opened.value("n")
    assert given and isinstance(value, Unknown)


def test_inputs_as_tf_var_text() -> None:
    from analyzer.hcl.parse import parse_hcl
    from analyzer.hcl.types import parse_type as parse

    def parse_type(text: str):  # a type constraint as written in a variable block
        return parse(parse_hcl(f"t = {text}\n").attributes["t"].expr)

    loc = Location("m.tf", 1)
    declared = {"untyped": Declaration("untyped", loc, None),
                "num": Declaration("num", loc, parse_type("string")),
                "tags": Declaration("tags", loc, parse_type("map(string)")),
                "unset": Declaration("unset", loc, None)}
    got = as_env_values(Inputs({"untyped": {"a": True}, "num": 5, "tags": {"a": "b"},
                                "null": None}), declared)
    assert got == {"untyped": '{"a":true}', "num": "5", "tags": {"a": "b"}}
    at = Location("terragrunt.hcl", 3)
    placed = as_env_values(Inputs({"num": 5}, {"num": at}), declared)["num"]
    assert (placed.value, placed.location) == ("5", at)


def test_an_input_that_does_not_convert_is_an_error_at_the_input(tmp_path: Path) -> None:
    write(tmp_path, {"modules/t/main.tf": MODULE,
                     "unit/terragrunt.hcl": 'terraform {\n  source = "../modules/t"\n}\n'
                                            'inputs = {\n  pitr = "maybe"\n}\n'})
    result = scan([str(tmp_path)])
    assert [(e.location.file, e.location.line) for e in result.inventory.errors] == [
        ("unit/terragrunt.hcl", 4)]
    assert [v.status.value for v in result.verdicts] == ["unknown"]


def test_nothing_outside_the_repository_is_read_or_run(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"secret.hcl": "inputs = { pitr = true }\n"})
    repo = tmp_path / "repo"
    marker = tmp_path / "ran"
    write(repo, {".git/HEAD": "", "modules/t/main.tf": MODULE.replace("default = true",
                                                                      "default = false"),
                 "unit/terragrunt.hcl": f"""
include "x" {{
  path = "{outside / 'secret.hcl'}"
}}
locals {{
  other = read_terragrunt_config("../../outside/secret.hcl")
  ran   = run_cmd("touch", "{marker}")
}}
terraform {{
  source = "../modules/t"
}}
inputs = {{
  pitr = local.other.inputs.pitr
}}
"""})
    got = statuses([str(repo)])
    assert got == {"unit::aws_dynamodb_table.this": "unknown"}
    assert not marker.exists()


def test_a_source_outside_the_repository_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"outside/main.tf": MODULE,
                     "repo/.git/HEAD": "",
                     "repo/unit/terragrunt.hcl": 'terraform {\n  source = "../../outside"\n}\n'})
    result = scan([str(tmp_path / "repo")])
    assert not result.verdicts
    assert [e.location.file for e in result.inventory.errors] == ["unit/terragrunt.hcl"]


def test_a_syntax_error_names_its_position(tmp_path: Path) -> None:
    write(tmp_path, {"unit/terragrunt.hcl": "inputs = {\n  pitr = \n}\n"})
    run = CliRunner().invoke(main, [str(tmp_path)])
    assert run.exit_code == 2
    assert "unit/terragrunt.hcl:3:" in run.output


def test_changed_only_follows_units_and_their_shared_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed unit reports its tables; a changed module reports them in every unit running
    it; a changed shared root.hcl may change any unit's inputs, so every table is reported."""
    import json
    import shutil

    shutil.copytree(CASES / "inputs_local_module", tmp_path / "tg")
    shutil.copytree(CASES / "unresolved_include", tmp_path / "other")
    (tmp_path / ".git").mkdir()  # a repository: the boundary of a scan of one file
    monkeypatch.chdir(tmp_path)

    def units(*files: str) -> set[str]:
        run = CliRunner().invoke(main, ["--format", "json", "--changed-only", *files])
        return {t["unit"] for t in json.loads(run.output)["tables"]}

    both = {"tg/live/dev/cart", "tg/live/prod/orders"}
    # Tables are scoped by their block: a unit's change reports every unit running that block.
    assert units("tg/live/dev/cart/terragrunt.hcl") == both
    assert units("tg/modules/table/main.tf") == both
    assert units("tg/live/root.hcl") == {"tg/live/dev/cart", "tg/live/prod/orders",
                                         "other/missing_parent", "other/dependency_output",
                                         "other/env_value"}


def test_changed_only_a_root_terragrunt_hcl_reports_its_children(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    """The root, read alone, is a unit of its own (it runs a module), another one than its
    child's: only knowing that the child includes it tells the child's tables may change."""
    write(tmp_path, {"modules/t/main.tf": MODULE, "modules/u/main.tf": MODULE,
                     "live/terragrunt.hcl": "inputs = { pitr = false }\n"
                                            'terraform {\n  source = "../modules/t"\n}\n',
                     "live/a/terragrunt.hcl": "include {\n  path = find_in_parent_folders()\n}\n"
                                              'terraform {\n  source = "../../modules/u"\n}\n',
                     ".git/HEAD": ""})
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(main, ["--format", "json", "--changed-only", "live/terragrunt.hcl"])
    assert {t["unit"]: t["status"] for t in json.loads(run.output)["tables"]} == {
        "live": "unprotected", "live/a": "unprotected"}


def test_configurations_that_read_or_include_themselves_end(tmp_path: Path) -> None:
    write(tmp_path, {"modules/t/main.tf": MODULE,
                     "a/terragrunt.hcl": 'locals {\n'
                                         '  me = read_terragrunt_config("terragrunt.hcl")\n'
                                         '  b  = read_terragrunt_config("../b.hcl")\n}\n'
                                         'terraform {\n  source = "../modules/t"\n}\n'
                                         "inputs = { pitr = local.b.locals.x }\n",
                     "b.hcl": 'locals {\n  x = read_terragrunt_config("b.hcl").locals.x\n}\n',
                     "c/terragrunt.hcl": 'include "self" {\n  path = "terragrunt.hcl"\n}\n'
                                         'terraform {\n  source = "../modules/t"\n}\n'})
    assert statuses([str(tmp_path)]) == {"a::aws_dynamodb_table.this": "unknown",
                                         "c::aws_dynamodb_table.this": "unknown"}
