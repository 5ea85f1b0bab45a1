"""Human-readable report: one line per active finding, the load errors, then a summary line.

`path:line: DDB001 aws_dynamodb_table.users: <message>`, the form editors and CI logs link,
then `  fix: <short fix> (see README.md#ddb001)` from the rule file.
With `verbose`, every table's verdict follows with its evidence, and suppressed findings too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.model import Evidence, Finding, LoadError, Tri, Verdict
from analyzer.report import (
    display_prefix,
    finding_name,
    fix_hint,
    located,
    printable,
    resource_name,
    summary,
)

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

_RESET = "\033[0m"
_STYLES = {"error": "\033[31m", "warning": "\033[33m", "bold": "\033[1m", "dim": "\033[2m"}
_APPLIES_MARK = {Tri.YES: "+", Tri.NO: "-", Tri.UNKNOWN: "?"}


def render(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    prefix = display_prefix(result)  # paths from the working directory
    lines = []
    for finding in findings:
        if not finding.suppressed:
            lines.append(_finding_line(finding, color, prefix))
            hint = fix_hint(finding, rules)
            lines += [f"  fix: {printable(hint)}"] if hint else []
    if verbose:
        lines += [_finding_line(f, color, prefix) for f in findings if f.suppressed]
    lines += [_error_line(error, color, prefix)
              for error in sorted_errors(result.inventory.errors)]
    if verbose and result.verdicts:
        lines.append("")  # the verdicts read as a section of their own
        for verdict in sorted_verdicts(result.verdicts):
            lines += _verdict_lines(verdict, color, prefix)
        lines.append("")
    lines.append(_paint(summary_line(result, findings), "bold", color))
    lines = [" " + line if line.startswith("::") else line for line in lines]  # see safe_line
    return "\n".join(lines) + "\n"


def sorted_verdicts(verdicts: list[Verdict]) -> list[Verdict]:
    return sorted(verdicts, key=verdict_sort_key)


def verdict_sort_key(verdict: Verdict) -> tuple[str, str, str, int, str]:
    table = verdict.table
    return (table.address, table.replica_region or "", table.location.file, table.location.line,
            table.unit)


def sorted_errors(errors: list[LoadError]) -> list[LoadError]:
    return sorted(
        errors, key=lambda e: (e.location.file, e.location.line, e.location.col, e.message)
    )


def _finding_line(finding: Finding, color: bool, prefix: str = "") -> str:
    loc = finding.location
    rule_id = _paint(finding.rule_id, finding.severity, color)
    name, message = printable(finding_name(finding)), printable(finding.message)
    line = f"{printable(located(prefix, loc.file))}:{loc.line}: {rule_id} {name}: {message}"
    if finding.suppressed:
        reason = printable(finding.suppression_reason or "")
        line += _paint(f" [suppressed: {reason}]", "dim", color)
    return line


def _error_line(error: LoadError, color: bool, prefix: str = "") -> str:
    loc = error.location
    where = f"{printable(located(prefix, loc.file))}:{loc.line}:{loc.col}"
    return f"{where}: {_paint('error', 'error', color)}: {printable(error.message)}"


def _verdict_lines(verdict: Verdict, color: bool, prefix: str = "") -> list[str]:
    table = verdict.table
    where = f"{located(prefix, table.location.file)}:{table.location.line}"
    replica = f" (replica in {table.replica_region})" if table.replica_region else ""
    replica = f" ({table.label}){replica}" if table.label else replica
    name = resource_name(table.address, table.unit, table.location.file)
    head = printable(f"{name}{replica} ({where}): ")
    head += _paint(verdict.status.value, "bold", color)
    return [head] + [f"  {_evidence_line(ev, prefix)}" for ev in verdict.evidence]


_KIND_LABEL = {"pitr": "PITR", "backup_selection": "AWS Backup", "backup_policy": "backup policy"}


def _evidence_line(evidence: Evidence, prefix: str = "") -> str:
    loc = evidence.location
    where = f" ({located(prefix, loc.file)}:{loc.line})" if loc else ""
    mark = _APPLIES_MARK[evidence.applies]
    # PITR evidence is about the table on the line above; a selection needs its address.
    label = _KIND_LABEL.get(evidence.kind, evidence.kind)
    shown = evidence.kind != "pitr" and not evidence.sums_up()
    source = f" {evidence.source}" if shown else ""
    return printable(f"{mark} {label}{source}: {evidence.message}{where}")


def summary_line(result: ScanResult, findings: list[Finding]) -> str:
    counts = summary(result, findings)
    tables = counts["tables"]
    text = (
        f"{tables} {'table' if tables == 1 else 'tables'}: {counts['protected']} protected, "
        f"{counts['unprotected']} unprotected, {counts['unknown']} unknown"
    )
    if counts["suppressed"]:
        text += f", {counts['suppressed']} suppressed"
    if counts.get("baselined"):
        text += f", {counts['baselined']} hidden by the baseline"
    if counts["errors"]:
        text += f", {counts['errors']} {'error' if counts['errors'] == 1 else 'errors'}"
    return text


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_STYLES[style]}{text}{_RESET}" if color else text
