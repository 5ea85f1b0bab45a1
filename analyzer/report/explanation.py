"""`iac-ddb-lint explain`: the explanations of `aws/explain.py` as text or as one JSON object.

Pure functions of the records (imported for typing only: reports use no coverage internals).
Every line of text goes through `printable`: addresses, tags and file names come from the
scanned code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from analyzer import __version__
from analyzer.model import Finding, LoadError, Location, Tri, Unknown
from analyzer.report import located, printable, resource_name
from analyzer.report.json import _error, _evidence

if TYPE_CHECKING:
    from analyzer.aws.explain import Explanation
    from analyzer.aws.explain_checks import Check, SelectionExplanation

_MARK = {Tri.YES: "+", Tri.NO: "-", Tri.UNKNOWN: "?"}
_KIND = {"pitr": "PITR", "backup_selection": "AWS Backup", "backup_policy": "backup policy"}


# One table's explanation with the findings reported on it (suppressed ones included).
Explained = tuple["Explanation", Sequence[Finding]]


def render_text(explanations: Sequence[Explained], errors: Sequence[LoadError] = (),
                at: str = "") -> str:
    """`at`: the scan root from the working directory (`display_prefix`), which every path is
    printed under, as the reports print them."""
    blocks = ["\n".join(printable(line) for line in _lines(*e, at)) for e in explanations]
    text = "\n\n".join(blocks) + "\n"
    if errors:
        text += "\n" + "".join(printable(f"{_error_where(e, at)}: {e.message}") + "\n"
                               for e in errors)
    return text


def _error_where(error: LoadError, at: str) -> str:
    loc = error.location
    return f"{located(at, loc.file)}:{loc.line}:{loc.col}"


def _lines(explanation: Explanation, findings: Sequence[Finding], at: str) -> list[str]:
    verdict = explanation.verdict
    table = verdict.table
    name = resource_name(table.address, table.unit, table.location.file)
    label = f" ({table.label})" if table.label else ""
    replica = f" (replica in {table.replica_region})" if table.replica_region else ""
    lines = [f"{name}{label}{replica} ({_where(table.location, at)}): {verdict.status.value}"]
    lines.append(f"  ARN: {explanation.arn}")
    pitr = explanation.pitr
    lines.append(f"  PITR: {_MARK[pitr.applies]} {pitr.message}{_at(pitr.location, at)}")
    lines.append("  Region:")
    lines += [f"    {_check(c, at)}" for c in explanation.region]
    count = len(explanation.selections)
    lines.append(f"  Selections considered ({count}):" if count else
                 "  Selections considered: none")
    for item in explanation.selections:
        lines += _selection_lines(item, at)
    lines += [f"  Note: {note}" for note in explanation.notes]
    lines.append(f"  Verdict: {verdict.status.value}")
    for evidence in verdict.evidence:
        label = _KIND.get(evidence.kind, evidence.kind)
        source = "" if evidence.kind == "pitr" or evidence.sums_up() else f" {evidence.source}"
        lines.append(f"    {_MARK[evidence.applies]} {label}{source}: {evidence.message}"
                     f"{_at(evidence.location, at)}")
    for finding in findings:
        waived = f" [suppressed: {finding.suppression_reason}]" if finding.suppressed else ""
        lines.append(f"  Finding: {finding.rule_id} ({finding.severity}) {finding.message}{waived}")
    return lines


def _selection_lines(item: SelectionExplanation, at: str) -> list[str]:
    head = f"    {_MARK[item.result]} {item.address} ({_where(item.location, at)}): "
    lines = [head + item.summary]
    lines += [f"        {_check(c, at)}" for c in item.checks]
    return lines


def _check(check: Check, at: str) -> str:
    return f"{_MARK[check.result]} {check.text}{_at(check.location, at)}"


def _where(location: Location, at: str) -> str:
    return f"{located(at, location.file)}:{location.line}"


def _at(location: Location | None, at: str) -> str:
    return f" ({_where(location, at)})" if location else ""


def render_json(explanations: Sequence[Explained], errors: Sequence[LoadError] = (),
                at: str = "") -> str:
    document = {
        "version": __version__,
        "tables": [_table(*e, at) for e in explanations],
        "errors": [_error(e, at) for e in errors],
    }
    return json.dumps(document, indent=2) + "\n"


def _table(explanation: Explanation, findings: Sequence[Finding], at: str
           ) -> dict[str, object]:
    verdict = explanation.verdict
    table = verdict.table
    return {
        "resource": table.address,
        "unit": located(at, table.unit),
        "file": located(at, table.location.file),
        "line": table.location.line,
        "label": table.label,
        "region": table.replica_region,
        "status": verdict.status.value,
        "arn": explanation.arn,
        "pitr": _evidence(explanation.pitr, at),
        "region_settings": [_check_data(c, at) for c in explanation.region],
        "selections": [_selection(s, at) for s in explanation.selections],
        "notes": list(explanation.notes),
        "protection": [_evidence(e, at) for e in verdict.evidence],
        "findings": [
            {"rule_id": f.rule_id, "severity": f.severity, "message": f.message,
             "suppressed": f.suppressed, "suppression_reason": f.suppression_reason}
            for f in findings],
    }


def _selection(item: SelectionExplanation, at: str) -> dict[str, object]:
    plan = item.plan
    return {
        "address": item.address,
        "unit": located(at, item.unit),
        "kind": item.kind,
        "file": located(at, item.location.file),
        "line": item.location.line,
        "selects": item.result.value,
        "candidate": item.candidate,
        "summary": item.summary,
        "plan": None if plan is None else {
            "address": plan.address,
            "file": located(at, plan.location.file),
            "line": plan.location.line,
            "rules": "unknown" if isinstance(plan.rule_count, Unknown) else plan.rule_count,
            # per rule: days, null when kept until deleted, "unknown"
            "retention_days": [
                "unknown" if isinstance(d, Unknown) else d for d in plan.retention_days],
        },
        "checks": [_check_data(c, at) for c in item.checks],
    }


def _check_data(check: Check, at: str) -> dict[str, object]:
    loc = check.location
    return {
        "step": check.step,
        "result": check.result.value,
        "subject": check.subject,
        "outcome": check.outcome,
        "file": located(at, loc.file) if loc else None,
        "line": loc.line if loc else None,
    }
