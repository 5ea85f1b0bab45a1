"""Reports: one small module per format, each a pure function of the scan result.

Every renderer has the signature
`render(result, findings, rules, *, color=False, verbose=False) -> str`; a format ignores the
options it has no use for. Modules are imported on demand so a run pays only for its format.
"""

from __future__ import annotations

import importlib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.model import Finding, Status

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

    Renderer = Callable[..., str]

FORMATS = ("text", "json", "sarif", "github", "markdown", "junit", "gitlab", "mermaid", "dot")


def renderer(fmt: str) -> Renderer:
    """The `render` function of format `fmt` (one of FORMATS)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    module = importlib.import_module(f"analyzer.report.{fmt}")
    render: Renderer = module.render
    return render


# Characters a terminal or a CI log acts on: C0 controls (newline, carriage return, ESC), DEL, C1
# controls, Unicode line and paragraph separators, and bidirectional overrides (which reorder
# what a reader sees). Scanned files are untrusted: a CDK path or a file name may carry them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every unsafe character written as an escape (`\\n`, `\\x1b`, `\\u202e`),
    so a value can never start a new line, a terminal sequence or a CI workflow command."""
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_line(line: str) -> str:
    """One line of a log-read format: escaped, and never starting with `::`, which GitHub
    Actions reads as a workflow command wherever the line came from."""
    line = printable(line)
    return " " + line if line.startswith("::") else line


def display_prefix(result: ScanResult) -> str:
    """What every reported path is joined to, so that a terminal, an editor or a CI system opens
    the location as printed: "" when the scan root is the working directory (discovery makes it
    so whenever every scanned path lies inside it), the root relative to it when inside it, else
    the root's absolute path, `/`-separated (as ruff and mypy print a file outside the working
    directory)."""
    root = Path(result.root).resolve()
    try:
        relative = root.relative_to(Path.cwd().resolve())
    except (ValueError, OSError):  # outside, or the working directory is gone
        return root.as_posix()
    return relative.as_posix() if relative.parts else ""


def located(prefix: str, path: str) -> str:
    """`path` (relative to the scan root; "." the root itself, "" none) under `prefix`. A
    `//...` unit is an imported or declared selection's (analyzer.external), not a path."""
    if not prefix or not path or path.startswith("//"):
        return path
    if path == ".":
        return prefix
    if path.startswith("../"):  # a file outside the root (an exchange file, the configuration)
        return posixpath.normpath(f"{prefix}/{path}")
    return f"{prefix.rstrip('/')}/{path}"


def unit_note(unit: str, file: str) -> str | None:
    """The unit a resource must be named with, when its file does not tell: one address may
    occur in several roots or templates, and a module file is shared by every root calling it."""
    if unit in ("", ".") or file == unit or file.startswith(unit.rstrip("/") + "/"):
        return None
    return unit


def resource_name(resource: str, unit: str, file: str) -> str:
    """`aws_dynamodb_table.x`, or `module.m.aws_dynamodb_table.x [envs/dev]` when the file
    (a shared module) does not say which root declares it."""
    note = unit_note(unit, file)
    return f"{resource} [{note}]" if note else resource


def finding_name(finding: Finding) -> str:
    return resource_name(finding.resource, finding.unit, finding.location.file)


def fix_hint(finding: Finding, rules: list[Rule]) -> str:
    """`<short fix> (see README.md#ddb001)`: how to fix a finding and where its rule is
    documented; empty for a rule the catalog does not know."""
    for rule in rules:
        if rule.id == finding.rule_id:
            return f"{rule.short_fix} (see {rule.docs_link})"
    return ""


def summary(result: ScanResult, findings: list[Finding]) -> dict[str, int]:
    """Counts shared by every format: tables per status, findings, suppressed, errors."""
    statuses = [verdict.status for verdict in result.verdicts]
    counts = {
        "tables": len(statuses),
        "protected": statuses.count(Status.PROTECTED),
        "unprotected": statuses.count(Status.UNPROTECTED),
        "unknown": statuses.count(Status.UNKNOWN),
        "findings": sum(1 for finding in findings if not finding.suppressed),
        "suppressed": sum(1 for finding in findings if finding.suppressed),
        "errors": len(result.inventory.errors),
    }
    if result.baselined is not None:  # a baseline was used: how many findings it hid
        counts["baselined"] = result.baselined
    return counts


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
