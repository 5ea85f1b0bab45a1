"""HCL mode and plan mode agree: every committed fixture `plan.json` (real `terraform plan`,
see scripts/gen_plan_fixtures.py) is judged on its own, and wherever HCL mode decides a table
(protected or unprotected), plan mode says the same. Plan mode may decide where HCL mode says
unknown, never the opposite, and the two never give opposite verdicts.

KNOWN_GAPS names the plans where plan mode is still less decided than HCL mode (a part of issue
11 not done yet); those tests are xfail(strict=True), so closing a gap makes them fail until the
entry is removed. Opposite verdicts are never a gap: they always fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support.paths import REPO

from analyzer.model import Status
from analyzer.pipeline import scan
from analyzer.terraform.replicas import UNKNOWN_REGION

FIXTURES = REPO / "tests" / "fixtures" / "terraform"
sys.path.insert(0, str(REPO / "tests" / "terraform"))
from test_plan_agreement import nested_roots, plan_files  # noqa: E402

# fixture case -> what plan mode does not decide yet; empty: no gap is known (keep it for new ones)
KNOWN_GAPS: dict[str, str] = {}

Key = tuple[str, str | None]


def verdicts(paths: list[str], skip: tuple[str, ...] | list[str] = ()) -> dict[Key, Status]:
    return {(v.table.address, v.table.replica_region): v.status for v in scan(paths).verdicts
            if not any(v.table.location.file.startswith(f"{o}/") for o in skip)}


def compare(path: Path) -> tuple[list[str], list[str]]:
    """(opposite verdicts, tables HCL decides and the plan does not)."""
    hcl = verdicts([str(path.parent)], nested_roots(path.parent))
    plan = verdicts([str(path)])
    opposite, undecided = [], []
    for key, status in sorted(hcl.items(), key=str):
        for planned in _counterparts(key, hcl, plan):
            theirs = plan.get(planned)
            shown = f"{planned[0]}@{planned[1]}" if planned[1] else planned[0]
            if status is Status.UNKNOWN or theirs is status:
                continue
            if theirs is None or theirs is Status.UNKNOWN:
                undecided.append(f"{shown}: HCL {status.value}, plan {theirs and theirs.value}")
            else:
                opposite.append(f"{shown}: HCL {status.value}, plan {theirs.value}")
    return opposite, undecided


def _counterparts(key: Key, hcl: dict[Key, Status], plan: dict[Key, Status]) -> list[Key]:
    """The plan's tables an HCL table stands for: itself, or for a replica whose Region HCL
    does not decide (`@?`, one entry for all the replicas of an undecided dynamic block), every
    replica of that table the plan shows in a Region HCL does not name (maybe none)."""
    address, label = key
    if label is None or not label.startswith(UNKNOWN_REGION):
        return [key]
    named = {r for a, r in hcl if a == address and r and not r.startswith(UNKNOWN_REGION)}
    return [k for k in sorted(plan, key=str) if k[0] == address and k[1] and k[1] not in named]


def _params() -> list[object]:
    out = []
    for path in plan_files():
        name = path.parent.relative_to(FIXTURES).as_posix()
        reason = KNOWN_GAPS.get(name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(path, id=name, marks=marks))
    return out


@pytest.mark.parametrize("path", _params())
def test_plan_mode_decides_what_hcl_mode_decides(path: Path) -> None:
    opposite, undecided = compare(path)
    assert not opposite, f"opposite verdicts: {opposite}"
    assert not undecided, f"HCL decides, the plan does not: {undecided}"


@pytest.mark.parametrize("path", plan_files(), ids=lambda p: p.parent.name)
def test_never_opposite_verdicts(path: Path) -> None:
    assert not compare(path)[0]

