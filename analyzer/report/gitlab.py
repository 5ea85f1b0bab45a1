"""GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues.

Each issue has the fields GitLab reads: `description`, `check_name`, `fingerprint` (unique in the
report, stable when unrelated lines move), `severity` (info, minor, major, critical, blocker) and
`location.path` (repository-relative) with `location.lines.begin`. Suppressed findings are left
out (Code Quality has no notion of them); a description ends with the rule's short fix and
documentation link (`Fix: ... (see README.md#ddb001)`); an unreadable input is a `blocker`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from analyzer.model import Finding
from analyzer.report import display_prefix, finding_name, fix_hint
from analyzer.report.ci import (
    finding_key,
    fingerprints,
    repo_path,
    start_line,
)
from analyzer.report.text import sorted_errors

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

# An unprotected table risks data loss: critical. An undecided verdict or a doubtful selection
# construct needs a look: minor.
SEVERITY = {"error": "critical", "warning": "minor"}
LOAD_ERROR_CHECK = "iac-ddb-lint/unreadable-input"


def render(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    prefix = display_prefix(result)
    active = [f for f in findings if not f.suppressed]
    paths = [repo_path(prefix, f.location.file) for f in active]
    keys = [finding_key(f, path) for f, path in zip(active, paths, strict=True)]
    errors = sorted_errors(result.inventory.errors)
    error_paths = [repo_path(prefix, e.location.file) for e in errors]
    pairs = list(zip(errors, error_paths, strict=True))
    keys += [(LOAD_ERROR_CHECK, path, e.message) for e, path in pairs]
    prints = iter(fingerprints(keys))
    issues = [
        _issue(
            _description(f, rules),
            f.rule_id,
            SEVERITY.get(f.severity, "major"),
            path,
            f.location.line,
            next(prints),
        )
        for f, path in zip(active, paths, strict=True)
    ]
    issues += [
        _issue(e.message, LOAD_ERROR_CHECK, "blocker", path, e.location.line, next(prints))
        for e, path in pairs
    ]
    return json.dumps(issues, indent=2) + "\n"


def _description(finding: Finding, rules: list[Rule]) -> str:
    hint = fix_hint(finding, rules)
    text = f"{finding_name(finding)}: {finding.message}"
    return f"{text}. Fix: {hint}" if hint else text


def _issue(
    description: str, check: str, severity: str, path: str, line: int, fingerprint: str
) -> dict[str, object]:
    return {
        "type": "issue",
        "description": description,
        "check_name": check,
        "categories": ["Security"],
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": start_line(line)}},
    }
