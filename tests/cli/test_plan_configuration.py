"""The command line on plan JSON (issue 11): `iac-ddb-lint tfplan.json` beside its root,
`iac-ddb-lint --tf-dir infra/ plans/`, and a plan alone; locations, suppressions, the JSON
`input` field, and SARIF with and without the configuration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES
from support.reports import assert_valid_sarif

from analyzer.cli import main

CASE = FIXTURES / "terraform" / "suppression"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """infra/ (the suppression fixture: two ignores with a reason, one without, one table
    unsuppressed), its plan in plans/prod.json, and a copy beside the code."""
    shutil.copytree(CASE, tmp_path / "infra", ignore=shutil.ignore_patterns("expected.yaml"))
    (tmp_path / "plans").mkdir()
    shutil.copy(CASE / "plan.json", tmp_path / "plans" / "prod.json")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(args: list[str]) -> tuple[dict, int]:
    run = CliRunner().invoke(main, ["--format", "json", *args])
    return json.loads(run.stdout), run.exit_code


def _placed(document: dict) -> dict[str, tuple[str, int, bool]]:
    return {f["resource"]: (f["file"], f["line"], f["suppressed"])
            for f in document["findings"] if f["rule_id"] == "DDB001"}


def test_tf_dir_puts_plan_findings_at_their_blocks(repo: Path) -> None:
    hcl, hcl_code = _json(["infra"])
    plan, code = _json(["--tf-dir", "infra", "plans"])
    assert code == hcl_code == 1
    assert _placed(plan) == _placed(hcl) == {  # both relative to the working directory
        "aws_dynamodb_table.cache": ("infra/main.tf", 2, True),
        "aws_dynamodb_table.scratch": ("infra/main.tf", 12, True),
        "aws_dynamodb_table.no_reason": ("infra/main.tf", 24, False),
        "aws_dynamodb_table.not_suppressed": ("infra/main.tf", 34, False)}
    assert {f["unit"] for f in plan["findings"]} == {"plans/prod.json"}
    assert any(f["rule_id"] == "DDB003" for f in plan["findings"])  # ignore without reason


def test_a_plan_beside_its_root_is_mapped_by_itself(repo: Path) -> None:
    plan, _ = _json(["infra/plan.json"])
    assert {f: p[:2] for f, p in _placed(plan).items()} == {
        f: p[:2] for f, p in _placed(_json(["infra"])[0]).items()}
    text = CliRunner().invoke(main, ["infra/plan.json"])
    assert "infra/main.tf:34: DDB001 aws_dynamodb_table.not_suppressed" in text.stdout
    assert "warning" not in text.stderr


def test_a_plan_alone_names_the_plan_file(repo: Path) -> None:
    plan, code = _json(["plans/prod.json"])
    assert code == 1
    assert {p for p in _placed(plan).values()} == {("plans/prod.json", 1, False)}


def test_a_tf_dir_that_is_not_the_plans_root_is_said(repo: Path) -> None:
    shutil.copytree(FIXTURES / "terraform" / "selection_derived_arn", repo / "other")
    run = CliRunner().invoke(main, ["--tf-dir", "other", "plans/prod.json"])
    assert "warning: plans/prod.json: --tf-dir other is not the configuration the plan was " \
        "made from" in run.stderr
    assert "plans/prod.json:1: DDB001" in run.stdout and run.exit_code == 1


def test_every_verdict_says_its_input(repo: Path) -> None:
    shutil.copytree(FIXTURES / "cloudformation" / "json_pitr", repo / "cfn",
                    ignore=shutil.ignore_patterns("expected.yaml"))
    document, _ = _json(["infra", "plans", "cfn"])
    by_unit = {t["unit"]: t["input"] for t in document["tables"]}
    assert by_unit.pop("infra") == "terraform" and by_unit.pop("plans/prod.json") == "plan"
    assert by_unit and set(by_unit.values()) == {"cloudformation"}
    assert {f["input"] for f in document["findings"]} <= {"terraform", "plan", "cloudformation"}


@pytest.mark.parametrize(("args", "uri"), [
    (["--tf-dir", "infra", "plans"], "infra/main.tf"),
    (["plans/prod.json"], "plans/prod.json"),
])
def test_sarif_for_plan_verdicts(repo: Path, args: list[str], uri: str) -> None:
    run = CliRunner().invoke(main, ["--format", "sarif", *args])
    document = assert_valid_sarif(run.stdout)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in document["runs"][0]["results"] for loc in result["locations"]}
    assert uris == {uri}


def test_tf_dir_must_be_a_directory(repo: Path) -> None:
    run = CliRunner().invoke(main, ["--tf-dir", "plans/prod.json", "plans"])
    assert run.exit_code == 2 and "--tf-dir" in run.output
