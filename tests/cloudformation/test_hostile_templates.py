"""Hostile templates (issue 15): nested stack locations that lead out of the repository, files
that are not regular or too large, templates detection used to miss, circular conditions, and
inputs that used to crash or hang. Each is an error or an unknown at its own place, never a
silent pass, never an internal error; every other template is still judged."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer import boundary
from analyzer.cli import main
from analyzer.cloudformation.detect import may_be_template
from analyzer.pipeline import scan

HEAD = "AWSTemplateFormatVersion: '2010-09-09'\n"
PROTECTED = ("Resources:\n  Good:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
             "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n")
STACK = "  S:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: %s}\n"


def _run(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(path)])
    assert "internal error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "good.yaml").write_text(HEAD + PROTECTED)
    return repo


@pytest.mark.parametrize(("location", "needle"), [
    ("/etc/passwd", "absolute path"),
    ("../../../../../../etc/passwd", "leads outside the repository"),
    ("link.yaml", "leads outside the repository"),
    ('"a\\0b.yaml"', "NUL byte"),
    ("fifo.yaml", "not a regular file"),
])
def test_nested_stack_location_is_not_read(tmp_path: Path, location: str, needle: str) -> None:
    repo = _repo(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text(HEAD + "Resources:\n  Leak:\n    Type: AWS::DynamoDB::Table\n")
    (repo / "link.yaml").symlink_to(secret)
    os.mkfifo(repo / "fifo.yaml")
    (repo / "parent.yaml").write_text(HEAD + "Resources:\n" + STACK % location)
    result = scan([str(repo)])
    errors = [e for e in result.inventory.errors if e.location.file == "parent.yaml"]
    assert [(e.location.line, e.location.col) for e in errors] == [(3, 3)]
    assert needle in errors[0].message
    assert "Leak" not in {v.table.address.split("/")[-1] for v in result.verdicts}
    assert [v.table.address for v in result.verdicts if v.status.value == "protected"] == [
        "Good"]
    assert _run(repo)[0] == 2


def test_template_reads_stay_regular_and_bounded(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    os.mkfifo(repo / "pipe.yaml")
    (repo / "zero.yaml").symlink_to("/dev/zero")
    assert not may_be_template(str(repo / "pipe.yaml"))  # returns, does not wait for a writer
    assert not may_be_template(str(repo / "zero.yaml"))
    code, output = _run(repo)
    assert code == 0 and "1 protected" in output


def test_cdk_manifest_linked_out_is_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "App.template.json").write_text(
        '{"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}}')
    (repo / "manifest.json").symlink_to("/etc/passwd")
    result = scan([str(repo)])
    assert [str(e.location) for e in result.inventory.errors] == ["manifest.json:1"]
    assert "outside the repository" in result.inventory.errors[0].message


def _table(type_text: str) -> str:
    return HEAD.replace("AWSTemplateFormatVersion", "Description") + (
        f"Resources:\n  T:\n    Type: {type_text}\n")


@pytest.mark.parametrize("name", ["bom", "after_peek", "str_tag", "escape", "json_escape"])
def test_detection_finds_disguised_templates(tmp_path: Path, name: str) -> None:
    texts = {
        "bom": "\ufeff" + HEAD + "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n",
        "after_peek": "# " + "x" * (300 * 1024) + "\n" + _table("AWS::DynamoDB::Table"),
        "str_tag": _table("!!str AWS::DynamoDB::Table"),
        "escape": _table('"\\x41WS::DynamoDB::\\x54able"'),
        "json_escape": '{"Resources": {"T": {"Type": "\\u0041WS::DynamoDB::Table"}}}',
    }
    repo = _repo(tmp_path)
    (repo / "t.yaml").write_text(texts[name], encoding="utf-8")
    result = scan([str(repo)])
    assert {v.table.address: v.status.value for v in result.verdicts} == {
        "Good": "protected", "T": "unprotected"}


def test_utf16_template_is_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "t.yaml").write_bytes(codecs.BOM_UTF16_LE + (HEAD + PROTECTED).encode("utf-16-le"))
    result = scan([str(repo)])
    assert [str(e.location) for e in result.inventory.errors] == ["t.yaml:1"]
    assert "not UTF-8" in result.inventory.errors[0].message
    assert _run(repo)[0] == 2


def test_template_over_the_size_cap_is_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with open(repo / "t.yaml", "w", encoding="utf-8") as handle:
        handle.write(HEAD + PROTECTED)
        handle.truncate(boundary.MAX_FILE_BYTES + 1)  # sparse: cheap to make
    result = scan([str(repo)])
    assert [str(e.location) for e in result.inventory.errors] == ["t.yaml:1"]
    assert "larger than" in result.inventory.errors[0].message


def test_circular_conditions_are_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "t.yaml").write_text(
        HEAD + "Conditions:\n  A: !Condition B\n  B: {'Fn::Not': [!Condition A]}\n"
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Condition: A\n")
    result = scan([str(repo)])
    errors = [f"{e.location.file}:{e.location.line}:{e.location.col}"
              for e in result.inventory.errors]
    assert errors == ["t.yaml:3:3"] and "A -> B -> A" in result.inventory.errors[0].message
    assert _run(repo)[0] == 2


def _loop(items: int, output: str) -> str:
    names = ",".join(f"i{n}" for n in range(items))
    return (HEAD + "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::L:\n"
            f"  - X\n  - [{names}]\n  - {output}")


@pytest.mark.parametrize("case", ["nul_url", "huge_string", "huge_url", "foreach", "fan_out"])
def test_crash_cases_are_errors_or_unknowns(tmp_path: Path, case: str) -> None:
    repo = _repo(tmp_path)
    big = "x" * (10 * 1024 * 1024)
    stack = ("S${X}:\n      Type: AWS::CloudFormation::Stack\n"
             "      Properties: {TemplateURL: c.yaml}\n")
    files = {
        "nul_url": '{"Resources": {"S": {"Type": "AWS::CloudFormation::Stack", '
                   '"Properties": {"TemplateURL": "a\\u0000b.yaml"}}}}',
        "huge_string": HEAD + f"Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
                       f"    Properties: {{TableName: '{big}'}}\n",
        "huge_url": HEAD + "Resources:\n" + STACK % f"'https://{big}'",
        "foreach": _loop(50_000, "T${X}:\n      Type: AWS::DynamoDB::Table\n"),
        "fan_out": _loop(1_000, stack),
    }
    (repo / "t.yaml").write_text(files[case])
    (repo / "c.yaml").write_text(_loop(1_000, "T${X}:\n      Type: AWS::DynamoDB::Table\n"))
    code, output = _run(repo)
    assert "Good" in output or "1 protected" in output
    if case.startswith("huge"):
        assert len(output) < 1024 * 1024  # a 10 MB string is not repeated in the report
    assert code in (1, 2)
