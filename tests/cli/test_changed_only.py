"""`--changed-only` (the per-file pre-commit hook): the changed files' units are judged against
every unit in the repository, and the outcome does not depend on how the files are batched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.reports import copy_case

from analyzer.cli import main


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_case("central_backup_root", tmp_path, "infra")  # app/ tables, backup/ central selection
    copy_case("selection_tag", tmp_path, "svc")  # tables and their own selection, one root
    copy_case("module_pitr_input", tmp_path, "mod")  # tables declared in a local module
    copy_case("non_terraform_files", tmp_path, "misc")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, dict]:
    out = CliRunner().invoke(main, ["--format", "json", "--changed-only", *args])
    assert out.exit_code in (0, 1, 2), out.output
    return out.exit_code, json.loads(out.output)


def _tables(document: dict) -> dict[str, str]:
    return {f"{t['file']}:{t['resource']}": t["status"] for t in document["tables"]}


def _findings(document: dict) -> set[tuple[str, str, str]]:
    return {(f["rule_id"], f["file"], f["resource"]) for f in document["findings"]}


def test_a_table_change_is_judged_against_the_whole_repository(repo: Path) -> None:
    code, document = _run("infra/app/tables.tf")
    assert code == 1
    # The central root in infra/backup protects the tagged table; only app's tables are reported.
    assert _tables(document) == {
        "infra/app/tables.tf:aws_dynamodb_table.tagged": "protected",
        "infra/app/tables.tf:aws_dynamodb_table.untagged": "unprotected",
    }


def test_a_backup_change_reports_every_table(repo: Path) -> None:
    _, document = _run("infra/backup/selection.tf")
    _, whole = _run_whole()
    assert _tables(document) == _tables(whole) and len(_tables(whole)) >= 9


def test_a_module_change_and_its_callers_change_report_the_module_tables(repo: Path) -> None:
    _, by_module = _run("mod/modules/table/main.tf")
    _, by_caller = _run("mod/main.tf")
    assert set(_tables(by_caller)) == {
        f"mod/modules/table/main.tf:module.{name}.aws_dynamodb_table.this"
        for name in ("orders", "carts", "events", "nameless")
    }
    assert _tables(by_module) == _tables(by_caller)


def test_files_no_loader_reads_report_nothing(repo: Path) -> None:
    code, document = _run("misc/README.md", "misc/docker-compose.yaml")
    assert code == 0 and document["tables"] == [] and document["findings"] == []


BATCH = ["infra/app/tables.tf", "svc/main.tf", "mod/main.tf", "misc/package.json"]


@pytest.mark.parametrize(
    "batches",
    [
        [BATCH[:1], BATCH[1:]],
        [[name] for name in BATCH],
        [BATCH[::2], BATCH[1::2]],
        [["infra/app/tables.tf"], ["mod/main.tf", "misc/package.json"]],
    ],
    ids=["first-rest", "one-by-one", "interleaved", "subset"],
)
def test_outcome_does_not_depend_on_batching(repo: Path, batches: list[list[str]]) -> None:
    files = sorted({name for batch in batches for name in batch})
    code, together = _run(*files)
    parts = [_run(*batch) for batch in batches]
    assert max(c for c, _ in parts) == code
    assert set().union(*(_findings(d) for _, d in parts)) == _findings(together)
    merged: dict[str, str] = {}
    for _, document in parts:
        merged.update(_tables(document))
    assert merged == _tables(together)


def _run_whole() -> tuple[int, dict]:
    out = CliRunner().invoke(main, ["--format", "json", "."])
    return out.exit_code, json.loads(out.output)


def test_a_staged_file_in_a_hidden_directory_is_in_scope(repo: Path) -> None:
    """The walk skips hidden directories, but staged files are the scope whatever their path
    (issue 15): `.infra/main.tf` is judged, not dropped as 0 tables with exit 0."""
    (repo / ".infra").mkdir()
    (repo / ".infra" / "main.tf").write_text(
        'resource "aws_dynamodb_table" "hidden" {\n  name = "hidden"\n  hash_key = "id"\n}\n')
    code, document = _run(".infra/main.tf")
    assert _tables(document) == {".infra/main.tf:aws_dynamodb_table.hidden": "unprotected"}
    assert code == 1
