"""--workspace: terraform.workspace is unknown unless named; with several, each workspace is
judged and a table is unprotected if it is unprotected in any of them, saying which.

The fixtures are tests/fixtures/terraform_inputs/<case>/ (their verdicts depend on --workspace,
so the generic fixture test does not scan them); `runs:` in expected.yaml lists the verdicts per
set of workspaces, and `.plans/<workspace>.json` holds real `terraform plan` output made in that
workspace (scripts/gen_workspace_plans.py): our tables and PITR flags must be Terraform's, and
nothing we call protected may be certainly unprotected in any of the plans.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from support import plan_oracle
from support.paths import FIXTURES

from analyzer.cli import main
from analyzer.inputs import TerraformInputs
from analyzer.model import Status
from analyzer.pipeline import ScanResult, scan

CASES = FIXTURES / "terraform_inputs"
STATUSES = ("protected", "unprotected", "unknown")


def workspace_cases() -> list[Path]:
    return [case for case in sorted(CASES.iterdir())
            if (case / "expected.yaml").is_file() and "runs" in _expected(case)]


def _expected(case: Path) -> dict[str, Any]:
    return yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))


def _scan(case: Path, workspaces: list[str]) -> ScanResult:
    inputs = TerraformInputs(workspaces=tuple(workspaces))
    return scan([str(case)], inputs if workspaces else None)


def runs() -> list[Any]:
    return [pytest.param(case, run, id=f"{case.name}:{','.join(run['workspaces']) or 'none'}")
            for case in workspace_cases() for run in _expected(case)["runs"]]


def plans() -> list[Any]:
    return [pytest.param(case, name, id=f"{case.name}:{name}")
            for case in workspace_cases() for name in _expected(case)["workspaces"]]


@pytest.mark.parametrize(("case", "run"), runs())
def test_verdicts_per_set_of_workspaces(case: Path, run: dict[str, Any]) -> None:
    result = _scan(case, run["workspaces"])
    got = {s: Counter(v.table.address for v in result.verdicts if v.status.value == s)
           for s in STATUSES}
    assert got == {s: Counter(run[s] or []) for s in STATUSES}
    assert not result.inventory.errors


def _plan(case: Path, workspace: str) -> dict[str, Any]:
    return json.loads((case / ".plans" / f"{workspace}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "workspace"), plans())
def test_tables_and_pitr_are_terraforms_in_each_workspace(case: Path, workspace: str) -> None:
    planned = {t.address: t.pitr for t in plan_oracle.tables(_plan(case, workspace))}
    ours = {v.table.address: v.table.pitr.enabled for v in _scan(case, [workspace]).verdicts}
    assert set(ours) == set(planned)
    assert ours == planned


@pytest.mark.parametrize(("case", "run"), runs())
def test_protected_holds_in_every_named_workspace(case: Path, run: dict[str, Any]) -> None:
    names = run["workspaces"] or _expected(case)["workspaces"]  # none named: in every one
    protected = {(v.table.address, v.table.replica_region)
                 for v in _scan(case, run["workspaces"]).verdicts
                 if v.status is Status.PROTECTED}
    for name in names:
        bad = protected & plan_oracle.unprotected(_plan(case, name))
        assert not bad, f"protected, but certainly unprotected in workspace {name}: {bad}"


def test_the_verdict_names_the_workspaces_it_fails_in() -> None:
    case = CASES / "workspaces"
    result = CliRunner().invoke(main, ["--format", "json", "--workspace", "dev", "--workspace",
                                       "staging", "--workspace", "prod", str(case)])
    assert result.exit_code == 1, result.output
    tables = {t["resource"]: t for t in json.loads(result.output)["tables"]}
    orders = tables["aws_dynamodb_table.orders"]
    assert orders["status"] == "unprotected"
    assert orders["protection"][0]["message"] == (
        'point-in-time recovery is disabled (in workspace "dev")')
    sessions = tables["module.sessions.aws_dynamodb_table.this"]
    assert 'in workspaces "dev" and "staging"' in sessions["protection"][0]["message"]


def test_without_workspace_terraform_workspace_is_unknown_and_named() -> None:
    result = _scan(CASES / "workspaces", [])
    orders = next(v for v in result.verdicts if v.table.address == "aws_dynamodb_table.orders")
    assert "--workspace" in str(orders.table.pitr.enabled)


def test_an_empty_workspace_name_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["--workspace", "", str(CASES / "workspaces")])
    assert result.exit_code == 2
    assert "workspace name must not be empty" in result.output
