"""A plan judged without its configuration (copied where no `.tf` file is: `iac-ddb-lint
plans/`) decides less, never the opposite: on every committed fixture plan, where HCL mode says
protected or unprotected, the plan alone says the same or unknown, and it reports the same
tables, at the plan file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from support.paths import REPO

from analyzer.model import Status
from analyzer.pipeline import scan

sys.path.insert(0, str(REPO / "tests" / "plan"))
sys.path.insert(0, str(REPO / "tests" / "terraform"))
from test_plan_agreement import nested_roots, plan_files, plan_id
from test_plan_agreement_modes import verdicts


@pytest.mark.parametrize("path", plan_files(), ids=plan_id)
def test_alone_never_opposite(path: Path, tmp_path: Path) -> None:
    alone = tmp_path / "plans" / "tfplan.json"
    alone.parent.mkdir()
    shutil.copy(path, alone)
    hcl = verdicts([str(path.parent)], nested_roots(path.parent))
    result = scan([str(alone)])
    assert not result.warnings
    assert {v.table.location.file for v in result.verdicts} <= {"tfplan.json"}
    plan = {(v.table.address, v.table.replica_region): v.status for v in result.verdicts}
    opposite = [f"{key}: HCL {status.value}, plan alone {plan[key].value}"
                for key, status in sorted(hcl.items(), key=str)
                if status is not Status.UNKNOWN and key in plan
                and plan[key] not in (status, Status.UNKNOWN)]
    assert not opposite
