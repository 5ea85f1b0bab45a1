"""The tables Terraform plans are exactly the tables we report.

Every committed `plan.json` (real `terraform plan` + `terraform show -json`, produced by
scripts/gen_plan_fixtures.py) sits in the root folder it was planned from. For each one, the
distinct DynamoDB table addresses Terraform plans (`resource_changes[]` of type
aws_dynamodb_table or aws_dynamodb_table_replica -- a table of its own, which we report at its own
address -- not only deleted, module prefix included) must equal the distinct addresses our
analyzer reports when it scans that folder, and where our PITR flag is a known bool it must equal
Terraform's `after.point_in_time_recovery[0].enabled` (absent => false); a `replica {}` block's
flag is compared with the same Region's `after.replica[]` entry, an aws_dynamodb_table_replica's
with its `point_in_time_recovery` argument. These tests read committed JSON, so they
need no Terraform and run everywhere.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support.paths import REPO

from analyzer.model import Table
from analyzer.pipeline import scan

FIXTURES = REPO / "tests" / "fixtures" / "terraform"
GENERATOR = REPO / "scripts" / "gen_plan_fixtures.py"
TABLE_TYPE = "aws_dynamodb_table"
REPLICA_TYPE = "aws_dynamodb_table_replica"  # a table of its own, at its own address

# (plan folder relative to FIXTURES, "addresses" | "pitr") -> why the analyzer disagrees with
# Terraform there. Each entry marks that single assertion xfail(strict=True): a real analyzer bug,
# named, owned by somebody else; remove the entry when the bug is fixed (strict makes it fail).
KNOWN_DISAGREEMENTS: dict[tuple[str, str], str] = {}


def _generator() -> ModuleType:
    """scripts/gen_plan_fixtures.py: the one definition of cases, roots and `plan: skip`."""
    spec = importlib.util.spec_from_file_location("gen_plan_fixtures", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def plan_files() -> list[Path]:
    return sorted(p for case in GEN.case_dirs(FIXTURES) for p in case.rglob("plan.json")
                  if not any(part.startswith(".") for part in p.relative_to(FIXTURES).parts))


def plan_id(path: Path) -> str:
    return path.parent.relative_to(FIXTURES).as_posix()


def params(check: str) -> list[Any]:
    out = []
    for path in plan_files():
        reason = KNOWN_DISAGREEMENTS.get((plan_id(path), check))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(path, id=plan_id(path), marks=marks))
    return out


def planned_tables(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Terraform's planned DynamoDB table instances: address -> resource change."""
    return {
        rc["address"]: rc
        for rc in plan.get("resource_changes", [])
        if rc.get("mode", "managed") == "managed" and rc["type"] in (TABLE_TYPE, REPLICA_TYPE)
        and rc["change"]["actions"] != ["delete"]
    }


def pitr_after(change: dict[str, Any]) -> bool | None:
    """Terraform's planned PITR of a table: absent block => False; None when unknown."""
    after, unknown = change.get("after") or {}, change.get("after_unknown") or {}
    blocks = after.get("point_in_time_recovery") or []
    if not blocks:
        return False
    first_unknown = (unknown.get("point_in_time_recovery") or [{}])[0]
    if isinstance(first_unknown, dict) and first_unknown.get("enabled") is True:
        return None
    enabled = blocks[0].get("enabled")
    return bool(enabled) if enabled is not None else False


def replica_block_pitr(change: dict[str, Any], region: str) -> bool | None:
    """The planned PITR of a table's `replica {}` block in `region` (absent => False)."""
    for replica in (change.get("after") or {}).get("replica") or []:
        if replica.get("region_name") == region:
            return bool(replica.get("point_in_time_recovery"))
    return None


def replica_resource_pitr(change: dict[str, Any]) -> bool | None:
    """The planned PITR of an aws_dynamodb_table_replica (a bool argument, default false)."""
    if (change.get("after_unknown") or {}).get("point_in_time_recovery") is True:
        return None
    return bool((change.get("after") or {}).get("point_in_time_recovery"))


def planned_pitr(resource: dict[str, Any], table: Table) -> bool | None:
    change = resource["change"]
    if resource["type"] == REPLICA_TYPE:
        return replica_resource_pitr(change)
    if table.replica_region is None:
        return pitr_after(change)
    return replica_block_pitr(change, table.replica_region)


def nested_roots(root: Path) -> list[str]:
    """Other roots of the same case inside `root` (e.g. an uncalled modules/unused), as paths
    relative to it: scanning `root` reports their tables too, but they have their own plan."""
    case = FIXTURES / root.relative_to(FIXTURES).parts[0]
    return [r.relative_to(root).as_posix() for r in GEN.plan_roots(case)
            if r != root and root in r.parents]


def our_tables(root: Path) -> list[Table]:
    """The tables we report scanning `root`, less those declared in a nested root."""
    others = nested_roots(root)
    return [verdict.table for verdict in scan([str(root)]).verdicts
            if not any(verdict.table.location.file.startswith(f"{o}/") for o in others)]


def load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert str(data.get("format_version", "")).split(".")[0] == "1", path
    return data


@pytest.mark.parametrize("path", params("addresses"))
def test_planned_addresses_are_reported(path: Path) -> None:
    planned = set(planned_tables(load(path)))
    ours = {table.address for table in our_tables(path.parent)}
    assert ours == planned, (
        f"only Terraform plans: {sorted(planned - ours)}; only we report: {sorted(ours - planned)}")


@pytest.mark.parametrize("path", params("pitr"))
def test_pitr_agrees_with_plan(path: Path) -> None:
    planned = planned_tables(load(path))
    mismatches = []
    for table in our_tables(path.parent):
        resource = planned.get(table.address)
        if resource is None or not isinstance(table.pitr.enabled, bool):
            continue  # a missing address is the other test's failure; Unknown is not compared
        theirs = planned_pitr(resource, table)
        if theirs is not None and theirs != table.pitr.enabled:
            where = f"{table.address}@{table.replica_region or 'table'}"
            mismatches.append(f"{where}: Terraform {theirs}, ours {table.pitr.enabled}")
    assert not mismatches, mismatches


@pytest.mark.parametrize("case", GEN.case_dirs(FIXTURES), ids=lambda p: p.name)
def test_every_case_has_a_plan_or_a_reason_to_skip(case: Path) -> None:
    """New fixtures get plans: run `python scripts/gen_plan_fixtures.py <case>` and commit the
    plan.json, or add `plan: {skip: "<reason>"}` to expected.yaml when it cannot be planned."""
    setting = GEN.plan_setting(case)
    if setting == "skip":
        pytest.fail(f"{case.name}: write `plan: {{skip: \"<reason>\"}}`, with the reason")
    if GEN.skip_reason(case):
        return
    roots = GEN.plan_roots(case)
    assert roots, f"{case.name}: no Terraform root found to plan"
    missing = [r.relative_to(FIXTURES).as_posix() for r in roots if not (r / "plan.json").is_file()]
    assert not missing, f"no plan.json (run scripts/gen_plan_fixtures.py {case.name}): {missing}"


def test_plans_are_normalised() -> None:
    """Committed plans are in the generator's stable form (no timestamp, no temporary path, the
    lists Terraform writes in random order sorted), so a rerun changes nothing."""
    for path in plan_files():
        text = path.read_text(encoding="utf-8")
        assert "/tmp/" not in text and "gen-plan-" not in text, path
        assert text == GEN.normalise(json.loads(text), REPO / "no-such-dir"), (
            f"{path} is not normalised: rerun scripts/gen_plan_fixtures.py")
