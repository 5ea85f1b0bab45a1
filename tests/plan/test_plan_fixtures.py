"""The plan-only fixtures (tests/fixtures/plan/<case>/): plans of what HCL cannot decide, made
by real `terraform plan` from the configuration in each case's hidden `.config/` folder
(registry modules `terraform init` installed, `-var` values, workspaces). tests/test_fixtures.py
checks their verdicts like every other case; these tests check that the committed plans are the
ones the case asks for, that the configuration is never read as code, that each plan judged on
its own (`iac-ddb-lint tfplan.json`) and a directory of plans (`iac-ddb-lint plans/`) give the
same verdicts, and, where Terraform is installed, that regenerating a plan changes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.paths import FIXTURES, REPO

from analyzer.cli import main
from analyzer.discover import discover
from analyzer.pipeline import scan

sys.path.insert(0, str(REPO / "scripts"))
import plan_only_fixtures  # scripts/, on the path just above
from plan_terraform import normalise

CASES = plan_only_fixtures.case_dirs(FIXTURES / "plan")
STATUSES = ("protected", "unprotected", "unknown")


def expected_by_status(case: Path) -> dict[str, set[str]]:
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    return {status: set(data.get(status) or []) for status in STATUSES}


def verdict_keys(paths: list[str]) -> dict[str, set[str]]:
    """status -> {`unit::address`} of a scan."""
    out: dict[str, set[str]] = {status: set() for status in STATUSES}
    for verdict in scan(paths).verdicts:
        out[verdict.status.value].add(f"{verdict.table.unit}::{verdict.table.address}")
    return out


def test_there_are_plan_only_cases() -> None:
    assert {c.name for c in CASES} >= {"registry_module", "registry_module_var_backups",
                                       "workspaces"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_committed_plans_are_the_ones_asked_for(case: Path) -> None:
    specs = plan_only_fixtures.plan_specs(case)
    assert specs, f"{case.name}: expected.yaml lists no plans (plan: {{plans: [...]}})"
    config = case / plan_only_fixtures.CONFIG_DIR
    assert any(config.glob("*.tf")), f"{case.name}: no configuration in {config}"
    missing = [s.file for s in specs if not s.target.is_file()]
    assert not missing, f"run scripts/gen_plan_fixtures.py {case.name}: missing {missing}"
    assert not plan_only_fixtures.stale_plans(case), "plans nothing asks for"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_plans_are_real_and_normalised(case: Path) -> None:
    for path in plan_only_fixtures.committed_plans(case):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert str(data["format_version"]).startswith("1."), path
        assert data["terraform_version"].startswith("1."), path  # made by terraform, not by hand
        assert "/tmp/" not in text and "gen-plan-" not in text, path
        assert text == normalise(json.loads(text), REPO / "no-such-dir"), path


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_configuration_is_never_read_as_code(case: Path) -> None:
    """Scanning the case reads its plans only: `.config/` is hidden, so its `.tf` files (which
    would otherwise be a root of their own) are not a unit."""
    units = discover([str(case)]).units
    assert {u.kind for u in units} == {"plan"}
    assert {u.path for u in units} == {s.target.resolve() for s in
                                       plan_only_fixtures.plan_specs(case)}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_each_plan_alone_gives_its_verdicts(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`iac-ddb-lint tfplan.json`, one plan at a time, says what the scan of the whole case
    says about that plan's tables (one plan never decides another's)."""
    monkeypatch.chdir(case)
    together = verdict_keys(["."])
    for spec in plan_only_fixtures.plan_specs(case):
        alone = verdict_keys([spec.file])
        for status in STATUSES:
            mine = {k for k in together[status] if k.startswith(f"{spec.file}::")}
            assert alone[status] == mine, (spec.file, status)


@pytest.mark.parametrize("case", [c for c in CASES if (c / "plans").is_dir()],
                         ids=lambda p: p.name)
def test_a_directory_of_plans(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`iac-ddb-lint plans/`: every plan file in it is a unit; the JSON report names each
    table with its plan file, with the verdicts of expected.yaml."""
    monkeypatch.chdir(case)
    run = CliRunner().invoke(main, ["--format", "json", "plans/"])
    assert run.exit_code == 1, run.output
    report = json.loads(run.output)
    got = {status: {f"{t['unit']}::{t['resource']}" for t in report["tables"]  # plans/x.json
                    if t["status"] == status} for status in STATUSES}
    assert got == expected_by_status(case)
    assert {t["file"] for t in report["tables"]} == {t["unit"] for t in report["tables"]}


@pytest.mark.slow
def test_a_plan_regenerates_unchanged_with_real_terraform() -> None:
    """Real `terraform init` (the registry module installed from the stand-in registry) and
    `terraform plan` give the committed registry_module/tfplan.json byte for byte."""
    if shutil.which("terraform") is None or shutil.which("git") is None:
        pytest.skip("terraform or git is not installed")
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_plan_fixtures.py"),
                          "--check", "registry_module"], capture_output=True, text=True,
                         timeout=600, check=False)
    if "skipped" in run.stdout and run.returncode == 0:
        pytest.skip(run.stdout.strip())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 plan(s) ok, 0 failed" in run.stdout, run.stdout


def test_a_plan_beside_its_configuration_keeps_its_own_world(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = FIXTURES / "plan" / "var_overrides_default"
    shutil.copy(case / ".config" / "main.tf", tmp_path / "main.tf")
    shutil.copy(case / "tfplan.json", tmp_path / "tfplan.json")
    monkeypatch.chdir(tmp_path)
    alone = verdict_keys(["tfplan.json"])
    assert alone["unprotected"] == {"tfplan.json::aws_dynamodb_table.orders"}
    both = verdict_keys([".", "tfplan.json"])
    assert both["unprotected"] == alone["unprotected"]
