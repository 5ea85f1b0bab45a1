"""--honor-peer-waivers (default) and --no-honor-peer-waivers on the command line: other tools'
waivers reported as suppressed with their tool and reason in every format, or not read."""

from __future__ import annotations

import json

from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.cli import main

TRIVY = str(FIXTURES / "terraform" / "peer_waiver_trivy")
CFN_NAG = str(FIXTURES / "cloudformation" / "peer_waiver_cfn_nag")


def _json(*args: str) -> dict:
    run = CliRunner().invoke(main, ["--format", "json", *args])
    assert run.exit_code == 1, run.output
    return json.loads(run.stdout)


def test_peer_waivers_are_suppressed_findings_with_their_tool_and_reason() -> None:
    findings = {f["resource"]: f for f in _json(TRIVY)["findings"] if f["rule_id"] == "DDB001"}
    locks = findings["aws_dynamodb_table.locks"]
    assert locks["suppressed"] is True
    assert locks["suppression_reason"] == "trivy: AVD-AWS-0024: lock table, nothing to restore"
    nag = {f["resource"]: f for f in _json(CFN_NAG)["findings"]}
    assert nag["Locks"]["suppression_reason"] == "cfn_nag: W78: lock table, nothing to restore"


def test_no_honor_peer_waivers_reports_them() -> None:
    for path in (TRIVY, CFN_NAG):
        report = _json("--no-honor-peer-waivers", path)
        assert report["summary"]["suppressed"] == 0
        assert not any(f["rule_id"] == "DDB003" for f in report["findings"])


def test_sarif_and_verbose_text_show_the_peer() -> None:
    run = CliRunner().invoke(main, ["--format", "sarif", TRIVY])
    results = json.loads(run.stdout)["runs"][0]["results"]
    reasons = {s["justification"] for r in results for s in r.get("suppressions", [])}
    assert "trivy: AVD-AWS-0024: lock table, nothing to restore" in reasons
    text = CliRunner().invoke(main, ["-v", TRIVY]).stdout
    assert "[suppressed: trivy: AVD-AWS-0024: lock table, nothing to restore]" in text


def test_the_option_is_in_the_help() -> None:
    text = CliRunner().invoke(main, ["--help"]).output
    assert "--honor-peer-waivers / --no-honor-peer-waivers" in text
