"""Plan mode reports exactly the tables a real plan creates or keeps: every aws_dynamodb_table
and aws_dynamodb_table_replica change (not delete-only), each `replica {}` of `change.after`
in its Region, and one entry in Region "?" for replicas known only after apply (a dynamic block
over such a value), never none."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from support.paths import REPO

from analyzer.model import Status
from analyzer.pipeline import scan

sys.path.insert(0, str(REPO / "tests" / "terraform"))
from test_plan_agreement import plan_files, plan_id

FIXTURES = REPO / "tests" / "fixtures" / "terraform"
Key = tuple[str, str | None]


def planned_keys(plan: dict[str, Any]) -> list[Key]:
    """The tables Terraform plans, read from the raw JSON."""
    out: list[Key] = []
    for rc in plan.get("resource_changes") or []:
        change = rc.get("change") or {}
        if rc.get("mode", "managed") != "managed" or change.get("actions") == ["delete"]:
            continue
        if rc["type"] == "aws_dynamodb_table_replica":
            out.append((rc["address"], None))
        if rc["type"] != "aws_dynamodb_table":
            continue
        out.append((rc["address"], None))
        replicas = (change.get("after") or {}).get("replica") or []
        out += [(rc["address"], r.get("region_name") or "?") for r in replicas]
        if not replicas and (change.get("after_unknown") or {}).get("replica") is True:
            out.append((rc["address"], "?"))
    return sorted(out, key=str)


@pytest.mark.parametrize("path", plan_files(), ids=plan_id)
def test_plan_mode_reports_the_planned_tables(path: Path) -> None:
    plan = json.loads(path.read_text(encoding="utf-8"))
    found = sorted(((v.table.address, v.table.replica_region) for v in scan([str(path)]).verdicts),
                   key=str)
    assert found == planned_keys(plan)


def test_replicas_known_only_after_apply_are_one_undecided_entry() -> None:
    path = FIXTURES / "replica_dynamic_after_apply" / "plan.json"
    verdicts = {(v.table.address, v.table.replica_region): v for v in scan([str(path)]).verdicts}
    replicas = verdicts[("aws_dynamodb_table.dynamic", "?")]
    assert replicas.status is Status.UNKNOWN
    assert "known only after apply" in " ".join(e.message for e in replicas.evidence)
    assert verdicts[("aws_dynamodb_table.dynamic", None)].status is Status.PROTECTED
