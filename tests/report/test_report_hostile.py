"""Forged CI output (issue 15): values from scanned files (a CDK path, a file name, a pattern)
can never start a line, a workflow command or a terminal sequence in any format, `-o` files
included; SARIF URIs are percent-encoded; Markdown links and mentions are defused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main
from analyzer.report import FORMATS

FORGED = "x\n::warning file=README.md,line=1::FORGED\r\n::add-mask::secret\x1b[2J@admin [x](https://evil.example)"


def _template(tmp_path: Path, name: str = "stack.template.json") -> Path:
    template = {"Resources": {"T": {
        "Type": "AWS::DynamoDB::Table",
        "Metadata": {"aws:cdk:path": f"Stack/{FORGED}/Resource"},
        "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                       "BillingMode": "PAY_PER_REQUEST"}}}}
    path = tmp_path / name
    path.write_text(json.dumps(template))
    return path


def _lines_that_command(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("::")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_value_forges_a_line_or_a_terminal_sequence(tmp_path: Path, fmt: str) -> None:
    _template(tmp_path)
    out = tmp_path / f"report.{fmt}"
    run = CliRunner().invoke(main, ["--format", fmt, "--verbose", "--output", str(out),
                                    str(tmp_path)])
    assert run.exit_code == 1, run.output
    text = out.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\r" not in text
    commands = _lines_that_command(text)
    if fmt == "github":  # its own annotations only: one per finding, never the forged ones
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in commands)
        properties = [line[2:].split("::", 1)[0] for line in commands]
        assert not any("README.md" in props for props in properties)
        assert not any(line.startswith("::add-mask") for line in commands)
    else:
        assert commands == []
    assert not any(line.startswith(("::warning", "::add-mask")) for line in text.splitlines())


def test_markdown_defuses_links_and_mentions(tmp_path: Path) -> None:
    _template(tmp_path)
    run = CliRunner().invoke(main, ["--format", "markdown", str(tmp_path)])
    assert "@admin" not in run.stdout and "@&#8203;admin" in run.stdout
    assert "](https://" not in run.stdout and "https://evil" not in run.stdout


def test_sarif_uris_are_percent_encoded(tmp_path: Path) -> None:
    _template(tmp_path, "odd name#1?.template.json")
    run = CliRunner().invoke(main, ["--format", "sarif", str(tmp_path)])
    [result] = json.loads(run.stdout)["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "odd%20name%231%3F.template.json"


def test_text_escapes_a_hostile_file_name(tmp_path: Path) -> None:
    (tmp_path / "::warning file=x::F.tf").write_text(
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "id"\n}\n')
    run = CliRunner().invoke(main, [str(tmp_path)])
    assert run.exit_code == 1
    assert _lines_that_command(run.stdout) == []
