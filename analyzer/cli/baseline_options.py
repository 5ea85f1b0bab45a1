"""The command line's baseline options: --baseline FILE and --create-baseline FILE.

`--create-baseline FILE` writes the run's active findings to FILE and then reports as
`--baseline FILE` would (nothing left but what the baseline cannot hold: exit 0, unless an input
could not be read: then no baseline is written and the run exits 2). `--baseline FILE` reports
only the findings FILE does not list, says on stderr how many it hid and lists its stale entries
(fixed since), so the file can shrink. Hidden findings never make the exit code 1. Given both,
`--create-baseline` wins: the new baseline holds every finding of today (a config file may name
`baseline` while the command line refreshes it). See analyzer.cli.baseline for the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from analyzer.cli.baseline import Entry
    from analyzer.model import Finding
    from analyzer.pipeline import ScanResult

F = TypeVar("F", bound=Callable[..., object])
PROG = "iac-ddb-lint"


class BaselineUsageError(click.ClickException):
    """A baseline that cannot be read or written: exit 2, as any unreadable input."""

    exit_code = 2


@dataclass(frozen=True)
class BaselineOptions:
    use: str | None = None  # --baseline FILE
    create: str | None = None  # --create-baseline FILE
    entries: list[Entry] = field(default_factory=list)  # read from `use`

    @property
    def active(self) -> bool:
        return bool(self.use or self.create)


def baseline_options(command: F) -> F:
    """Add --baseline and --create-baseline to `command`."""
    options = [
        click.option(
            "--baseline",
            "baseline_file",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="Report only the findings FILE (made by --create-baseline) does not list; "
            "say how many it hid and which of its entries are no longer found.",
        ),
        click.option(
            "--create-baseline",
            "create_baseline",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="Write today's findings to FILE (JSON; keyed by rule, unit, file and address, "
            "never the line), then report as --baseline FILE would.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def baseline_settings(use: str | None, create: str | None) -> BaselineOptions:
    """The options, with the baseline read now: a malformed one fails before the scan."""
    if create or not use:
        return BaselineOptions(None, create)
    from analyzer.cli.baseline import BaselineError, load  # only a run with a baseline

    try:
        return BaselineOptions(use, None, load(use))
    except BaselineError as exc:
        raise BaselineUsageError(str(exc)) from exc


def apply_baseline(
    options: BaselineOptions, result: ScanResult, findings: list[Finding], partial: bool
) -> list[Finding]:
    """The findings the run reports; writes the baseline first for --create-baseline.
    `partial`: the run reports some units only (--changed-only), so entries of the others are
    not stale. Sets `result.baselined` and says on stderr what was hidden and what is stale."""
    if not options.active:
        return findings
    from analyzer.cli import baseline
    from analyzer.report import printable

    path = options.create or options.use or ""
    entries = options.entries
    if options.create:
        if result.inventory.errors:
            raise BaselineUsageError(
                f"baseline {path} not written: {len(result.inventory.errors)} input(s) could "
                "not be read, and a baseline must hold the findings of a complete run")
        try:
            count = baseline.write(path, findings, result.root)
        except OSError as exc:
            raise BaselineUsageError(str(exc)) from exc
        _say(f"wrote {count} {_noun(count)} to baseline {path}")
        entries = baseline.load(path)
    units = {v.table.unit for v in result.verdicts} | {f.unit for f in findings}
    applied = baseline.apply(entries, findings, result.root, baseline.base_dir(path),
                             units if partial else None)
    result.baselined = applied.hidden
    if applied.hidden and not options.create:
        _say(f"{applied.hidden} {_noun(applied.hidden)} hidden by baseline {path}")
    if applied.stale:
        noun = "entry" if len(applied.stale) == 1 else "entries"
        _say(f"baseline {path}: {len(applied.stale)} {noun} no longer found (fixed since); "
             "remove them or re-create the baseline with --create-baseline:")
        for item in applied.stale:
            click.echo(f"  {printable(str(item))}", err=True)
    return applied.kept


def _noun(count: int) -> str:
    return "finding" if count == 1 else "findings"


def _say(message: str) -> None:
    from analyzer.report import printable

    click.echo(f"{PROG}: {printable(message)}", err=True)
