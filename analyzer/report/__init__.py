"""Reports: one small module per format, each a pure function of the scan result.

Every renderer has the signature
`render(result, findings, rules, *, color=False, verbose=False) -> str`; a format ignores the
options it has no use for. Modules are imported on demand so a run pays only for its format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from analyzer.model import Finding, Status

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

    Renderer = Callable[..., str]

FORMATS = ("text", "json", "sarif", "github", "markdown", "junit", "gitlab")


def renderer(fmt: str) -> Renderer:
    """The `render` function of format `fmt` (one of FORMATS)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    module = importlib.import_module(f"analyzer.report.{fmt}")
    render: Renderer = module.render
    return render


def summary(result: ScanResult, findings: list[Finding]) -> dict[str, int]:
    """Counts shared by every format: tables per status, findings, suppressed, errors."""
    statuses = [verdict.status for verdict in result.verdicts]
    return {
        "tables": len(statuses),
        "protected": statuses.count(Status.PROTECTED),
        "unprotected": statuses.count(Status.UNPROTECTED),
        "unknown": statuses.count(Status.UNKNOWN),
        "findings": sum(1 for finding in findings if not finding.suppressed),
        "suppressed": sum(1 for finding in findings if finding.suppressed),
        "errors": len(result.inventory.errors),
    }


def rule_table(rules: list[Rule]) -> str:
    """`--list-rules`: id, severity, name and summary as aligned columns."""
    rows = [("ID", "SEVERITY", "NAME", "SUMMARY")]
    rows += [(rule.id, rule.severity, rule.name, rule.summary) for rule in rules]
    widths = [max(len(row[col]) for row in rows) for col in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    return "\n".join(lines) + "\n"
