"""Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`.

A headline verdict, the findings (active first, suppressed folded away), inputs that could not
be read, then a table of every DynamoDB table: address, file:line, status and how it is
protected (PITR, which AWS Backup selection, or none), and the protection graph as a Mermaid
block (`mermaid.py`), which GitHub draws, when it is small enough. Cells escape `|`, `<`, `>`,
`&`, backslashes and line breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.model import Finding, Status, Verdict
from analyzer.report import display_prefix, finding_name, fix_hint, printable, summary
from analyzer.report.ci import protection, repo_path, start_line, table_name
from analyzer.report.graph import build
from analyzer.report.mermaid import graph_text
from analyzer.report.text import sorted_errors, sorted_verdicts

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

_STATUS = {
    Status.PROTECTED: "✅ protected",
    Status.UNPROTECTED: "❌ unprotected",
    Status.UNKNOWN: "⚠️ unknown",
}


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
    suppressed = [f for f in findings if f.suppressed]
    parts = [f"## iac-ddb-lint: {headline(result, findings)}", ""]
    if result.baselined:  # reported: only what the baseline does not list
        noun = "finding" if result.baselined == 1 else "findings"
        parts += [f"{result.baselined} {noun} hidden by the baseline (already known).", ""]
    if active:
        parts += ["### Findings", "", *_finding_table(active, prefix, rules), ""]
    if suppressed:
        parts += [f"<details><summary>{len(suppressed)} suppressed</summary>", ""]
        parts += [*_finding_table(suppressed, prefix, rules, with_reason=True), ""]
        parts += ["</details>", ""]
    errors = sorted_errors(result.inventory.errors)
    if errors:
        parts += ["### Inputs that could not be read", ""]
        parts += [
            f"- `{cell(repo_path(prefix, e.location.file))}:{e.location.line}`: {cell(e.message)}"
            for e in errors
        ]
        parts.append("")
    parts += ["### DynamoDB tables", ""]
    parts += _table_table(sorted_verdicts(result.verdicts), prefix)
    if result.verdicts:
        parts += ["", "### Protection graph", "", *_graph(result)]
    return "\n".join(parts).rstrip("\n") + "\n"


# GitHub renders Mermaid up to 50,000 characters, and a job summary must stay readable: past
# these, the graph is left out with a note (`--format mermaid` still writes it).
GRAPH_MAX_TABLES = 200
GRAPH_MAX_CHARS = 40_000


def _graph(result: ScanResult) -> list[str]:
    graph = build(result)
    text = graph_text(graph)
    if graph.tables > GRAPH_MAX_TABLES or len(text) > GRAPH_MAX_CHARS:
        return [f"The graph of {graph.tables} tables is too large for a summary; write it "
                "with `-o graph.mmd` (Mermaid) or `-o graph.dot` (Graphviz)."]
    return ["```mermaid", *text.rstrip("\n").splitlines(), "```"]


def headline(result: ScanResult, findings: list[Finding]) -> str:
    counts = summary(result, findings)
    tables = counts["tables"]
    noun = "table" if tables == 1 else "tables"
    if counts["errors"]:
        return f"❌ {counts['errors']} input(s) could not be read; {_counts(counts)}"
    if counts["unprotected"]:
        return f"❌ {counts['unprotected']} of {tables} DynamoDB {noun} not protected"
    if counts["unknown"]:
        return f"⚠️ {counts['unknown']} of {tables} DynamoDB {noun} not proven protected"
    if counts["findings"]:
        return f"⚠️ all {tables} DynamoDB {noun} protected, {counts['findings']} finding(s)"
    if not tables:
        return "✅ no DynamoDB tables found"
    return f"✅ all {tables} DynamoDB {noun} protected"


def _counts(counts: dict[str, int]) -> str:
    return (
        f"{counts['tables']} tables: {counts['protected']} protected, "
        f"{counts['unprotected']} unprotected, {counts['unknown']} unknown"
    )


def cell(text: str) -> str:
    """Text safe inside a table cell: no column breaks, no HTML, one line, no link, image or
    @mention (a pull-request comment must not notify anyone or link anywhere a file says)."""
    for raw, safe in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(raw, safe)
    text = text.replace("|", "\\|").replace("`", "\\`")
    # `[x](url)` is the only link a cell can hold (no reference definitions in a table), and
    # GitHub links bare URLs; a zero-width space after `@` keeps a mention from notifying.
    text = text.replace("](", "]\\(").replace("://", "&#58;//").replace("@", "@&#8203;")
    return " ".join(printable(text).split())


def _finding_table(
    findings: list[Finding], prefix: str, rules: list[Rule], with_reason: bool = False
) -> list[str]:
    """Active findings with the rule's short fix; suppressed ones with their reason instead."""
    head = "| Rule | Severity | Resource | Location | Message |"
    rule = "|---|---|---|---|---|"
    head, rule = head + (" Reason |" if with_reason else " Fix |"), rule + "---|"
    rows = []
    for f in findings:
        where = f"{repo_path(prefix, f.location.file)}:{start_line(f.location.line)}"
        row = f"| {f.rule_id} | {f.severity} | {cell(finding_name(f))} | {cell(where)} | "
        row += f"{cell(f.message)} |"
        extra = f.suppression_reason or "" if with_reason else fix_hint(f, rules)
        row += f" {cell(extra)} |"
        rows.append(row)
    return [head, rule, *rows]


def _table_table(verdicts: list[Verdict], prefix: str) -> list[str]:
    if not verdicts:
        return ["No DynamoDB table was found in the scanned code."]
    rows = ["| Table | Location | Status | Protection |", "|---|---|---|---|"]
    for verdict in verdicts:
        loc = verdict.table.location
        where = f"{repo_path(prefix, loc.file)}:{start_line(loc.line)}"
        rows.append(
            f"| {cell(table_name(verdict))} | {cell(where)} | {_STATUS[verdict.status]} | "
            f"{cell(protection(verdict, prefix))} |"
        )
    return rows
