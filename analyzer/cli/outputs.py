"""Where reports go: `--output [FORMAT:]FILE` (repeatable) and the terminal, from one scan.

`--output FILE` writes the `--format` report to FILE while the terminal shows the text report
(`--format sarif --output results.sarif` prints the human summary too). `--output sarif:FILE`
names its format; when every `--output` names one, the terminal shows `--format`
(`--format github --output sarif:r.sarif` prints annotations and writes SARIF). Parent
directories are created; files are UTF-8 and overwritten.
"""

from __future__ import annotations

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


def parse_output(value: str, fmt: str) -> tuple[str, str, bool]:
    """(format, path, named) of one --output value; `named` when it says its format."""
    head, sep, rest = value.partition(":")
    if sep and head in FORMATS and rest:
        return head, rest, True
    return fmt, value, False


def plan(fmt: str, outputs: tuple[str, ...]) -> Plan:
    parsed = [parse_output(value, fmt) for value in outputs]
    bare = any(not named for _, _, named in parsed)
    return Plan("text" if bare else fmt, tuple((f, path) for f, path, _ in parsed))


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
