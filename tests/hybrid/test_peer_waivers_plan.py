"""Plan mode with its configuration applies other tools' waivers written in the .tf files, as
HCL mode does (the plan JSON keeps no comments)."""

from __future__ import annotations

from support.paths import FIXTURES

from analyzer.catalog import load_rules
from analyzer.engine import evaluate
from analyzer.pipeline import scan

TERRAFORM = FIXTURES / "terraform"


def _suppressed(path, **options) -> dict[str, str | None]:
    result = scan([str(path)])
    assert all(v.table.location.file.endswith(".tf") for v in result.verdicts)  # at the blocks
    return {f.resource: f.suppression_reason
            for f in evaluate(result, load_rules(), **options) if f.suppressed}


def test_peer_waivers_apply_to_plan_verdicts() -> None:
    trivy = _suppressed(TERRAFORM / "peer_waiver_trivy" / "plan.json")
    assert trivy == {
        "aws_dynamodb_table.locks": "trivy: AVD-AWS-0024: lock table, nothing to restore",
        "aws_dynamodb_table.connections": "trivy: avd-aws-0024: transient connection ids",
        "aws_dynamodb_table.cache": "trivy: aws-dynamodb-enable-recovery: cache, rebuilt on deploy",
        "module.sessions.aws_dynamodb_table.this":
            "trivy: AVD-AWS-0024: session store, users sign in again",
    }
    kics = _suppressed(TERRAFORM / "peer_waiver_kics" / "plan.json")
    assert set(kics) == {"aws_dynamodb_table.locks", "aws_dynamodb_table.inbox",
                         "aws_dynamodb_table.cache", "aws_dynamodb_table.sessions",
                         "aws_dynamodb_table.scratch"}


def test_switched_off_in_plan_mode_too() -> None:
    assert _suppressed(TERRAFORM / "peer_waiver_tfsec" / "plan.json",
                       honor_peer_waivers=False) == {}
