"""Command line: `iac-ddb-lint [OPTIONS] [PATH]...`.

Exit codes (design.md contract): 0 nothing at or above --fail-on, 1 findings, 2 usage error,
an input that could not be read, a report that could not be written, or an internal error; 130
interrupted (SIGINT), 143 terminated (SIGTERM). Heavy modules (yaml, json, loaders,
reports) are imported inside the command so that `--version` and `--help` start instantly.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from analyzer import __version__
from analyzer.cli.baseline_options import (
    BaselineOptions,
    apply_baseline,
    baseline_options,
    baseline_settings,
)
from analyzer.cli.config_command import ConfigFileCommand, config_options
from analyzer.cli.explain_command import run_explain
from analyzer.cli.external_options import (
    check_export,
    external_options,
    external_sources,
    write_export,
)
from analyzer.cli.input_options import (
    input_options,
    parameter_pins,
    terraform_inputs,
    workspace_names,
)
from analyzer.cli.policy_options import PolicyChoice, policy_choice, policy_options
from analyzer.cli.reporting import FORMATS, ReportOptions, final_code, report, report_options
from analyzer.cli.rule_command import rule_listing, rule_text
from analyzer.cli.terragrunt_options import terragrunt_options
from analyzer.cli.waiver_options import waiver_options

if TYPE_CHECKING:
    from analyzer.external import ExternalSources
    from analyzer.inputs import TerraformInputs
    from analyzer.pipeline import ScanResult

PROG = "iac-ddb-lint"
DEBUG_ENV = "IAC_DDB_LINT_DEBUG"
@click.command(
    cls=ConfigFileCommand,
    name=PROG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
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
@click.option(
    "--list-rules",
    is_flag=True,
    help="Print the rules (id, severity, name, summary) and exit; with -v, each rule's rationale "
    "and fixes. One rule in full: iac-ddb-lint rule DDB001.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Text format: also print every table's verdict with "
    "its evidence, and suppressed findings.",
)
@click.option("--no-color", is_flag=True, help="Never colour the output. NO_COLOR does the same; "
              "FORCE_COLOR or CLICOLOR_FORCE=1 colour it even when not a terminal; "
              "--no-color and NO_COLOR win over them.")
@input_options
@terragrunt_options
@report_options
@config_options
@external_options
@waiver_options
@policy_options
@baseline_options
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
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    outputs: tuple[str, ...],
    exit_zero: bool,
    changed_only: bool,
    parameters: tuple[str, ...],
    workspaces: tuple[str, ...],
    tf_dir: str | None,
    no_cache: bool,
    export_selections: str | None,
    selections_from: tuple[str, ...],
    terragrunt_mock_outputs: bool,
    honor_peer_waivers: bool,
    baseline_file: str | None,
    create_baseline: str | None,
) -> None:
    """Prove that every DynamoDB table under PATH (default: .) is protected by point-in-time
    recovery or an AWS Backup selection: one verdict per table, with evidence. PATH may hold
    Terraform (.tf, .tf.json), CloudFormation, SAM and CDK templates (cdk.out), and Terraform
    plan or state JSON (terraform show -json).

    \b
    Examples:
      iac-ddb-lint infra/                          # a Terraform tree
      iac-ddb-lint --var env=prod infra/prod       # with a root variable set
      iac-ddb-lint template.yaml cdk.out/          # CloudFormation, SAM, CDK
      iac-ddb-lint --tf-dir infra/ tfplan.json     # a plan, located in its configuration
      iac-ddb-lint --format sarif -o results.sarif .
      iac-ddb-lint --baseline baseline.json .      # only findings the baseline lacks
      iac-ddb-lint rule DDB001                     # a rule's rationale and fixes
      iac-ddb-lint explain OrdersTable stack.yaml  # why a table has its verdict

    Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage error or unreadable input.
    """
    color = _use_color(no_color)
    for item in variables:
        if "=" not in item or not item.split("=", 1)[0].strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--var")
    inputs = terraform_inputs(ctx.meta.get("input_order", []), variables, var_files)
    inputs.workspaces = workspace_names(workspaces)
    inputs.terragrunt_mock_outputs = terragrunt_mock_outputs
    pinned = parameter_pins(parameters)
    from analyzer.hcl.tree_cache import set_enabled  # light: no parser, no Lark

    set_enabled(not no_cache)
    options = ReportOptions(outputs, exit_zero, changed_only)
    check_export(export_selections, workspaces, changed_only)
    baseline = baseline_settings(baseline_file, create_baseline)
    try:
        if list_rules:
            output, code = rule_listing(fmt, verbose), 0
        elif "rule_id" in ctx.meta:  # `iac-ddb-lint rule DDB001` (see rule_command)
            output, code = rule_text(ctx.meta["rule_id"], fmt, paths), 0
        elif "explain" in ctx.meta:  # `iac-ddb-lint explain ADDRESS [PATH]...`
            output, code = run_explain(ctx.meta["explain"], list(paths) or ["."], fmt, outputs,
                                       inputs, pinned, tf_dir,
                                       external_sources(ctx, selections_from),
                                       honor_peer_waivers, policy_choice(ctx))
        else:
            external = external_sources(ctx, selections_from)
            output, code = _run(
                list(paths) or ["."], fmt, fail_on, color, verbose, inputs, options, pinned,
                tf_dir, external, export_selections, honor_peer_waivers, policy_choice(ctx),
                baseline,
            )
    except click.ClickException:
        raise
    except Exception as exc:  # never a traceback: report it as a bug, fail closed
        _internal_error(exc)
        ctx.exit(2)
    try:
        _emit(output, color)
    except OSError as exc:  # not an OSError any more: click would turn EPIPE into exit 1
        raise OutputError(exc) from exc
    ctx.exit(code)


def _run(
    paths: list[str], fmt: str, fail_on: str, color: bool, verbose: bool,
    inputs: TerraformInputs | None = None, options: ReportOptions | None = None,
    parameters: dict[str, str] | None = None, tf_dir: str | None = None,
    external: ExternalSources | None = None, export: str | None = None,
    honor_peer_waivers: bool = True,
    choice: PolicyChoice | None = None,
    baseline: BaselineOptions | None = None,
) -> tuple[str, int]:
    from analyzer.catalog import load_rules
    from analyzer.cli.reporting import scan_for
    from analyzer.engine import evaluate, exit_code
    from analyzer.pipeline import scan

    rules = load_rules()
    options = options or ReportOptions()
    choice = choice or PolicyChoice()
    policy = choice.policy  # None unless a policy option is set

    given = {"parameters": parameters, "tf_dir": tf_dir, "external": external, "policy": policy}
    extra: dict[str, Any] = {key: value for key, value in given.items() if value}

    def scan_paths(targets: list[str]) -> ScanResult:
        # only pass inputs that say something: scan(paths) stays the plain, common call
        if extra or (inputs is not None and inputs.active()):
            return scan(targets, inputs, **extra)
        return scan(targets)

    from analyzer.cli.progress import progress_line
    from analyzer.discover import reported_from

    # paths from the working directory, as a terminal, an editor or a CI system opens them;
    # an export's stay the scanned repository's own (reports add the prefix: display_prefix)
    located_from = nullcontext() if export else reported_from(Path.cwd())
    with progress_line(sys.stderr), located_from:  # progress: a terminal only
        result = scan_for(paths, options, scan_paths)
    for warning in result.warnings:
        click.echo(f"{PROG}: warning: {warning}", err=True)
    if export:
        write_export(result, export)
    findings = evaluate(result, rules, honor_peer_waivers, unknown=choice.unknown)
    if baseline is not None:  # findings it lists are not reported and do not count
        findings = apply_baseline(baseline, result, findings, options.changed_only)
    output = report(result, findings, rules, fmt, options, color=color, verbose=verbose)
    return output, final_code(exit_code(result, findings, fail_on), options)


def _use_color(no_color: bool) -> bool:
    """See analyzer.cli.color: --no-color and NO_COLOR win, then FORCE_COLOR / CLICOLOR_FORCE,
    then whether standard output is a terminal."""
    from analyzer.cli.color import use_color

    return use_color(no_color, sys.stdout)


class OutputError(Exception):
    """Standard output could not take the report (a full disk, a closed pipe or descriptor)."""


class _Interrupted(BaseException):
    """SIGINT or SIGTERM. Not a KeyboardInterrupt, which click would report as exit 1
    ("findings"); SIGTERM's default would end the run with no word at all."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: object) -> None:
    import signal

    for other in (signal.SIGINT, signal.SIGTERM):  # a second signal must not interrupt the exit
        signal.signal(other, signal.SIG_IGN)
    raise _Interrupted(signum)


