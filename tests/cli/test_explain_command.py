"""`iac-ddb-lint explain ADDRESS [PATH]...`: text and JSON, exit codes, the word/path clash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.cli import main

TABLE = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n'


def _run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args)


@pytest.fixture
def star_condition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "infra"
    shutil.copytree(FIXTURES / "terraform" / "selection_star_condition", target,
                    ignore=shutil.ignore_patterns("expected.yaml", "plan.json"))
    monkeypatch.chdir(tmp_path)
    return target


def test_explain_prints_why_a_selection_fails(star_condition: Path) -> None:
    out = _run(["explain", "aws_dynamodb_table.untagged", "infra"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "aws_dynamodb_table.untagged (infra/main.tf:23): unprotected"
    assert "  Selections considered (1):" in lines
    assert (
        '    - aws_backup_selection.by_condition (infra/main.tf:49): does not select it: lists the '
        'table (pattern "*"), but its condition StringEquals backup = "daily" fails: the table '
        "has no tag backup; not a candidate: its tags and patterns cannot name this table"
    ) in lines
    assert '        - condition StringEquals backup = "daily" fails: the table has no tag ' \
        "backup (infra/main.tf:56)" in lines
    assert "  Verdict: unprotected" in lines
    assert any(line.startswith("  Finding: DDB001 (error) not protected") for line in lines)
    again = _run(["explain", "aws_dynamodb_table.untagged", "infra"])
    assert again.output == out.output  # deterministic


def test_explain_json(star_condition: Path) -> None:
    out = _run(["explain", "aws_dynamodb_table.tags_unknown", "infra", "--format", "json"])
    assert out.exit_code == 0, out.output
    document = json.loads(out.output)
    assert list(document) == ["version", "tables", "errors"]
    (table,) = document["tables"]
    assert (table["resource"], table["status"]) == ("aws_dynamodb_table.tags_unknown", "unknown")
    (selection,) = table["selections"]
    assert (selection["address"], selection["selects"], selection["candidate"]) == (
        "aws_backup_selection.by_condition", "unknown", True)
    assert selection["plan"] == {"address": "aws_backup_plan.daily", "file": "infra/backup_plan.tf",
                                 "line": 5, "rules": 1, "retention_days": [35]}
    condition = next(c for c in selection["checks"] if c["step"] == "condition")
    assert condition["result"] == "unknown" and condition["line"] == 56
    assert [p["source"] for p in table["protection"]] == [
        "aws_dynamodb_table.tags_unknown", "aws_backup_selection.by_condition"]


def test_explain_shows_a_suppressed_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    shutil.copytree(FIXTURES / "terraform" / "suppression", tmp_path / "s")
    monkeypatch.chdir(tmp_path)
    out = _run(["explain", "aws_dynamodb_table.cache", "s"])
    assert out.exit_code == 0, out.output
    assert "[suppressed: cache table, rebuilt from the event log on every deploy]" in out.output


def test_unknown_address_is_exit_2_with_near_matches(star_condition: Path) -> None:
    out = _run(["explain", "aws_dynamodb_table.untaged", "infra"])
    assert out.exit_code == 2
    assert "no scanned table is named 'aws_dynamodb_table.untaged'; did you mean: " \
        "aws_dynamodb_table.untagged" in out.output
    hostile = _run(["explain", "x\x1b[2J", "infra"])
    assert hostile.exit_code == 2 and "\x1b" not in hostile.output
    assert "(4 tables scanned;" in hostile.output


@pytest.mark.parametrize("args", [["explain"], ["explain", "infra"], ["explain", "--verbose"]])
def test_explain_without_an_address_is_a_usage_error(star_condition: Path, args: list[str]
                                                     ) -> None:
    out = _run(args)
    assert out.exit_code == 2
    assert "`explain` takes a table address first" in out.output


def test_explain_refuses_report_formats_and_outputs(star_condition: Path) -> None:
    out = _run(["explain", "aws_dynamodb_table.tagged", "infra", "--format", "sarif"])
    assert out.exit_code == 2 and "prints text or --format json" in out.output
    out = _run(["explain", "aws_dynamodb_table.tagged", "infra", "-o", "x.json"])
    assert out.exit_code == 2 and not Path("x.json").exists()


def test_a_directory_named_explain_is_still_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "explain").mkdir()
    (tmp_path / "explain" / "main.tf").write_text(TABLE)
    monkeypatch.chdir(tmp_path)
    for args in (["explain/"], ["explain"]):
        out = _run(args)
        assert out.exit_code == 1 and "DDB001 aws_dynamodb_table.t" in out.output
    out = _run(["explain", "aws_dynamodb_table.t"])  # `explain` is a path here
    assert out.exit_code == 2 and "'aws_dynamodb_table.t' does not exist" in out.output


def test_an_unreadable_input_makes_explain_exit_2(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text(TABLE)
    (tmp_path / "broken.tf").write_text('resource "aws_backup_selection" "s" {\n  name = \n}\n')
    monkeypatch.chdir(tmp_path)
    out = _run(["explain", "aws_dynamodb_table.t"])
    assert out.exit_code == 2
    assert "aws_dynamodb_table.t (main.tf:1): unknown" in out.output
    assert "broken.tf:3:1:" in out.output


def test_rule_word_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = _run(["rule", "DDB001"])
    assert out.exit_code == 0 and out.output.startswith("DDB001 ")


def test_explain_paths_are_from_the_working_directory_like_the_reports(
        star_condition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = star_condition.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the scanned directory lies outside the working directory
    report = json.loads(_run(["../infra", "--format", "json"]).output)
    (reported,) = [t for t in report["tables"] if t["resource"] == "aws_dynamodb_table.untagged"]
    out = _run(["explain", "aws_dynamodb_table.untagged", "../infra"])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == (
        f"aws_dynamodb_table.untagged ({reported['file']}:23): unprotected")
    assert reported["file"] == f"{star_condition.as_posix()}/main.tf"
    document = json.loads(_run(["explain", "aws_dynamodb_table.untagged", "../infra",
                                "--format", "json"]).output)
    (table,) = document["tables"]
    assert (table["file"], table["unit"]) == (reported["file"], reported["unit"])
    (selection,) = table["selections"]
    assert selection["file"] == f"{star_condition.as_posix()}/main.tf"
    assert selection["plan"]["file"] == f"{star_condition.as_posix()}/backup_plan.tf"


def test_a_unit_may_be_named_as_json_prints_it(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ("dev", "prod"):
        (tmp_path / "infra" / env).mkdir(parents=True)
        (tmp_path / "infra" / env / "main.tf").write_text(TABLE)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # the scan root lies outside it
    report = json.loads(_run(["--format", "json", "../infra"]).output)
    units = sorted(t["unit"] for t in report["tables"])
    assert units == [f"{(tmp_path / 'infra' / env).as_posix()}" for env in ("dev", "prod")]
    out = _run(["explain", f"{units[1]}:aws_dynamodb_table.t", "../infra", "--format", "json"])
    assert out.exit_code == 0, out.output
    (table,) = json.loads(out.output)["tables"]
    assert table["unit"] == units[1]
    assert _run(["explain", "prod:aws_dynamodb_table.t", "../infra"]).exit_code == 0
