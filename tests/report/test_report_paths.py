"""Paths in every format are from the working directory (issue 14 item 13), so that a terminal,
an editor or a CI system opens the location as printed: `examples/app/main.tf:51` when run as
`iac-ddb-lint examples/`; a file outside the working directory is printed absolute (as ruff and
mypy do), except in SARIF, whose URIs stay relative to a `%SRCROOT%` it declares. Values with
control characters (a `for_each` key, a file name) never break a line in any format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import REPO
from support.reports import assert_valid_sarif

from analyzer.cli import main
from analyzer.report import FORMATS

# The protection graph (mermaid, dot) names tables and selections by address: no paths.
LOCATED = tuple(fmt for fmt in FORMATS if fmt not in ("mermaid", "dot"))


def _run(*args: str) -> str:
    run = CliRunner().invoke(main, list(args))
    assert run.exit_code == 1, run.output
    return run.stdout


def _prefixes(output: str, tail: str) -> set[str]:
    """What precedes every occurrence of `tail` (a path's end), up to a delimiter."""
    return {match.group(1) for match in re.finditer(r'([^\s"=(`|>]*)' + re.escape(tail), output)}


def _assert_prefix(fmt: str, output: str, tail: str, expected: set[str]) -> None:
    if fmt in ("mermaid", "dot"):  # a picture names tables and selections, never their files
        assert tail not in output
    else:
        assert _prefixes(output, tail) == expected


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", LOCATED)
def test_paths_are_from_the_working_directory(work: Path, fmt: str) -> None:
    output = _run("--format", fmt, "-v", "examples/")
    _assert_prefix(fmt, output, "app/main.tf", {"examples/"})
    _assert_prefix(fmt, output, "stack/template.yaml", {"examples/"})
    if fmt == "text":
        assert output.startswith("examples/app/main.tf:51: DDB001 aws_dynamodb_table.audit_log")
    if fmt == "json":
        document = json.loads(output)
        assert {t["unit"] for t in document["tables"]} == {
            "examples/app", "examples/stack/template.yaml"}
        assert all((work / t["file"]).is_file() for t in document["tables"])
    if fmt == "sarif":
        assert "originalUriBaseIds" not in assert_valid_sarif(output)["runs"][0]


@pytest.mark.parametrize("fmt", LOCATED)
def test_the_same_from_inside_the_scanned_directory(
        work: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(work / "examples")
    output = _run("--format", fmt, "-v", ".")
    _assert_prefix(fmt, output, "app/main.tf", {""})


@pytest.mark.parametrize("fmt", LOCATED)
def test_a_file_outside_the_working_directory_is_absolute(
        work: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    (work / "elsewhere").mkdir()
    monkeypatch.chdir(work / "elsewhere")
    root = (work / "examples").resolve()
    output = _run("--format", fmt, "-v", str(root))
    if fmt == "sarif":
        run = assert_valid_sarif(output)["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"
        _assert_prefix(fmt, output, "app/main.tf", {""})
    else:
        _assert_prefix(fmt, output, "app/main.tf", {root.as_posix() + "/"})


KEYED = '''resource "aws_dynamodb_table" "t" {
  for_each = toset(["a\\nb\\u001b[2Jc"])
  name     = each.key
  hash_key = "id"
}
'''


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("file", ["main.tf", "line\nbreak.tf"])
def test_control_characters_never_break_a_line(work: Path, fmt: str, file: str) -> None:
    (work / "keyed").mkdir()
    (work / "keyed" / file).write_text(KEYED, encoding="utf-8")
    output = _run("--format", fmt, "-v", "keyed")
    assert "\x1b" not in output
    lines = output.splitlines()
    assert not any(line.startswith(('b', '[2J', 'break.tf')) for line in lines), output
    if fmt in ("json", "sarif", "gitlab"):
        assert json.loads(output)  # escaped by JSON itself, one document
