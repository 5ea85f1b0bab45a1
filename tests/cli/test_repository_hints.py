"""The hint that names IaC directories of the repository a run left out (issue 14 item 11),
through the real command line on a real git work tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli.command import main

TABLE = """\
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  tags     = { backup = "daily" }
  attribute {
    name = "id"
    type = "S"
  }
}
"""
PROTECTED = TABLE.replace("  attribute {", "  point_in_time_recovery {\n    enabled = true\n  }\n"
                          "  attribute {", 1)
BACKUP = """\
resource "aws_backup_vault" "v" {
  name = "v"
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.v.name
    schedule          = "cron(0 5 * * ? *)"
  }
}
resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
"""
TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n'
HINT = "no backup selection was found in the scanned paths"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    files = {"app/main.tf": TABLE, "infra/backup/main.tf": BACKUP, "stack/t.yaml": TEMPLATE,
             ".hidden/main.tf": BACKUP, "node_modules/mod/main.tf": BACKUP,
             "docs/notes.yaml": "a: 1\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _stderr(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stderr


def test_a_run_without_any_selection_names_the_other_iac_directories(repo: Path) -> None:
    err = _stderr("app")
    assert err.count(HINT) == 1
    assert ("other IaC directories in this repository were not scanned: infra/backup, stack; "
            "scan them too if they hold the backups") in err
    assert ".hidden" not in err and "node_modules" not in err and "docs" not in err


def test_no_hint_once_the_backups_are_scanned(repo: Path) -> None:
    assert HINT not in _stderr("app", "infra/backup")


def test_no_hint_when_every_table_is_protected(repo: Path) -> None:
    (repo / "app/main.tf").write_text(PROTECTED)
    assert HINT not in _stderr("app")


def test_no_hint_with_changed_only(repo: Path) -> None:
    assert HINT not in _stderr("--changed-only", "app/main.tf")


def test_no_hint_outside_a_git_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in {"app/main.tf": TABLE, "backup/main.tf": BACKUP}.items():
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert HINT not in _stderr("app")


def test_at_most_three_are_named(repo: Path) -> None:
    for name in ("a", "b", "c"):
        (repo / "more" / name).mkdir(parents=True)
        (repo / "more" / name / "main.tf").write_text(TABLE)
    err = _stderr("app")
    assert "not scanned: infra/backup, stack, more/a and 2 more;" in err
