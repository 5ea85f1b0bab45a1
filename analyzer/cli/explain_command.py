"""`iac-ddb-lint explain ADDRESS [PATH]...`: why one table has its verdict.

Recognised as `rule` is (`rule_command.py`): `explain` first, then an address, when no path
named `explain` exists (`iac-ddb-lint explain` with a directory `explain` scans it). An address
that is an existing path (`iac-ddb-lint explain infra/`) is a usage error saying the address is
missing. ADDRESS is the table's address as reports print it, its label (a CDK path), or
`unit:address` when one address occurs in several units; every table it names is explained. An
address no table has is a usage error (exit 2) listing the nearest names. The output is text,
or JSON with `--format json`; an input that could not be read makes the exit code 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from analyzer.cli.policy_options import PolicyChoice
    from analyzer.external import ExternalSources
    from analyzer.inputs import TerraformInputs
    from analyzer.pipeline import ScanResult

EXPLAIN_WORD = "explain"
_FORMATS = ("text", "json")


class UnknownTable(click.ClickException):
    """An address no scanned table has: a usage error (exit 2) naming the nearest ones."""

    exit_code = 2


def explain_request(args: list[str]) -> str | None:
    """The address of `iac-ddb-lint explain ADDRESS ...`, or None when the arguments are paths
    to scan. Raises click.UsageError for `explain` with no address before the paths."""
    if not args or args[0] != EXPLAIN_WORD or os.path.lexists(args[0]):
        return None
    if len(args) < 2 or args[1].startswith("-") or os.path.lexists(args[1]):
        raise click.UsageError(
            f"`{EXPLAIN_WORD}` takes a table address first: iac-ddb-lint {EXPLAIN_WORD} "
            "ADDRESS [PATH]... (e.g. aws_dynamodb_table.orders)")
    return args[1]


def run_explain(
    address: str, paths: list[str], fmt: str, outputs: tuple[str, ...],
    inputs: TerraformInputs | None, parameters: dict[str, str] | None, tf_dir: str | None,
    external: ExternalSources | None = None, honor_peer_waivers: bool = True,
    choice: PolicyChoice | None = None,
) -> tuple[str, int]:
    """Scan `paths` as a report run would (the same inputs), then explain."""
    from analyzer.cli.progress import progress_line
    from analyzer.pipeline import scan

    fmt, outputs = _command_line_only(fmt, outputs)
    if fmt not in _FORMATS:  # before the scan: a usage error costs nothing
        raise click.UsageError(f"`{EXPLAIN_WORD}` prints text or --format json, not {fmt}")
    active = inputs if inputs is not None and inputs.active() else None
    policy = choice.policy if choice is not None else None
    from analyzer.discover import reported_from

    # paths from the working directory, as the reports print them
    with progress_line(sys.stderr), reported_from(Path.cwd()):
        result = scan(paths, active, parameters=parameters or None, tf_dir=tf_dir,
                      external=external, policy=policy)
    for warning in result.warnings:
        click.echo(f"iac-ddb-lint: warning: {warning}", err=True)
    unknown = choice.unknown if choice is not None else "warn"
    return explain_output(address, fmt, outputs, result, honor_peer_waivers, unknown)


def _command_line_only(fmt: str, outputs: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A configuration's `output` and a report `format` (sarif, ...) are the report runs'
    settings: `explain` prints text (or the JSON a configuration may ask for) to standard
    output, and refuses them only when the command line asks."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return fmt, outputs
    from_file = click.core.ParameterSource.DEFAULT_MAP
    if ctx.get_parameter_source("outputs") is from_file:
        outputs = ()
    if ctx.get_parameter_source("fmt") is from_file and fmt not in _FORMATS:
        fmt = "text"
    return fmt, outputs


def explain_output(
    address: str, fmt: str, outputs: tuple[str, ...], result: ScanResult,
    honor_peer_waivers: bool = True, unknown: str = "warn",
) -> tuple[str, int]:
    """The explanation of every table `address` names in the scan, and the exit code (0, or 2
    when an input could not be read). Raises UnknownTable or click.UsageError."""
    from analyzer.aws.explain import explain, find, near
    from analyzer.report import display_prefix, printable
    from analyzer.report.explanation import render_json, render_text
    from analyzer.report.text import sorted_errors, sorted_verdicts

    if fmt not in _FORMATS:
        raise click.UsageError(f"`{EXPLAIN_WORD}` prints text or --format json, not {fmt}")
    if outputs:
        raise click.UsageError(f"`{EXPLAIN_WORD}` prints to standard output; --output is "
                               "for reports")
    verdicts = sorted_verdicts(result.verdicts)
    chosen = find(verdicts, address)
    at = display_prefix(result)
    if not chosen and at and address.startswith(at.rstrip("/") + "/"):
        # `unit:address` with the unit as JSON prints it (from the working directory)
        chosen = find(verdicts, address[len(at.rstrip("/")) + 1:])
    if not chosen:
        raise UnknownTable(_unknown(address, near(verdicts, address), len(verdicts), printable))
    from analyzer.catalog import load_rules
    from analyzer.engine import evaluate

    findings = evaluate(result, load_rules(), honor_peer_waivers, unknown=unknown)
    inventory = result.inventory
    explanations = [
        (explain(inventory, v, result.exclusive.get(v.table.unit, frozenset())),
         [f for f in findings if (f.resource, f.unit) == (v.table.address, v.table.unit)])
        for v in chosen]
    errors = sorted_errors(inventory.errors)
    render = render_json if fmt == "json" else render_text
    # every path from the working directory, as the reports print them
    return render(explanations, errors, at), 2 if errors else 0


def _unknown(address: str, close: list[str], tables: int, printable: Callable[[str], str]
             ) -> str:
    said = f"no scanned table is named '{printable(address)}'"
    if close:
        return said + "; did you mean: " + ", ".join(printable(name) for name in close)
    noun = "table" if tables == 1 else "tables"
    return said + f" ({tables} {noun} scanned; --verbose lists them with their addresses)"
