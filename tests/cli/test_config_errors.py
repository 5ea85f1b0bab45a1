"""A configuration file that is wrong is an error at `file:line` (exit 2, no traceback): every
kind, on the real command and on a command with option types the real one does not have yet
(keys come from the click parameters, so other options get the same checks)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from analyzer.cli import main
from analyzer.cli.config_command import ConfigFileMixin
from analyzer.cli.config_file import toml_library
from analyzer.cli.config_only import ExternalDeclaration
from analyzer.cli.reporting import FORMATS


def run(command: click.Command, args: list[str], cwd: Path) -> Result:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(command, args)
    finally:
        os.chdir(old)


def assert_error(out: Result, message: str) -> None:
    assert out.exit_code == 2, out.output
    assert "Traceback" not in out.output
    assert f"Error: {message}\n" in out.stderr, out.stderr


PYPROJECT = '[project]\nname = "demo"\n\n[tool.iac-ddb-lint]\n'  # settings from line 5


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('fail_on = "warning"', '5: [tool.iac-ddb-lint] unknown key "fail_on" (did you mean '
                                '"fail-on"?)'),
        ('formt = "json"', '5: [tool.iac-ddb-lint] unknown key "formt" (did you mean "format"?)'),
        ("list-rules = true", '5: [tool.iac-ddb-lint] "list-rules" cannot be set in a '
                              "configuration file: it asks for the rule list instead of a scan"),
        ('exit-zero = "yes"', '5: [tool.iac-ddb-lint] "exit-zero" must be a boolean, not a '
                              "string"),
        ("format = 1", '5: [tool.iac-ddb-lint] "format" must be a string, not an integer'),
        ('fail-on = "warn"', "5: [tool.iac-ddb-lint] \"fail-on\": 'warn' is not one of "
                             "'error', 'warning'"),
        ('var = "env=prod"', '5: [tool.iac-ddb-lint] "var" must be an array of strings, not a '
                             "string (write var = [...])"),
        ('workspace = ["a", 2]', '5: [tool.iac-ddb-lint] "workspace" must be an array of '
                                 "strings, but it holds an integer"),
        ('var-file = ["none.tfvars"]', "5: [tool.iac-ddb-lint] \"var-file\": File "
                                       "'none.tfvars' does not exist (a path in the "
                                       "configuration is relative to its directory)"),
        ('output = ["sarf:x.sarif"]', '5: [tool.iac-ddb-lint] "output": --output '
                                      "'sarf:x.sarif': unknown report format 'sarf' (formats: "
                                      f"{', '.join(FORMATS)}); "
                                      "to name a file with a colon, write ./sarf:x.sarif"),
        ("paths = [\n  'here',\n]", "5: [tool.iac-ddb-lint] \"paths\": Path 'here' does not "
                                    "exist (a path in the configuration is relative to its "
                                    "directory)"),
        ("[tool.iac-ddb-lint.table]\nx = 1", '5: [tool.iac-ddb-lint] unknown key "table"'),
        ('verbose = true\nverbose = false', "6:16: invalid TOML: Cannot overwrite a value"),
        ('format = "json', "5:15: invalid TOML: Illegal character '\\n'"),
    ],
)
def test_every_error_names_the_file_and_line(tmp_path: Path, settings: str, message: str
                                             ) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT + settings + "\n")
    assert_error(run(main, [], tmp_path), f"pyproject.toml:{message}")


def test_errors_in_the_dedicated_file_name_no_table(tmp_path: Path) -> None:
    (tmp_path / ".iac-ddb-lint.toml").write_text('# settings\n\nno-colour = true\n')
    assert_error(run(main, [], tmp_path),
                 '.iac-ddb-lint.toml:3: unknown key "no-colour" (did you mean "no-color"?)')


def test_a_file_found_above_is_named_by_its_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".iac-ddb-lint.toml").write_text("verbose = 1\n")
    assert_error(run(main, [], tmp_path / "sub"),
                 f'{tmp_path / ".iac-ddb-lint.toml"}:1: "verbose" must be a boolean, not an '
                 "integer")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'format = "\xff"\n', ".iac-ddb-lint.toml:1: not UTF-8 text (TOML is UTF-8)"),
        (b"a = 1\n" * 200_000, ".iac-ddb-lint.toml: larger than 1048576 bytes: not a "
                               "configuration file"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / ".iac-ddb-lint.toml").write_bytes(content)
    assert_error(run(main, [], tmp_path), message)


def test_the_table_must_be_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool]\nname = "x"\niac-ddb-lint = 3\n')
    assert_error(run(main, [], tmp_path),
                 "pyproject.toml:3: [tool.iac-ddb-lint] must be a table, not an integer")


# A command with the option kinds other helpers add: an integer range, an on/off pair, a path.
@click.command(cls=type("Probe", (ConfigFileMixin, click.Command), {}))
@click.option("--min-pitr-days", type=click.IntRange(1, 35), default=35)
@click.option("--ratio", type=float, default=0.5)
@click.option("--honor-peer-waivers/--no-honor-peer-waivers", default=True)
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False))
@click.option("--config", expose_value=False)
@click.option("--no-config", is_flag=True, expose_value=False)
def probe(min_pitr_days: int, ratio: float, honor_peer_waivers: bool, baseline: str | None
          ) -> None:
    click.echo(f"{min_pitr_days} {ratio} {honor_peer_waivers} {baseline}")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('min-pitr-days = "7"', '"min-pitr-days" must be an integer, not a string'),
        ("min-pitr-days = 7.5", '"min-pitr-days" must be an integer, not a float'),
        ("min-pitr-days = true", '"min-pitr-days" must be an integer, not a boolean'),
        ("min-pitr-days = 40", '"min-pitr-days": 40 is not in the range 1<=x<=35'),
        ('ratio = "half"', '"ratio" must be a number, not a string'),
        ('honor-peer-waivers = "no"', '"honor-peer-waivers" must be a boolean, not a string'),
        ('no-honor-peer-waivers = true', 'unknown key "no-honor-peer-waivers" (did you mean '
                                         '"honor-peer-waivers"?)'),
    ],
)
def test_other_option_kinds_are_checked_too(tmp_path: Path, settings: str, message: str
                                            ) -> None:
    (tmp_path / ".iac-ddb-lint.toml").write_text(settings + "\n")
    assert_error(run(probe, [], tmp_path), f".iac-ddb-lint.toml:1: {message}")


def test_other_option_kinds_take_their_values(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "known.json").write_text("{}")
    (tmp_path / ".iac-ddb-lint.toml").write_text(
        'min-pitr-days = 7\nratio = 1\nhonor-peer-waivers = false\nbaseline = "known.json"\n'
    )
    assert run(probe, [], tmp_path / "sub").stdout == f"7 1.0 False ..{os.sep}known.json\n"
    out = run(probe, ["--min-pitr-days", "9", "--honor-peer-waivers"], tmp_path)
    assert out.stdout == "9 1.0 True known.json\n"


EXTERNAL = """[tool.iac-ddb-lint]
format = "json"

