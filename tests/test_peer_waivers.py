"""What one comment written for another tool waives: only that tool's PITR check, in the forms
the tool itself reads (analyzer.peer_waivers)."""

from __future__ import annotations

import pytest

from analyzer.peer_waivers import KICS_QUERIES, PeerComment, parse_peer_comment

TF_QUERY = KICS_QUERIES["terraform"]
CFN_QUERY = KICS_QUERIES["cloudformation"]


def waived(text: str, platform: str = "terraform") -> list[tuple[str, str, str, str]]:
    return [(p.tool, p.waives, p.reason, p.expires) for p in parse_peer_comment(text, platform)]


@pytest.mark.parametrize(("text", "expected"), [
    ("#checkov:skip=CKV_AWS_28:lock table", [("checkov", "CKV_AWS_28", "lock table", "")]),
    ("  # checkov:skip=CKV_AWS_28 : not needed for a cache",
     [("checkov", "CKV_AWS_28", "not needed for a cache", "")]),
    ("// bridgecrew:skip=CKV_AWS_165", [("checkov", "CKV_AWS_165", "", "")]),
    ("#checkov:skip=CKV_AWS_119:encryption", []),
    ("#checkov:skip=ckv_aws_28:lower case", []),  # checkov's own pattern is upper case
])
def test_checkov_skips(text: str, expected: list) -> None:
    assert waived(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("#trivy:ignore:AVD-AWS-0024", [("trivy", "AVD-AWS-0024", "", "")]),
    ("# trivy:ignore:avd-aws-0024 -- transient data",
     [("trivy", "avd-aws-0024", "transient data", "")]),
    ("#trivy:ignore:AVD-AWS-0024: MEDIUM: Point-in-time recovery is not enabled.",
     [("trivy", "AVD-AWS-0024", "MEDIUM: Point-in-time recovery is not enabled.", "")]),
    ("#trivy:ignore:aws-dynamodb-enable-recovery:exp:2025-01-01 until the move",
     [("trivy", "aws-dynamodb-enable-recovery", "until the move", "2025-01-01")]),
    ("#tfsec:ignore:aws-s3-enable-bucket-logging tfsec:ignore:aws-dynamodb-enable-recovery",
     [("tfsec", "aws-dynamodb-enable-recovery", "", "")]),
    ("#tfsec:ignore:AWS086", [("tfsec", "AWS086", "", "")]),
    ("#trivy:ignore:*", [("trivy", "*", "", "")]),
    ("#trivy:ignore:AVD-AWS-0025", []),  # another check: customer-managed key
    ("#Trivy:ignore:AVD-AWS-0024", []),  # trivy's prefixes are lower case
    ("#trivy:ignore:Avd-Aws-0024", []),  # its ids: as trivy writes them, or the AVD id lowered
    ("#trivy:ignore:AWS086", []),  # tfsec's legacy code: taken with its own prefix only
    ("#trivy:ignore:AVD-AWS-0024:ws:dev", []),  # only in one workspace: cannot tell
    ("#trivy:ignore:AVD-AWS-0024[name=cache]", []),  # only for some attribute values
    ("# ignore:AVD-AWS-0024 is not a trivy rule", []),
])
def test_trivy_and_tfsec_ignores(text: str, expected: list) -> None:
    assert waived(text) == expected


@pytest.mark.parametrize(("text", "platform", "command"), [
    ("# kics-scan ignore-line", "terraform", "ignore-line"),
    ("// kics-scan ignore-block", "terraform", "ignore-block"),
    ("# KICS-SCAN IGNORE-BLOCK", "terraform", "ignore-block"),
    (f"# kics-scan ignore-block={TF_QUERY} lock table", "terraform", "ignore-block"),
    (f"# kics-scan disable=3a0a16d5-44fa-4e09-83ca-ab4e8ad7a364,{TF_QUERY}", "terraform",
     "disable"),
    (f"# kics-scan disable={CFN_QUERY}", "cloudformation", "disable"),
    ("# kics-scan ignore", "terraform", None),  # the whole file: not about PITR
    ("# kics-scan disable", "terraform", None),
    (f"# kics-scan disable={TF_QUERY}", "cloudformation", None),  # the Terraform query
    (f"# kics-scan ignore-line={CFN_QUERY}", "terraform", None),
    ("# kics-scan ignore-block: a colon is not KICS's command", "terraform", None),
    ("# see kics-scan ignore-line", "terraform", None),  # KICS reads it at the start only
])
def test_kics_commands(text: str, platform: str, command: str | None) -> None:
    found = parse_peer_comment(text, platform)
    assert [p.kics_command for p in found] == ([command] if command else [])
    assert all(p.tool == "kics" for p in found)


def test_kics_words_after_the_command_are_the_reason() -> None:
    assert parse_peer_comment("# kics-scan ignore-line rebuilt on deploy", "terraform") == [
        PeerComment("kics", "ignore-line", "rebuilt on deploy", kics_command="ignore-line")]


def test_a_comment_naming_no_tool_waives_nothing() -> None:
    assert waived("# iac-ddb-lint:ignore DDB001 ours, read by analyzer.suppress") == []
    assert waived("# point in time recovery is not needed (checkov and trivy agree)") == []
