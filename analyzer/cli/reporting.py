"""The command line's report options: --format choices, --output, --exit-zero, --changed-only.

Kept apart from cli.py so that the input options (--var, --parameter, ...) and the report
options grow without crowding one module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.model import Finding
    from analyzer.pipeline import ScanResult

F = TypeVar("F", bound=Callable[..., object])
# analyzer.report.FORMATS, spelled out: `iac-ddb-lint --help` must not import the reports
# (a test keeps the two equal).
FORMATS = ("text", "json", "sarif", "github", "markdown", "junit", "gitlab", "mermaid", "dot")


class OutputError(click.ClickException):
    """A report file that could not be written: a usage error, exit 2."""

    exit_code = 2


@dataclass(frozen=True)
class ReportOptions:
    outputs: tuple[str, ...] = ()
    exit_zero: bool = False
    changed_only: bool = False


def report_options(command: F) -> F:
    """Add --output, --exit-zero and --changed-only to `command`."""
    options = [
        click.option(
            "-o",
            "--output",
            "outputs",
            multiple=True,
            metavar="[FORMAT:]FILE",
            callback=_check_outputs,
            help="Also write a report to FILE, in FORMAT (sarif:r.sarif), else the format its "
            "extension names (.sarif, .json, .xml = junit, .md, .mmd = mermaid, .dot or .gv), else "
            "--format's (the terminal then shows text); repeatable.",
        ),
        click.option(
            "--exit-zero",
            is_flag=True,
            help="Exit 0 even when there are findings (still 2 for a usage error or an input "
            "that could not be read).",
        ),
        click.option(
            "--changed-only",
            is_flag=True,
            help="PATHs are changed files (pre-commit): load every unit under the working "
            "directory, report the units of those files (all units when a changed unit holds "
            "backup configuration or no table); a changed plan JSON file is judged whole, on "
            "its own.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _check_outputs(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
                   ) -> tuple[str, ...]:
    """Refuse an unknown FORMAT: before anything is scanned."""
    from analyzer.cli.outputs import OutputSpecError, plan

    try:
        plan("text", value)  # only the prefixes are checked here; --format may come later
    except OutputSpecError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


def scan_for(
    paths: list[str], options: ReportOptions, scan: Callable[[list[str]], ScanResult]
) -> ScanResult:
    if options.changed_only:
        from analyzer.changed import scan_changed

        return scan_changed(paths, scan)  # the whole tree is loaded: no hint of what was not
    from analyzer.cli.repository_hints import unscanned_hint

    result = scan(paths)
    result.warnings.extend(unscanned_hint(paths, result))
    return result


def report(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    fmt: str,
    options: ReportOptions,
    *,
    color: bool,
    verbose: bool,
) -> str:
    """Write the --output files and return what the terminal shows."""
    from analyzer.cli.outputs import plan, render_all

    try:
        return render_all(
            plan(fmt, options.outputs), result, findings, rules, color=color, verbose=verbose
        )
    except OSError as exc:
        raise OutputError(str(exc)) from exc


def final_code(code: int, options: ReportOptions) -> int:
    """--exit-zero turns "findings" (1) into 0; usage errors and unreadable inputs stay 2."""
    return 0 if options.exit_zero and code == 1 else code


__all__ = ["FORMATS", "OutputError", "ReportOptions", "final_code", "report", "report_options"]
