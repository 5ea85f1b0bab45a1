"""`--changed-only` with Terraform plan JSON: a changed plan file is judged whole (every table
it plans) and on its own, as `iac-ddb-lint plan.json` judges it, wherever it lies (next to `.tf`
files, in a hidden folder, in a folder of plans), never against the configuration it was planned
from, whose selections (other variable values, another workspace) are not the plan's world."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES
from support.reports import copy_case

from analyzer.cli import main

APP_PLAN = FIXTURES / "terraform" / "pitr_settings" / "plan.json"  # tables only, no backups
WORKSPACE_PLANS = FIXTURES / "plan" / "workspaces" / "plans"  # each with a backup plan
OVERRIDE = FIXTURES / "plan" / "var_overrides_default"  # -var turns a default tag selection off


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_case("pitr_settings", tmp_path, "app")  # five tables in main.tf
    shutil.copy(APP_PLAN, tmp_path / "app" / "tfplan.json")  # beside the .tf files
    copy_case("central_backup_root", tmp_path, "infra")
    shutil.copytree(WORKSPACE_PLANS, tmp_path / "plans")  # a folder of plans, no .tf files
    (tmp_path / ".plans").mkdir()
    shutil.copy(APP_PLAN, tmp_path / ".plans" / "app.json")
    shutil.copy(APP_PLAN, tmp_path / ".plans" / "other.json")
    (tmp_path / "shop").mkdir()  # the configuration and, beside it, its plan with -var
    shutil.copy(OVERRIDE / ".config" / "main.tf", tmp_path / "shop" / "main.tf")
    shutil.copy(OVERRIDE / "tfplan.json", tmp_path / "shop" / "tfplan.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, dict]:
    """The JSON report on stdout; warnings go to stderr (`output` mixes the two in click 8.2+:
    plans/ judged with unlinked Terraform roots in a whole-repository scan warn there)."""
    out = CliRunner().invoke(main, ["--format", "json", *args])
    assert out.exit_code in (0, 1, 2), out.output
    return out.exit_code, json.loads(out.stdout)


def _tables(document: dict) -> dict[str, str]:
    return {f"{t['unit']}:{t['resource']}": t["status"] for t in document["tables"]}


def _plan_tables(plan: str) -> dict[str, str]:
    """The verdicts of one plan judged on its own (`iac-ddb-lint plan.json`)."""
    _, document = _run(plan)
    return {f"{plan}:{t['resource']}": t["status"] for t in document["tables"]}


def test_a_changed_plan_beside_tf_files_is_judged_whole(repo: Path) -> None:
    """A directory walk of app/ judges the configuration, not the plan; the changed plan is
    judged all the same, every table of it, and nothing else. It sits beside the .tf files it
    was planned from, so its verdicts point at their blocks (analyzer.hybrid)."""
    code, document = _run("--changed-only", "app/tfplan.json")
    assert code == 1
    assert _tables(document) == _plan_tables("app/tfplan.json")
    assert len(_tables(document)) == 5
    assert {t["unit"] for t in document["tables"]} == {"app/tfplan.json"}
    assert {t["file"] for t in document["tables"]} == {"app/main.tf"}


def test_a_changed_plan_in_a_hidden_folder_is_judged_alone(repo: Path) -> None:
    _, document = _run("--changed-only", ".plans/app.json")
    assert _tables(document) == _plan_tables(".plans/app.json")
    assert not any(t["unit"] == ".plans/other.json" for t in document["tables"])


def test_a_changed_plan_in_a_folder_of_plans_is_judged_alone(repo: Path) -> None:
    """Its own backup configuration widens no other unit's scope: a plan is not a change to
    the repository's code. Its own selection is weighed (unknown, not unprotected: without the
    configuration the plan shows only what its known-after-apply `resources` refer to)."""
    _, document = _run("--changed-only", "plans/staging.json")
    assert _tables(document) == _plan_tables("plans/staging.json") == {
        "plans/staging.json:aws_dynamodb_table.orders": "unknown"}
    [table] = document["tables"]
    assert [(p["source"], p["applies"], p["file"]) for p in table["protection"]
            if p["kind"] == "backup_selection"] == [
        ("aws_backup_selection.orders[0]", "unknown", "plans/staging.json")]


def test_a_changed_plan_is_judged_in_its_own_world(repo: Path) -> None:
    """shop/main.tf's tag selection exists by default; the plan beside it was made with
    -var backups_enabled=false and has none. The configuration must not protect the plan's
    table (the same table, in a world the plan rules out)."""
    assert _tables(_run("shop")[1]) == {"shop:aws_dynamodb_table.orders": "protected"}  # as HCL
    code, document = _run("--changed-only", "shop/tfplan.json")
    assert code == 1
    assert _tables(document) == {"shop/tfplan.json:aws_dynamodb_table.orders": "unprotected"}
    _, both = _run("--changed-only", "shop/tfplan.json", "shop/main.tf")
    assert _tables(both)["shop/tfplan.json:aws_dynamodb_table.orders"] == "unprotected"


def test_a_backup_change_reports_every_table_and_the_changed_plans_alone(repo: Path) -> None:
    _, document = _run("--changed-only", "infra/backup/selection.tf", "plans/dev.json")
    _, whole = _run(".")
    assert _tables(document) == _tables(whole)  # plans/dev.json: alone or not, the same here
    assert len(_tables(document)) >= 10


def test_a_changed_tf_file_does_not_pull_in_the_plan_beside_it(repo: Path) -> None:
    _, document = _run("--changed-only", "app/main.tf")
    assert {t["unit"] for t in document["tables"]} == {"app"}


@pytest.mark.parametrize("batches", [
    [["app/tfplan.json", "app/main.tf", "infra/app/tables.tf"]],
    [["app/tfplan.json"], ["app/main.tf"], ["infra/app/tables.tf"]],
    [["app/main.tf", "app/tfplan.json"], ["infra/app/tables.tf"]],
])
def test_batching_does_not_change_the_outcome(repo: Path, batches: list[list[str]]) -> None:
    together: dict[str, str] = {}
    for batch in batches:
        together.update(_tables(_run("--changed-only", *batch)[1]))
    _, plan = _run("--changed-only", "app/tfplan.json")
    _, code = _run("--changed-only", "app/main.tf")
    _, other = _run("--changed-only", "infra/app/tables.tf")
    assert together == {**_tables(plan), **_tables(code), **_tables(other)}
    assert {k.split(":")[0] for k in together} == {"app/tfplan.json", "app", "infra/app"}


def test_a_changed_unreadable_plan_fails_closed(repo: Path) -> None:
    text = (repo / "app" / "tfplan.json").read_text(encoding="utf-8")
    (repo / "app" / "tfplan.json").write_text(text[: len(text) // 2], encoding="utf-8")
    code, document = _run("--changed-only", "app/tfplan.json")
    assert code == 2
    assert [e["file"] for e in document["errors"]] == ["app/tfplan.json"]


def test_a_changed_json_that_is_no_plan_reports_nothing(repo: Path) -> None:
    (repo / "app" / "package.json").write_text('{"name": "app"}\n', encoding="utf-8")
    code, document = _run("--changed-only", "app/package.json")
    assert code == 0 and document["tables"] == []
