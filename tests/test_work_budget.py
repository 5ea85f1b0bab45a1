"""Bad input never aborts the run (issue 15): each is an error or an unknown at its own place,
every other file is still judged, and nothing takes more than seconds."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import main

TABLE = 'resource "aws_dynamodb_table" "ok" {\n  name = "ok"\n  hash_key = "id"\n}\n'


def _scan(root: Path) -> tuple[int, dict]:
    here = os.getcwd()
    os.chdir(root)  # from the scanned root, as a user runs it: paths relative to it
    try:
        run = CliRunner().invoke(main, ["--format", "json", str(root)])
    finally:
        os.chdir(here)
    assert "internal error" not in run.output
    return run.exit_code, json.loads(run.stdout)


def _root(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).mkdir()
    (tmp_path / name / "main.tf").write_text(text)
    (tmp_path / "other").mkdir(exist_ok=True)
    (tmp_path / "other" / "main.tf").write_text(TABLE)  # still judged
    return tmp_path


def _statuses(report: dict) -> dict[str, str]:
    return {f"{t['unit']}:{t['resource']}": t["status"] for t in report["tables"]}


def test_a_nul_in_a_module_source_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = _root(tmp_path, "a", 'module "m" {\n  source = "./x\\u0000y"\n}\n')
    code, report = _scan(root)
    assert [(e["file"], e["line"]) for e in report["errors"]] == [("a/main.tf", 2)]
    assert _statuses(report) == {"other:aws_dynamodb_table.ok": "unprotected"}
    assert code == 2


def test_a_module_source_too_long_for_the_system_is_an_error(tmp_path: Path) -> None:
    root = _root(tmp_path, "a", 'module "m" {\n  source = "./' + "x" * 300 + '"\n}\n')
    code, report = _scan(root)
    assert [(e["file"], e["line"]) for e in report["errors"]] == [("a/main.tf", 2)]
    assert "not a usable path" in report["errors"][0]["message"]
    assert code == 2


def test_a_huge_arn_field_is_unknown_not_a_crash(tmp_path: Path) -> None:
    pattern = "arn:aws:dynamodb:" + "*a" * 1000 + ":1:table/*"
    root = _root(tmp_path, "a", TABLE.replace("ok", "t") + (
        'resource "aws_backup_selection" "s" {\n  name = "s"\n  plan_id = "p"\n'
        f'  iam_role_arn = "r"\n  resources = ["{pattern}"]\n}}\n'))
    code, report = _scan(root)
    assert _statuses(report)["a:aws_dynamodb_table.t"] == "unknown"
    assert code == 0  # unknown is a warning; ARN patterns reach other/'s table too


def test_a_huge_count_is_undecided_not_expanded(tmp_path: Path) -> None:
    root = _root(tmp_path, "a", TABLE.replace('"ok" {', '"many" {\n  count = 100000000'))
    code, report = _scan(root)
    assert _statuses(report)["a:aws_dynamodb_table.many"] == "unprotected"  # PITR off anyway
    assert code == 1


def test_a_huge_count_on_a_selection_cannot_protect(tmp_path: Path) -> None:
    root = _root(tmp_path, "a", TABLE.replace("ok", "t") + (
        'resource "aws_backup_selection" "s" {\n  count = 100000000\n  name = "s"\n'
        '  plan_id = "p"\n  iam_role_arn = "r"\n  resources = ["*"]\n}\n'))
    code, report = _scan(root)
    assert _statuses(report)["a:aws_dynamodb_table.t"] == "unknown"
    assert code == 0  # unknown is a warning; ARN patterns reach other/'s table too
