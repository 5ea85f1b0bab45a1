"""Suppressions in templates: resource `Metadata` and `# iac-ddb-lint:ignore` comments.

    Metadata:
      iac-ddb-lint:
        ignore:
          - id: DDB001
            reason: cache table, rebuilt on deploy

or, in YAML, the same directive as Terraform's in the comment lines right above the logical id:

    # iac-ddb-lint:ignore DDB001 cache table, rebuilt on deploy
    CacheTable:

Other tools' waivers of their PITR check count too (see analyzer.peer_waivers), where those
tools read them: checkov's `Metadata: checkov: skip: [{id: CKV_AWS_28, comment}]`, cfn_nag's
`Metadata: cfn_nag: rules_to_suppress: [{id: W78, reason}]`, and KICS comments: `kics-scan
ignore-block` in the comment lines right above the logical id, `ignore-line` right above the
line KICS reports (`Properties`, `PointInTimeRecoverySpecification`, `PointInTimeRecoveryEnabled`),
`disable=<the PITR query>` in the template's header comments. Each only on the resource type
its tool checks for PITR (checkov: CKV_AWS_28 on AWS::DynamoDB::Table, CKV_AWS_165 on
AWS::DynamoDB::GlobalTable; cfn_nag and KICS: AWS::DynamoDB::Table). cdk-nag's suppressions
reach a CDK app's synthesized template as `Metadata: cdk_nag: rules_to_suppress: [{id, reason,
applies_to?}]` on the table; one with `applies_to` waives only the findings it names, which a
table rule does not report, so it is not honoured.
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.catalog import UNPROTECTED_RULE
from analyzer.model import Location, Suppression
from analyzer.peer_waivers import (
    CDK_NAG_IDS,
    CFN_NAG_IDS,
    CFN_TABLE,
    CHECKOV_CHECKS,
    KICS_BLOCK,
    KICS_DISABLE,
    KICS_LINE,
    parse_peer_comment,
)
from analyzer.suppress import parse_directive

METADATA_KEY = "iac-ddb-lint"
# Each peer's Metadata key: its list key and reason key.
_PEER_METADATA = {"checkov": ("skip", "comment"), "cfn_nag": ("rules_to_suppress", "reason"),
                  "cdk_nag": ("rules_to_suppress", "reason")}
_TOOL_NAME = {"cdk_nag": "cdk-nag"}


def resource_suppressions(
    resource: Mapping[str, object], lines: list[str], line: int, rel: str
) -> list[Suppression]:
    """The ignores of one resource whose logical id is on 1-based `line`."""
    where = Location(rel, line)
    found = _metadata(resource, where)
    above = line - 2  # index of the line above the logical id
    comments: list[tuple[int, str]] = []
    while 0 <= above < len(lines) and lines[above].lstrip().startswith("#"):
        comments.append((above + 1, lines[above]))
        above -= 1
    for number, text in reversed(comments):
        found.extend(parse_directive(text, Location(rel, number)))
    found.extend(_peer_metadata(resource, where))
    found.extend(_kics(resource, lines, [n for n, _ in comments], rel))
    return found


def _metadata(resource: Mapping[str, object], where: Location) -> list[Suppression]:
    metadata = resource.get("Metadata")
    ours = metadata.get(METADATA_KEY) if isinstance(metadata, Mapping) else None
    items = ours.get("ignore") if isinstance(ours, Mapping) else None
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            reason = item.get("reason")
            text = reason if isinstance(reason, str) else ""
            out.append(Suppression(str(item["id"]).strip().upper(), text, where))
    return out


def _peer_metadata(resource: Mapping[str, object], where: Location) -> list[Suppression]:
    metadata = resource.get("Metadata")
    if not isinstance(metadata, Mapping):
        return []
    kind = resource.get("Type")
    checks = {"checkov": {CHECKOV_CHECKS.get(str(kind))},
              "cfn_nag": CFN_NAG_IDS if kind == CFN_TABLE else set(),
              "cdk_nag": CDK_NAG_IDS if kind == CFN_TABLE else set()}
    out = []
    for tool, (list_key, reason_key) in _PEER_METADATA.items():
        ids = checks[tool]
        section = metadata.get(tool)
        items = section.get(list_key) if isinstance(section, Mapping) else None
        for item in items if isinstance(items, list) else []:
            rule_id = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(rule_id, str) and rule_id.strip() in ids and not (
                    tool == "cdk_nag" and isinstance(item, Mapping) and "applies_to" in item):
                reason = item.get(reason_key)
                text = reason.strip() if isinstance(reason, str) else ""
                out.append(Suppression(UNPROTECTED_RULE, text, where,
                                       tool=_TOOL_NAME.get(tool, tool), waives=rule_id.strip()))
    return out


def _kics(resource: Mapping[str, object], lines: list[str], above: list[int],
          rel: str) -> list[Suppression]:
    if resource.get("Type") != CFN_TABLE:
        return []  # the PITR query checks AWS::DynamoDB::Table
    reported = _kics_reported_lines(resource)
    candidates = {number - 1 for number in reported} | set(above) | set(_header(lines))
    out = []
    for number in sorted(candidates):
        if not 0 < number <= len(lines):
            continue
        for item in parse_peer_comment(lines[number - 1].strip(), "cloudformation"):
            if item.tool != "kics":
                continue
            applies = {KICS_BLOCK: number in above,
                       KICS_LINE: number + 1 in reported,
                       KICS_DISABLE: number in _header(lines)}.get(item.kics_command, False)
            if applies:
                out.append(Suppression(UNPROTECTED_RULE, item.reason, Location(rel, number),
                                       tool="kics", waives=item.waives))
    return out


def _kics_reported_lines(resource: Mapping[str, object]) -> set[int]:
    """Where KICS reports a PITR finding: the resource's `Properties`, its
    `PointInTimeRecoverySpecification` or `PointInTimeRecoveryEnabled` (lines known only
    for YAML, whose mappings keep their keys' lines)."""
    out: set[int] = set()
    node: object = resource
    for key in ("Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"):
        line_of = getattr(node, "line_of", None)
        if not isinstance(node, Mapping) or key not in node or line_of is None:
            break
        out.add(line_of(key))
        node = node[key]
    return out


def _header(lines: list[str]) -> list[int]:
    """The 1-based comment lines before the template's first content (a `---` may precede)."""
    out = []
    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        if stripped.startswith("#"):
            out.append(number)
        elif stripped and stripped != "---":
            break
    return out
