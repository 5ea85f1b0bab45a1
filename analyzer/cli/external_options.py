"""The command line's options for coverage from outside the repository: --export-selections
writes the backup configuration a run found, --selections-from makes another repository's
count (see analyzer.external). The configuration's `external-selection` declarations arrive
in `ctx.meta["external_selections"]` (the configuration reader checks them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from analyzer.external import ExternalSources
    from analyzer.pipeline import ScanResult

F = TypeVar("F", bound=Callable[..., object])
META_KEY = "external_selections"


class ExternalError(click.ClickException):
    """An exchange file that cannot be read or written: exit 2, one line, no traceback."""

    exit_code = 2


def external_options(command: F) -> F:
    """Add --export-selections and --selections-from."""
    options = [
        click.option(
            "--export-selections",
            type=click.Path(dir_okay=False),
            metavar="FILE",
            help="Also write the AWS Backup selections, plans, Region settings and "
            "Organizations backup policies found to FILE (JSON), for --selections-from in "
            "the runs of other repositories.",
        ),
        click.option(
            "--selections-from",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False),
            metavar="FILE",
            help="Count the selections of a file written by --export-selections (a central "
            "backup repository's) as if declared here; repeatable.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def external_sources(ctx: click.Context, selections_from: tuple[str, ...]
                     ) -> ExternalSources | None:
    """The exchange files and the configuration's declarations; None when there are none."""
    declarations = ctx.meta.get(META_KEY) or []
    if not selections_from and not declarations:
        return None
    from analyzer.external import SelectionsFileError, read_sources

    try:
        return read_sources(selections_from, declarations)
    except SelectionsFileError as exc:
        raise ExternalError(str(exc)) from None


def check_export(export: str | None, workspaces: tuple[str, ...], changed_only: bool) -> None:
    """An export says what one deployment of the tree declares: refuse runs that judge
    several worlds or only part of the tree."""
    if export is None:
        return
    if len(workspaces) > 1:
        raise click.BadParameter("takes at most one --workspace: each workspace is another "
                                 "deployment; export each on its own",
                                 param_hint="--export-selections")
    if changed_only:
        raise click.BadParameter("does not go with --changed-only (an export needs the whole "
                                 "tree)", param_hint="--export-selections")


def write_export(result: ScanResult, export: str, paths: list[str] | None = None) -> None:
    """Write the exchange file, unless an input could not be read (what was not read may
    declare an opt-out or an exclusion: a partial export could protect too much). Its paths
    are relative to the scanned tree (`paths`' own root), whatever the working directory the
    report's paths start from."""
    if result.inventory.errors:
        count = len(result.inventory.errors)
        click.echo(f"iac-ddb-lint: error: --export-selections: {export} not written: {count} "
                   f"input{'s' if count > 1 else ''} could not be read", err=True)
        return
    from analyzer.discover import scan_root
    from analyzer.external.export import exchange_text

    root = scan_root([Path(p) for p in paths]) if paths else Path(os.path.abspath(result.root))
    source = root.name or "repository"
    inside = os.path.relpath(root, os.path.abspath(result.root)).replace(os.sep, "/")
    try:
        with open(export, "w", encoding="utf-8", newline="\n") as handle:  # same bytes anywhere
            handle.write(exchange_text(result.inventory, source, inside))
    except OSError as exc:
        raise ExternalError(f"--export-selections: cannot write {export}: "
                            f"{exc.strerror or exc}") from None
