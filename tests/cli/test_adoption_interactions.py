"""Issue 14's options together, as a team sets them: a configuration file with external
selections, policy and report outputs, run from a subdirectory, `explain` included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main

TABLES = '''provider "aws" {
  region = "eu-west-1"
}

resource "aws_dynamodb_table" "ledger" {
  name     = "ledger"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  tags = {
    backup = "hourly"
  }
}
'''

CONFIG = '''[project]
name = "app"

[tool.iac-ddb-lint]
paths = ["infra"]
format = "sarif"
output = ["reports/out.sarif"]

[[tool.iac-ddb-lint.external-selection]]
tag = "backup"
values = ["hourly"]
region = "eu-west-1"
'''


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "infra" / "tables").mkdir(parents=True)
    (tmp_path / "infra" / "tables" / "main.tf").write_text(TABLES)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    return tmp_path


def _run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args)


def _evidence(document: dict, kind: str) -> dict:  # type: ignore[type-arg]
    (table,) = document["tables"]
    (evidence,) = [e for e in table["protection"] if e["kind"] == kind]
    return evidence  # type: ignore[no-any-return]


def test_a_declared_selection_is_located_from_the_working_directory(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for where, expected in ((repo, "pyproject.toml"),
                            (repo / "infra", "../pyproject.toml"),
                            (repo / "infra" / "tables", f"{repo.as_posix()}/pyproject.toml")):
        monkeypatch.chdir(where)
        out = _run(["--format", "json"])
        assert out.exit_code == 0, out.output
        evidence = _evidence(json.loads(out.output), "backup_selection")
        assert evidence["applies"] == "yes"
        # the configuration file as a terminal opens it, not joined under the scan root
        assert (evidence["file"], evidence["line"]) == (expected, 9)
        assert Path(where, evidence["file"]).is_file()


def test_explain_takes_no_report_format_or_output_from_the_configuration(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "infra")
    out = _run(["explain", "aws_dynamodb_table.ledger"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "aws_dynamodb_table.ledger (tables/main.tf:5): protected"
    assert any(line.startswith("    + external-selection at ") for line in lines)
    assert not (repo / "reports").exists()
    # asked on the command line, they are still refused
    refused = _run(["explain", "aws_dynamodb_table.ledger", "-o", "x.sarif"])
    assert refused.exit_code == 2 and "--output is for reports" in refused.output
    refused = _run(["explain", "aws_dynamodb_table.ledger", "--format", "sarif"])
    assert refused.exit_code == 2 and "not sarif" in refused.output


BACKUP_REPO = '''provider "aws" {
  region = "eu-west-1"
}

resource "aws_backup_vault" "local" {
  name = "local"
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.local.name
    schedule          = "cron(0 5 * * ? *)"
    copy_action {
      destination_vault_arn = "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr"
    }
  }
}

resource "aws_backup_selection" "tagged" {
  name         = "tagged"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  plan_id      = aws_backup_plan.daily.id
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "hourly"
  }
}
'''


def test_an_exported_plan_keeps_its_copy_to_another_region(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--export-selections + --selections-from + DDB009: the copy action crosses repositories;
    and the export, run from the parent directory, names the scanned repository."""
    (repo / "pyproject.toml").unlink()
    (repo / "backup-repo").mkdir()
    (repo / "backup-repo" / "main.tf").write_text(BACKUP_REPO)
    monkeypatch.chdir(repo)
    made = _run(["--export-selections", "selections.json", "backup-repo"])
    assert made.exit_code == 0, made.output
    document = json.loads((repo / "selections.json").read_text())
    assert document["source"] == "backup-repo"
    assert document["selections"][0]["file"] == "main.tf"
    (plan,) = document["plans"]
    assert plan["copy_regions"] == [["eu-central-1"]]
    out = _run(["--selections-from", "selections.json", "--require-copy-to-another-region",
                "--format", "json", "infra"])
    assert out.exit_code == 0, out.output
    policy = _evidence(json.loads(out.output), "policy")
    assert policy["applies"] == "yes" and "copies its recovery points to eu-central-1" in \
        policy["message"]


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_the_graph_names_imported_and_declared_selections_by_their_origin(
        repo: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    (repo / "backup-repo").mkdir()
    (repo / "backup-repo" / "main.tf").write_text(BACKUP_REPO.replace('"hourly"', '"daily"'))
    monkeypatch.chdir(repo)
    assert _run(["--no-config", "--export-selections", "selections.json",
                 "backup-repo"]).exit_code == 0
    out = _run(["--format", fmt, "--selections-from", "selections.json",
                "--require-copy-to-another-region", "infra"])
    assert "//" not in out.output.replace("https://", ""), out.output  # no internal unit
    assert "aws_backup_selection.tagged (from selections.json)" in out.output
    assert "aws_backup_plan.daily (from selections.json)" in out.output
    assert "external-selection at pyproject.toml:9" in out.output
