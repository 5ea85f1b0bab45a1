"""--output: a file's format comes from its FORMAT: prefix, else its extension, else --format;
an unknown prefix is a usage error (issue 14 item 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import REPO

from analyzer.cli import main
from analyzer.cli.outputs import OutputSpecError, plan

CASE = str(REPO / "tests" / "fixtures" / "terraform" / "selection_tag")


@pytest.mark.parametrize(("fmt", "value", "want_file", "want_terminal"), [
    ("text", "results.sarif", "sarif", "text"),
    ("text", "out/report.json", "json", "text"),
    ("text", "junit.xml", "junit", "text"),
    ("text", "SUMMARY.MD", "markdown", "text"),
    ("gitlab", "gl-code-quality.json", "gitlab", "text"),  # .json holds any JSON format
    ("sarif", "results.sarif", "sarif", "text"),  # took --format: the terminal shows text
    ("github", "results.sarif", "sarif", "github"),  # the file has its own format
    ("json", "report.txt", "json", "text"),
    ("github", "sarif:r.out", "sarif", "github"),
    ("text", "C:report.json", "json", "text"),  # a drive letter, not a format
    ("text", "graph.mmd", "mermaid", "text"),
    ("text", "graph.dot", "dot", "text"),
    ("mermaid", "graph.GV", "dot", "mermaid"),
])
def test_format_of_each_file(fmt: str, value: str, want_file: str, want_terminal: str) -> None:
    where = plan(fmt, (value,))
    assert where.files[0][0] == want_file
    assert where.terminal == want_terminal


@pytest.mark.parametrize("value", ["sarf:out.sarif", "xml:dir/a.xml", "html:r.html"])
def test_an_unknown_prefix_is_refused(value: str) -> None:
    with pytest.raises(OutputSpecError, match="unknown report format"):
        plan("text", (value,))


def test_the_cli_writes_what_the_extension_says(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "r.sarif", tmp_path / "r.xml"
    run = CliRunner().invoke(main, ["-o", str(sarif), "-o", str(junit), CASE])
    assert run.exit_code == 1, run.output
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    assert "DDB001" in run.output  # the terminal still shows the text report


@pytest.mark.parametrize("value", ["sarf:out.sarif", "xml:dir/a.xml"])
def test_the_cli_refuses_an_unknown_prefix_before_scanning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(main, ["-o", value, CASE])
    assert run.exit_code == 2
    assert "unknown report format" in run.output
    assert list(tmp_path.iterdir()) == []  # no file, no directory named after the prefix