[[tool.iac-ddb-lint.external-selection]]
tag = "backup"
values = ["daily", "hourly"]
region = "eu-west-1"
name = "central"

[[tool.iac-ddb-lint.external-selection]]
description = "the org policy"
tag = "tier"
values = ["gold"]
"""


def test_external_selections_reach_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    (tmp_path / "pyproject.toml").write_text(EXTERNAL)
    monkeypatch.chdir(tmp_path)
    ctx = main.make_context("iac-ddb-lint", [])
    assert ctx.meta["external_selections"] == [
        ExternalDeclaration("backup", ("daily", "hourly"), "eu-west-1", "pyproject.toml:4",
                            name="central"),
        ExternalDeclaration("tier", ("gold",), None, "pyproject.toml:10",
                            description="the org policy"),
    ]
    assert main.make_context("iac-ddb-lint", ["--no-config"]).meta["external_selections"] == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('tag = "backup"\nvalue = ["x"]', '12: [tool.iac-ddb-lint] external-selection 2: '
                                          'unknown key "value" (did you mean "values"?)'),
        ('values = ["x"]', "10: [tool.iac-ddb-lint] external-selection 2: \"tag\" is required: "
                           'the tag key the selection matches (tag = "backup")'),
        ('tag = 1\nvalues = ["x"]', '11: [tool.iac-ddb-lint] external-selection 2: "tag" must '
                                    "be a string, not an integer"),
        ('tag = "t"', '10: [tool.iac-ddb-lint] external-selection 2: "values" is required: '
                      'the tag values it selects (values = ["daily"])'),
        ('tag = "t"\nvalues = "x"', '12: [tool.iac-ddb-lint] external-selection 2: "values" '
                                    "must be an array of strings"),
        ('tag = "t"\nvalues = []', '12: [tool.iac-ddb-lint] external-selection 2: "values" '
                                   "must not be empty: a selection with no value selects nothing"),
        ('tag = "t"\nvalues = ["x"]\nregion = "Europe"', "13: [tool.iac-ddb-lint] "
         "external-selection 2: \"region\" 'Europe' is not an AWS Region name (eu-west-1)"),
    ],
)
def test_external_selection_errors(tmp_path: Path, entry: str, message: str) -> None:
    head = EXTERNAL.split("description")[0]
    (tmp_path / "pyproject.toml").write_text(head + entry + "\n")
    assert_error(run(main, [], tmp_path), f"pyproject.toml:{message}")


def test_external_selection_must_be_an_array_of_tables(tmp_path: Path) -> None:
    (tmp_path / ".iac-ddb-lint.toml").write_text('[external-selection]\ntag = "t"\n')
    assert_error(run(main, [], tmp_path), '.iac-ddb-lint.toml:1: "external-selection" must be '
                 "an array of tables: write each declaration under [[external-selection]]")
    (tmp_path / ".iac-ddb-lint.toml").write_text('external-selection = [{tag = "t"}]\n')
    assert_error(run(main, [], tmp_path), '.iac-ddb-lint.toml:1: external-selection 1: '
                 '"values" is required: the tag values it selects (values = ["daily"])')


def test_the_toml_library_by_python_version(monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    stand_in = types.ModuleType("tomli")
    monkeypatch.setitem(sys.modules, "tomli", stand_in)
    assert toml_library((3, 10)) is stand_in
    assert toml_library((3, 11)) is tomllib
    assert toml_library() is (tomllib if sys.version_info >= (3, 11) else stand_in)


@pytest.mark.parametrize(
    "setting",
    ['var-file = ["../outside.tfvars"]', 'paths = ["/"]', 'output = ["json:../x.json"]',
     'tf-dir = "link"', 'output = ["link/r.sarif"]'],
)
def test_paths_stay_inside_the_configuration_directory(tmp_path: Path, setting: str) -> None:
    """The file comes with the code: a repository under review must not make the scan read or
    write outside it, even through a link."""
    (tmp_path / "outside.tfvars").write_text("x = 1\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link").symlink_to(tmp_path, target_is_directory=True)
    (repo / ".iac-ddb-lint.toml").write_text(setting + "\n")
    out = run(main, [], repo)
    assert out.exit_code == 2, out.output
    assert "leads outside the configuration file's directory" in out.stderr
    assert "name it on the command line instead" in out.stderr
    assert not (tmp_path / "x.json").exists()
