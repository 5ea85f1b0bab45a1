"""How the engine applies other tools' waivers: to DDB001 and DDB002 of the same unit, with the
tool and its id in the reason, until their expiry date, and not at all when switched off."""

from __future__ import annotations

from datetime import date

from support.paths import FIXTURES

from analyzer.catalog import load_rules
from analyzer.engine import evaluate
from analyzer.model import OUR_TOOL
from analyzer.pipeline import scan

TRIVY = FIXTURES / "terraform" / "peer_waiver_trivy"


def _findings(path, **options):
    return {(f.rule_id, f.resource): f for f in evaluate(scan([str(path)]), load_rules(),
                                                         **options)}


def test_the_reason_names_the_tool_and_its_id() -> None:
    found = _findings(TRIVY)
    assert found[("DDB001", "aws_dynamodb_table.locks")].suppression_reason == (
        "trivy: AVD-AWS-0024: lock table, nothing to restore")


def test_an_expiry_date_holds_until_that_day() -> None:
    before = _findings(TRIVY, today=date(2019, 12, 31))
    assert before[("DDB001", "aws_dynamodb_table.expired")].suppressed
    on_the_day = _findings(TRIVY, today=date(2020, 1, 1))[("DDB001", "aws_dynamodb_table.expired")]
    assert not on_the_day.suppressed
    assert "the trivy waiver AVD-AWS-0024 (main.tf:41) expired on 2020-01-01" in on_the_day.message
    later = _findings(TRIVY, today=date(3000, 1, 1))
    assert not later[("DDB001", "aws_dynamodb_table.cache")].suppressed


def test_switched_off_peer_waivers_are_not_read_at_all() -> None:
    off = _findings(FIXTURES / "terraform" / "peer_waiver_checkov", honor_peer_waivers=False)
    assert not any(f.suppressed for f in off.values())
    assert ("DDB003", "aws_dynamodb_table.sessions") not in off  # no reason asked of it either
    ours = _findings(FIXTURES / "terraform" / "suppression", honor_peer_waivers=False)
    assert ours[("DDB001", "aws_dynamodb_table.cache")].suppressed  # our own still count


def test_a_waiver_of_another_unit_does_not_apply() -> None:
    result = scan([str(TRIVY)])
    items = result.inventory.suppressions["aws_dynamodb_table.locks"]
    assert {item.tool for item in items} == {"trivy"} and OUR_TOOL not in {i.tool for i in items}
    result.inventory.suppressions["aws_dynamodb_table.locks"] = [
        item.__class__(**{**item.__dict__, "unit": "elsewhere"}) for item in items]
    found = {(f.rule_id, f.resource): f for f in evaluate(result, load_rules())}
    assert not found[("DDB001", "aws_dynamodb_table.locks")].suppressed
