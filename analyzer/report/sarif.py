"""SARIF 2.1.0, as GitHub code scanning reads it.

One run; the driver lists every rule (descriptions, help from the rule's docs, level,
`security-severity` and tags); each finding is a result with a repository-relative location
and a `partialFingerprints` entry hashed from rule, resource and file (never the line, so an
alert survives unrelated edits). A suppressed finding is a result with an `inSource`
suppression and its reason. Unreadable inputs are tool execution notifications.

`helpUri`/`informationUri` come from `analyzer.PROJECT_URL`, the project's home page (the
README; rule help links to its `#rules` section), and are left out while it is empty.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from analyzer import PROJECT_URL, __version__
from analyzer.model import Finding, LoadError
from analyzer.report import finding_name
from analyzer.report.ci import (
    finding_key,
    fingerprints,
    repo_path,
    root_inside_cwd,
    root_prefix,
    start_line,
)
from analyzer.report.text import sorted_errors

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "iacDdbLint/v1"
# GitHub ranks alerts by security-severity: 7.0-8.9 high, 4.0-6.9 medium.
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0"}
TAGS = ["security", "reliability", "dynamodb", "backup", "terraform", "cloudformation"]


def render(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    prefix = root_prefix(result)
    index = {rule.id: i for i, rule in enumerate(rules)}
    paths = [repo_path(prefix, f.location.file) for f in findings]
    prints = fingerprints(finding_key(f, p) for f, p in zip(findings, paths, strict=True))
    results = [
        _result(f, path, fp, index.get(f.rule_id))
        for f, path, fp in zip(findings, paths, prints, strict=True)
    ]
    errors = sorted_errors(result.inventory.errors)
    run: dict[str, object] = {
        "tool": {"driver": _driver(rules)},
        "invocations": [_invocation(errors, prefix)],
        "results": results,
    }
    if result.baselined is not None:  # a baseline was used: how many findings it hid
        run["properties"] = {"baselined": result.baselined}
    if not root_inside_cwd(result):
        # Paths are relative to a scan root outside the working directory: say where it is.
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": result.root.as_uri() + "/"}}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def homepage() -> str | None:
    """The project's home page (`analyzer.PROJECT_URL`), or None while it has none."""
    return PROJECT_URL or None


def _driver(rules: list[Rule]) -> dict[str, object]:
    driver: dict[str, object] = {
        "name": "iac-ddb-lint",
        "semanticVersion": __version__,
        "version": __version__,
    }
    home = homepage()
    if home:
        driver["informationUri"] = home
    driver["rules"] = [_rule(rule, home) for rule in rules]
    return driver


def _rule(rule: Rule, home: str | None) -> dict[str, object]:
    descriptor: dict[str, object] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": rule.severity},
        "properties": {
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "very-high",
            "tags": TAGS,
        },
    }
    if home:
        descriptor["helpUri"] = f"{home}#rules"
    return descriptor


def _help_text(rule: Rule) -> str:
    return (
        f"{rule.summary}\n\n{rule.why}\n\nFix (Terraform):\n{rule.fix_terraform}\n"
        f"Fix (CloudFormation):\n{rule.fix_cloudformation}"
    )


def _help_markdown(rule: Rule) -> str:
    return (
        f"**{rule.summary}**\n\n{rule.why}\n\n## Fix (Terraform)\n\n```hcl\n"
        f"{rule.fix_terraform.rstrip()}\n```\n\n## Fix (CloudFormation)\n\n```yaml\n"
        f"{rule.fix_cloudformation.rstrip()}\n```\n"
    )


def _result(finding: Finding, path: str, fingerprint: str, index: int | None) -> dict[str, object]:
    item: dict[str, object] = {"ruleId": finding.rule_id}
    if index is not None:
        item["ruleIndex"] = index
    item["level"] = "error" if finding.severity == "error" else "warning"
    item["message"] = {"text": f"{finding_name(finding)}: {finding.message}"}
    item["locations"] = [_location(path, finding.location.line, finding_name(finding))]
    item["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    if finding.suppressed:
        reason = finding.suppression_reason or ""
        item["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return item


def _location(path: str, line: int, resource: str | None = None) -> dict[str, object]:
    location: dict[str, object] = {
        "physicalLocation": {
            # a relative URI reference (RFC 3986): a file name's `%`, `#`, `?`, spaces and
            # controls are percent-encoded so a viewer resolves the file, not something else
            "artifactLocation": {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": start_line(line)},
        }
    }
    if resource:
        location["logicalLocations"] = [{"fullyQualifiedName": resource, "kind": "resource"}]
    return location


def _invocation(errors: list[LoadError], prefix: str) -> dict[str, object]:
    notes = [
        {
            "level": "error",
            "message": {"text": error.message},
            "locations": [_location(repo_path(prefix, error.location.file), error.location.line)],
        }
        for error in errors
    ]
    invocation: dict[str, object] = {"executionSuccessful": not errors}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation
