"""Machine-readable report (design.md contract): one JSON object, deterministic order.

{"version", "findings": [...], "tables": [...], "errors": [...], "summary": {...}}
Each finding and table says which kind of input produced it: `"input"` is "terraform",
"cloudformation", "plan" (Terraform plan JSON) or "terragrunt", null for a finding of no unit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from analyzer import __version__
from analyzer.model import Evidence, Finding, LoadError, Verdict
from analyzer.report import display_prefix, located, summary
from analyzer.report.text import sorted_errors, sorted_verdicts

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult


def render(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    """Every finding (suppressed ones flagged), every table with its evidence, every error."""
    at = display_prefix(result)  # every path (file, unit) from the working directory
    document = {
        "version": __version__,
        "findings": [_finding(f, result.inputs, at) for f in findings],
        "tables": [_table(v, result.inputs, at) for v in sorted_verdicts(result.verdicts)],
        "errors": [_error(e, at) for e in sorted_errors(result.inventory.errors)],
        "summary": summary(result, findings),
    }
    # ASCII-only output: byte-identical anywhere, and safe for undecodable file names.
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def _finding(finding: Finding, inputs: Mapping[str, str], at: str) -> dict[str, object]:
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity,
        "resource": finding.resource,
        "unit": located(at, finding.unit),
        "input": inputs.get(finding.unit),
        "file": located(at, finding.location.file),
        "line": finding.location.line,
        "message": finding.message,
        "suppressed": finding.suppressed,
        "suppression_reason": finding.suppression_reason,
    }


def _table(verdict: Verdict, inputs: Mapping[str, str], at: str) -> dict[str, object]:
    table = verdict.table
    return {
        "resource": table.address,
        "unit": located(at, table.unit),  # the root module directory or template declaring it
        "input": inputs.get(table.unit),  # terraform | cloudformation | plan | terragrunt
        "file": located(at, table.location.file),
        "line": table.location.line,
        "status": verdict.status.value,
        "region": table.replica_region,
        "label": table.label,  # the name a CDK user knows (construct path), else null
        "protection": [_evidence(ev, at) for ev in verdict.evidence],
    }


def _evidence(evidence: Evidence, at: str) -> dict[str, object]:
    loc = evidence.location
    return {
        "kind": evidence.kind,
        "applies": evidence.applies.value,
        "message": evidence.message,
        "source": evidence.source,
        "file": located(at, loc.file) if loc else None,
        "line": loc.line if loc else None,
    }


def _error(error: LoadError, at: str) -> dict[str, object]:
    loc = error.location
    return {"file": located(at, loc.file), "line": loc.line, "col": loc.col,
            "message": error.message}