def _emit(output: str, color: bool) -> None:
    if output and sys.stdout is None:  # descriptor 1 was closed when we started
        raise OSError("standard output is closed")
    # A file name that is not valid UTF-8 arrives as lone surrogates: escape, never crash.
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    safe = output.encode(encoding, "backslashreplace").decode(encoding)
    try:
        fd = sys.stdout.fileno()
        terminal = os.isatty(fd)
    except (AttributeError, OSError, ValueError):  # not a descriptor (a test's capture)
        fd, terminal = -1, True
    if terminal or os.name != "posix":
        click.echo(safe, nl=False, color=color)
        return
    # Straight to the descriptor: a pipe whose reader left part-way (`| head -1`) takes a partial
    # write, and Python's buffered stream then drops the rest without an error.
    sys.stdout.flush()
    data = memoryview((safe if color else click.unstyle(safe)).encode(encoding))
    while data:
        data = data[os.write(fd, data):]


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


def entry() -> None:
    """The console script and `python -m analyzer`: run, flush, and leave without tearing the
    interpreter down. Freeing the parser tables and parsed trees object by object costs about
    0.1 s, a third of a small run, and nothing is left to clean up once the report is out.
    A report that standard output cannot take is exit 2, SIGINT 130, SIGTERM 143: one line on
    stderr each."""
    import signal

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    code: object = 0
    try:
        try:
            main(prog_name=PROG)
        except SystemExit as exc:
            code = exc.code
        if code is not None and not isinstance(code, int):
            _say(str(code))  # SystemExit("message") means exit 1 with that message
            code = 1
        if sys.stdout is not None:
            sys.stdout.flush()
    except _Interrupted as stop:
        code = 128 + stop.signum  # as a shell reports a signal: 130 SIGINT, 143 SIGTERM
        _say("interrupted" if stop.signum == signal.SIGINT else "terminated")
    except (OutputError, OSError) as exc:
        cause = exc.__cause__ if isinstance(exc, OutputError) else exc
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
        code = 2
        _say(f"cannot write the report to standard output: {reason}")
    os._exit(code if isinstance(code, int) else 0)


def _say(message: str) -> None:
    """One line on stderr, which must not itself fail the exit."""
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
        os.write(2, f"{PROG}: {message}\n".encode("utf-8", "backslashreplace"))
    except (OSError, ValueError):
        pass
