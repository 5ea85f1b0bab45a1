"""A plan alone shows only the references of a selection's `resources` when they are known only
after apply: `[aws_dynamodb_table.x.arn]`, `["${aws_dynamodb_table.x.arn}/index/*"]` and
`[replace(aws_dynamodb_table.x.arn, ...)]` look the same. Taking them for the table's ARN would
make the last two protect x; so without the configuration they are unknown, and with it they
are what the HCL says (fixture selection_derived_arn, planned by real Terraform)."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.paths import FIXTURES

from analyzer.model import Status, Unknown
from analyzer.pipeline import scan

CASE = FIXTURES / "terraform" / "selection_derived_arn"
DERIVED = ("aws_dynamodb_table.sessions", "aws_dynamodb_table.orders")


def _statuses(paths: list[str], **options: str) -> dict[str, Status]:
    return {v.table.address: v.status for v in scan(paths, **options).verdicts}


def test_alone_a_derived_arn_never_protects(tmp_path: Path) -> None:
    shutil.copy(CASE / "plan.json", tmp_path / "plan.json")  # no configuration beside it
    result = scan([str(tmp_path / "plan.json")])
    status = {v.table.address: v.status for v in result.verdicts}
    assert set(status) == {"aws_dynamodb_table.audit", *DERIVED}
    assert Status.PROTECTED not in status.values()
    for selection in result.inventory.selections:
        assert isinstance(selection.resources, Unknown)
        assert "refers to aws_dynamodb_table." in selection.resources.reason


def test_with_the_configuration_the_plan_says_what_hcl_says(tmp_path: Path) -> None:
    hcl = _statuses([str(CASE)])
    assert hcl["aws_dynamodb_table.audit"] is Status.PROTECTED
    assert all(hcl[t] is not Status.PROTECTED for t in DERIVED)
    assert _statuses([str(CASE / "plan.json")]) == hcl  # the configuration beside it
    shutil.copy(CASE / "plan.json", tmp_path / "plan.json")
    assert _statuses([str(tmp_path / "plan.json")], tf_dir=str(CASE)) == hcl  # --tf-dir
