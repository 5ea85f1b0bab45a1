"""Where reports go: `--output [FORMAT:]FILE` (repeatable) and the terminal, from one scan.

A file's format is, first, the `FORMAT:` it names (`sarif:r.sarif`); else its extension's
(`.sarif` SARIF, `.xml` JUnit, `.md` Markdown, `.json` JSON, or the `--format` when that is one of
the JSON formats, so `--format gitlab -o gl.json` stays GitLab's); else `--format`'s. A prefix
that is no format (`sarf:out.sarif`) is a usage error, never a file named so; a one-letter prefix
is a Windows drive. The terminal shows `--format`, unless a file took the `--format` report
without naming it (`--format sarif -o results.sarif`): then the terminal shows the text report.
Parent directories are created; files are UTF-8 and overwritten. The graph formats have
extensions too: `.mmd` Mermaid, `.dot` and `.gv` DOT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.report import FORMATS, renderer

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.model import Finding
    from analyzer.pipeline import ScanResult


@dataclass(frozen=True)
class Plan:
    terminal: str  # the format printed on standard output
    files: tuple[tuple[str, str], ...]  # (format, path) per --output, in command-line order


# extension: (the formats a file so named may hold, the one it gets when --format is not one)
EXTENSIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ".sarif": (("sarif",), "sarif"),
    ".json": (("json", "gitlab", "sarif"), "json"),
    ".xml": (("junit",), "junit"),
    ".md": (("markdown",), "markdown"),
    ".markdown": (("markdown",), "markdown"),
    ".mmd": (("mermaid",), "mermaid"),
    ".dot": (("dot",), "dot"),
    ".gv": (("dot",), "dot"),
}
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_+-]+")  # looks like a format name, not a drive or path


class OutputSpecError(ValueError):
    """An --output value that names no known format."""


def parse_output(value: str, fmt: str) -> tuple[str, str, bool]:
    """(format, path, consumed) of one --output value; `consumed` when the file took the
    `--format` report without naming a format or having an extension of its own."""
    head, sep, rest = value.partition(":")
    if sep and rest and head in FORMATS:
        return head, rest, False
    if sep and rest and _PREFIX.fullmatch(head):
        raise OutputSpecError(
            f"--output {value!r}: unknown report format {head!r} (formats: "
            f"{', '.join(FORMATS)}); to name a file with a colon, write ./{value}")
    allowed, default = EXTENSIONS.get(Path(value).suffix.lower(), ((), ""))
    if default:
        chosen = fmt if fmt in allowed else default
        return chosen, value, chosen == fmt
    return fmt, value, True


def plan(fmt: str, outputs: tuple[str, ...]) -> Plan:
    """Raises OutputSpecError for a value that names an unknown format."""
    parsed = [parse_output(value, fmt) for value in outputs]
    consumed = any(took for _, _, took in parsed)
    return Plan("text" if consumed else fmt, tuple((f, path) for f, path, _ in parsed))


def render_all(
    where: Plan,
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool,
    verbose: bool,
) -> str:
    """Write every file of the plan; return what the terminal shows. Raises OSError naming
    the file that could not be written."""
    for fmt, path in where.files:
        text = renderer(fmt)(result, findings, rules, color=False, verbose=verbose)
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise OSError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return renderer(where.terminal)(result, findings, rules, color=color, verbose=verbose)
