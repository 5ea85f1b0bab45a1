"""GitHub Actions workflow commands: one annotation per finding, on its file and line.

`::error file=app/main.tf,line=20,title=DDB001 aws_dynamodb_table.users::not protected: ...`
A warning-level rule gives `::warning`; an unreadable input is an `::error` too. Data is escaped
as the Actions toolkit does (`%`, CR, LF), property values also `:` and `,`. A summary line in
plain text ends the output; with `verbose`, suppressed findings are `::notice` annotations.
An active finding's message ends with a `fix:` line: its rule's short fix and documentation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.model import Finding, LoadError
from analyzer.report import display_prefix, fix_hint, printable, safe_line
from analyzer.report.ci import finding_title, repo_path, start_line
from analyzer.report.text import sorted_errors, summary_line

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
    prefix = display_prefix(result)
    lines = [_finding(f, prefix, rules) for f in findings if not f.suppressed]
    if verbose:
        lines += [_finding(f, prefix, rules) for f in findings if f.suppressed]
    lines += [_error(e, prefix) for e in sorted_errors(result.inventory.errors)]
    lines.append(safe_line(summary_line(result, findings)))
    return "\n".join(lines) + "\n"


def escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(text)  # ESC and the other controls, which the runner would print raw


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, str], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def _finding(finding: Finding, prefix: str, rules: list[Rule]) -> str:
    if finding.suppressed:
        name = "notice"
        message = f"{finding.message} [suppressed: {finding.suppression_reason}]"
    else:
        name = "error" if finding.severity == "error" else "warning"
        hint = fix_hint(finding, rules)
        message = f"{finding.message}\nfix: {hint}" if hint else finding.message
    properties = {
        "file": repo_path(prefix, finding.location.file),
        "line": str(start_line(finding.location.line)),
        "title": finding_title(finding),
    }
    return command(name, properties, message)


def _error(error: LoadError, prefix: str) -> str:
    loc = error.location
    properties = {"file": repo_path(prefix, loc.file), "line": str(start_line(loc.line))}
    if loc.col:
        properties["col"] = str(loc.col)
    properties["title"] = "iac-ddb-lint: input could not be read"
    return command("error", properties, error.message)
