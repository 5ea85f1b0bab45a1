"""The configuration file (issue 14 item 1): found upward, the command line wins, paths are
relative to the file, --config / --no-config, and `-v` names the file in use."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analyzer.cli import main

# A table whose PITR is a variable: the variable's final value decides the verdict.
TABLE = """variable "pitr" {
  type    = bool
  default = false
}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""


def run(args: list[str], cwd: Path) -> Result:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args)
    finally:
        os.chdir(old)


def verdicts(out: Result) -> dict[str, str]:
    data = json.loads(out.stdout)
    return {table["resource"]: table["status"] for table in data["tables"]}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """repo/infra/main.tf (the table), repo/infra/on.tfvars (pitr = true), repo/a/b/."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(TABLE)
    (tmp_path / "infra" / "on.tfvars").write_text("pitr = true\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    return tmp_path


def test_found_upward_and_paths_relative_to_it(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.iac-ddb-lint]\nformat = "json"\npaths = ["infra"]\n'
        'var-file = ["infra/on.tfvars"]\n'
    )
    out = run([], repo / "a" / "b")
    assert out.exit_code == 0, out.output
    assert verdicts(out) == {"aws_dynamodb_table.t": "protected"}


def test_without_the_file_the_same_run_differs(repo: Path) -> None:
    """The control of the test above: the settings, not the defaults, made it protected."""
    out = run(["--format", "json", "infra"], repo)
    assert out.exit_code == 1
    assert verdicts(out) == {"aws_dynamodb_table.t": "unprotected"}


def test_the_nearest_wins_and_settings_are_not_merged(repo: Path) -> None:
    (repo / ".iac-ddb-lint.toml").write_text('format = "json"\nvar = ["pitr=true"]\n')
    (repo / "a" / "infra").mkdir()
    (repo / "a" / "infra" / "main.tf").write_text(TABLE)
    (repo / "a" / ".iac-ddb-lint.toml").write_text('paths = ["infra"]\n')
    out = run([], repo / "a" / "b")
    assert out.exit_code == 1  # the outer file's var is not read: pitr stays false
    assert out.stdout.splitlines()[-1].startswith("1 table: 0 protected, 1 unprotected")


def test_a_pyproject_without_the_table_is_passed_over(repo: Path) -> None:
    (repo / ".iac-ddb-lint.toml").write_text('format = "json"\npaths = ["infra"]\n')
    (repo / "a" / "pyproject.toml").write_text('[project]\nname = "iac-ddb-lint-user"\n')
    (repo / "a" / "b" / "pyproject.toml").write_text("not toml at all = = \n")  # no mention
    out = run([], repo / "a" / "b")
    assert out.exit_code == 1, out.output
    assert verdicts(out) == {"aws_dynamodb_table.t": "unprotected"}


def test_the_dedicated_file_wins_over_pyproject_beside_it(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.iac-ddb-lint]\nformat = "sarif"\n')
    (repo / ".iac-ddb-lint.toml").write_text('format = "json"\n')
    out = run(["infra"], repo)
    assert "tables" in json.loads(out.stdout)
    assert ("pyproject.toml's [tool.iac-ddb-lint] is ignored: .iac-ddb-lint.toml beside it "
            "wins") in out.stderr


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        # a list given on the command line replaces the file's
        ('var = ["pitr=true"]', ["--var", "pitr=false"], "unprotected"),
        # the file's values come first: the command line's later value wins, as in Terraform
        ('var-file = ["infra/on.tfvars"]', ["--var", "pitr=false"], "unprotected"),
        ('var = ["pitr=false"]', ["--var-file", "infra/on.tfvars"], "protected"),
        ('var = ["pitr=true"]', [], "protected"),
    ],
)
def test_the_command_line_wins(repo: Path, config: str, args: list[str], expected: str) -> None:
    (repo / ".iac-ddb-lint.toml").write_text(f'format = "text"\n{config}\n')
    out = run(["--format", "json", *args, "infra"], repo)
    assert verdicts(out) == {"aws_dynamodb_table.t": expected}, out.output


def test_output_files_are_relative_to_the_file(repo: Path) -> None:
    (repo / ".iac-ddb-lint.toml").write_text(
        'paths = ["infra"]\noutput = ["json:reports/r.json", "reports/r.sarif"]\nexit-zero = true\n'
    )
    out = run([], repo / "a")
    assert out.exit_code == 0, out.output
    assert "tables" in json.loads((repo / "reports" / "r.json").read_text())
    assert json.loads((repo / "reports" / "r.sarif").read_text())["version"] == "2.1.0"
    assert not (repo / "a" / "reports").exists()


def test_no_config_and_config(repo: Path) -> None:
    (repo / ".iac-ddb-lint.toml").write_text('paths = ["nowhere"]\n')  # an error if read
    (repo / "other.toml").write_text('format = "json"\nvar = ["pitr=true"]\n')
    assert run(["--no-config", "infra"], repo).exit_code == 1
    out = run(["--config", "other.toml", "infra"], repo)
    assert verdicts(out) == {"aws_dynamodb_table.t": "protected"}
    (repo / "a" / "pyproject.toml").write_text('[tool.iac-ddb-lint]\nformat = "json"\n')
    out = run(["--config", "a/pyproject.toml", "infra"], repo)
    assert verdicts(out) == {"aws_dynamodb_table.t": "unprotected"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--config", "missing.toml"], "Error: --config missing.toml: no such file"),
        (["--config", "pyproject.toml"], "pyproject.toml: it has no [tool.iac-ddb-lint] table"),
        (["--config", "x.toml", "--no-config"], "--config and --no-config exclude each other"),
    ],
)
def test_config_option_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "iac-ddb-lint"\n')
    (tmp_path / "x.toml").write_text("")
    out = run(args, tmp_path)
    assert out.exit_code == 2
    assert message in out.stderr


def test_verbose_names_the_file_in_use(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.iac-ddb-lint]\npaths = ["infra"]\n')
    quiet = run([], repo / "a")
    assert "settings from" not in quiet.stderr
    loud = run(["-v"], repo / "a")
    assert f"iac-ddb-lint: settings from {repo / 'pyproject.toml'} [tool.iac-ddb-lint]" in (
        loud.stderr
    )
    (repo / "a" / ".iac-ddb-lint.toml").write_text('verbose = true\n')
    assert "iac-ddb-lint: settings from .iac-ddb-lint.toml\n" in run([], repo / "a").stderr


def test_help_version_and_rule_ignore_what_they_cannot_use(tmp_path: Path) -> None:
    (tmp_path / ".iac-ddb-lint.toml").write_text("fail-on = = 1\n")
    assert run(["--help"], tmp_path).exit_code == 0
    assert run(["--version"], tmp_path).exit_code == 0
    (tmp_path / ".iac-ddb-lint.toml").write_text('paths = ["."]\nformat = "json"\n')
    out = run(["rule", "DDB001"], tmp_path)  # the configured paths are no rule's paths
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["id"] == "DDB001"
