"""Command line: `iac-ddb-lint [OPTIONS] [PATH]...`.

Exit codes (design.md contract): 0 nothing at or above --fail-on, 1 findings, 2 usage error,
an input that could not be read, or an internal error. Heavy modules (yaml, json, loaders,
reports) are imported inside the command so that `--version` and `--help` start instantly.
"""

from __future__ import annotations

import os
import sys

import click

from analyzer import __version__

PROG = "iac-ddb-lint"
DEBUG_ENV = "IAC_DDB_LINT_DEBUG"


@click.command(
    name=PROG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Lowest severity of an unsuppressed finding that makes the exit code 1.",
)
@click.option("--list-rules", is_flag=True, help="Print the rules and exit.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Text format: also print every table's verdict with "
    "its evidence, and suppressed findings.",
)
@click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured).")
@click.version_option(__version__, "--version", prog_name=PROG, message="%(prog)s %(version)s")
@click.pass_context
def main(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    fail_on: str,
    list_rules: bool,
    verbose: bool,
    no_color: bool,
) -> None:
    """Prove that every DynamoDB table in the Terraform under PATH (default: .) is protected by
    point-in-time recovery or an AWS Backup selection: one verdict per table, with evidence.

    Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage error or unreadable input.
    """
    color = _use_color(no_color)
    try:
        if list_rules:
            output, code = _list_rules(fmt), 0
        else:
            output, code = _run(list(paths) or ["."], fmt, fail_on, color, verbose)
    except Exception as exc:  # never a traceback: report it as a bug, fail closed
        _internal_error(exc)
        ctx.exit(2)
    _emit(output, color)
    ctx.exit(code)


def _run(paths: list[str], fmt: str, fail_on: str, color: bool, verbose: bool) -> tuple[str, int]:
    from analyzer.catalog import load_rules
    from analyzer.engine import evaluate, exit_code
    from analyzer.pipeline import scan
    from analyzer.report import renderer

    rules = load_rules()
    result = scan(paths)
    findings = evaluate(result, rules)
    output = renderer(fmt)(result, findings, rules, color=color, verbose=verbose)
    return output, exit_code(result, findings, fail_on)


def _list_rules(fmt: str) -> str:
    from analyzer.catalog import load_rules
    from analyzer.report import rule_table

    rules = load_rules()
    if fmt == "json":
        import json

        items = [
            {"id": r.id, "name": r.name, "severity": r.severity, "summary": r.summary}
            for r in rules
        ]
        return json.dumps(items, indent=2) + "\n"
    return rule_table(rules)


def _use_color(no_color: bool) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to a non-empty value."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def _emit(output: str, color: bool) -> None:
    # A file name that is not valid UTF-8 arrives as lone surrogates: escape, never crash.
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    safe = output.encode(encoding, "backslashreplace").decode(encoding)
    click.echo(safe, nl=False, color=color)


def _internal_error(exc: BaseException) -> None:
    if os.environ.get(DEBUG_ENV):
        import traceback

        traceback.print_exc()
    click.echo(f"{PROG}: internal error: {type(exc).__name__}: {exc}", err=True)
    click.echo(
        f"This is a bug in {PROG} {__version__}; please report it with the input that triggers "
        f"it (set {DEBUG_ENV}=1 for a traceback).",
        err=True,
    )
