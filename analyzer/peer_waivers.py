"""Waivers written for other tools, read from one comment: which of them waive those tools'
DynamoDB PITR/backup check. A team moving from checkov, trivy/tfsec or KICS keeps them; the
engine honours them for DDB001 and DDB002 (see engine.py), unless --no-honor-peer-waivers.

Only what addresses the PITR check counts (a waiver of CKV_AWS_119, encryption, does not), and
only in forms the tool itself honours: where each form applies is the loaders' business
(terraform.peer_waivers, cloudformation.suppress); what a comment says is decided here once.
Prefixes and ids are compared exactly, as the tools compare them (trivy takes an AVD id in
upper or lower case); KICS reads its comments in lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# checkov's PITR check of each resource type it checks (CKV_AWS_165: global tables).
CHECKOV_CHECKS = {"aws_dynamodb_table": "CKV_AWS_28", "AWS::DynamoDB::Table": "CKV_AWS_28",
                  "AWS::DynamoDB::GlobalTable": "CKV_AWS_165"}
CHECKOV_IDS = frozenset(CHECKOV_CHECKS.values())
# trivy's AVD id and long id of "Point in time recovery should be enabled to protect DynamoDB
# table"; tfsec also knew it by its legacy code AWS086. `*` waives every check.
TRIVY_IDS = frozenset({"AVD-AWS-0024", "avd-aws-0024", "aws-dynamodb-enable-recovery", "*"})
TFSEC_IDS = TRIVY_IDS | {"AWS086"}
# KICS "DynamoDB Table Point In Time Recovery Disabled" (aws_dynamodb_table,
# AWS::DynamoDB::Table), per platform.
KICS_QUERIES = {
    "terraform": "741f1291-47ac-4a85-a07b-3d32a9d6bd3e",
    "cloudformation": "0f04217d-488f-4e7a-bec8-f16159686cd6",
}
CFN_NAG_IDS = frozenset({"W78"})  # AWS::DynamoDB::Table "should have backup enabled" (PITR)
# cdk-nag rule ids are "<pack>-<rule>": AwsSolutions-DDB3 ("does not have Point-in-time Recovery
# enabled") and the compliance packs' DynamoDBPITREnabled and DynamoDBInBackupPlan rules.
CDK_NAG_PACKS = ("HIPAA.Security", "NIST.800.53.R4", "NIST.800.53.R5", "PCI.DSS.321")
CDK_NAG_IDS = frozenset({"AwsSolutions-DDB3"} | {
    f"{pack}-{rule}" for pack in CDK_NAG_PACKS
    for rule in ("DynamoDBPITREnabled", "DynamoDBInBackupPlan")})
TERRAFORM_TABLE, CFN_TABLE = "aws_dynamodb_table", "AWS::DynamoDB::Table"  # what trivy, KICS
# and cfn_nag check for PITR (trivy also reaches a module's resources from the call)

KICS_LINE, KICS_BLOCK, KICS_DISABLE = "ignore-line", "ignore-block", "disable"
_MARKERS = ("checkov:", "bridgecrew:", "trivy:", "tfsec:", "kics-scan")
_CHECKOV = re.compile(r"(checkov|bridgecrew):skip=\s*([A-Z_\d]+)(.*)$")
_KICS = re.compile(r"^(?://|#|;|\s)*kics-scan\b(.*)$", re.IGNORECASE)
_REASON_LEAD = ":-\u2013\u2014 \t"


@dataclass(frozen=True)
class PeerComment:
    """One waiver of the PITR check in a comment: whose syntax (`tool`), what it names
    (`waives`: the check id, or a KICS command), its reason and its expiry date as written."""

    tool: str  # "checkov" | "trivy" | "tfsec" | "kics"
    waives: str
    reason: str = ""
    expires: str = ""
    kics_command: str = ""  # KICS: ignore-line | ignore-block | disable


def may_hold_peer_waiver(text: str) -> bool:
    """A cheap test before parsing: most comments name no tool."""
    lowered = text.lower()
    return any(marker in lowered for marker in _MARKERS)


def parse_peer_comment(text: str, platform: str) -> list[PeerComment]:
    """The PITR waivers one comment states, for a `platform` ("terraform" or
    "cloudformation"; KICS ids differ). Empty when it waives nothing of ours."""
    if not may_hold_peer_waiver(text):
        return []
    text = text.strip().removesuffix("*/")
    return [*_checkov(text), *_trivy(text), *_kics(text, platform)]


def _reason(text: str) -> str:
    return text.strip().strip(_REASON_LEAD).strip()


def _checkov(text: str) -> list[PeerComment]:
    """`checkov:skip=CKV_AWS_28:reason` (or `bridgecrew:skip=`), as checkov's own pattern."""
    match = _CHECKOV.search(text)
    if match is None or match.group(2) not in CHECKOV_IDS:
        return []
    return [PeerComment("checkov", match.group(2), _reason(match.group(3)))]


def _trivy(text: str) -> list[PeerComment]:
    """`trivy:ignore:ID[:exp:YYYY-MM-DD]` or `tfsec:ignore:...`: each space-separated word that
    starts with the prefix is one rule (trivy's reading); the other words are the reason. A
    rule with any other condition (`ws:` a workspace, `[attribute=value]`) is not taken: we
    cannot tell whether it holds."""
    words = [word.lstrip("#/*") for word in text.split()]
    rules: list[tuple[str, str, str]] = []
    rest: list[str] = []
    for word in words:
        tool, sep, body = word.partition(":")
        if sep and tool in ("trivy", "tfsec") and body.startswith("ignore:"):
            rules.append((tool, *_sections(body)))
        elif word:
            rest.append(word)
    reason = _reason(" ".join(rest))
    found = []
    for tool, rule_id, expires in rules:
        known = TFSEC_IDS if tool == "tfsec" else TRIVY_IDS
        if rule_id in known:
            found.append(PeerComment(tool, rule_id, reason, expires))
    return found


def _sections(body: str) -> tuple[str, str]:
    """(id, expiry) of `ignore:ID:exp:DATE`; id "" when a section makes the rule conditional."""
    parts = body.split(":")
    rule_id, expires = "", ""
    for index in range(0, len(parts) - 1, 2):
        key, value = parts[index], parts[index + 1]
        if key == "ignore":
            rule_id = value
        elif key == "exp":
            expires = value
        else:
            return "", ""
    if "[" in rule_id:
        return "", ""
    return rule_id, expires


def _kics(text: str, platform: str) -> list[PeerComment]:
    """`kics-scan ignore-line` (the next line), `ignore-block` (the block below), each also
    `=<query id>`, and `disable=<query id>,...` (a file's header). KICS reads the words after
    `kics-scan`, in lower case; the first command it knows wins; the other words are kept as
    the reason. `ignore` (the whole file) and `enable=` say nothing about PITR: not taken."""
    match = _KICS.match(text)
    if match is None:
        return []
    words = match.group(1).lower().split()
    query = KICS_QUERIES.get(platform, "")
    for index, word in enumerate(words):
        command, _, ids = word.partition("=")
        if command in (KICS_LINE, KICS_BLOCK) or (command == KICS_DISABLE and index == 0):
            if (ids or command == KICS_DISABLE) and query not in ids.split(","):
                return []  # aimed at other queries
            reason = _reason(" ".join(match.group(1).split()[index + 1:]))
            return [PeerComment("kics", word, reason, kics_command=command)]
    return []
