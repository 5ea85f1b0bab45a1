"""The command line's policy options: what counts as protection (--require), the policy rules
DDB007-DDB009 (--min-pitr-days, --min-retention-days, --require-copy-to-another-region), what
an undecided verdict does (--unknown) and the Region to judge an open one as (--assume-region).
Their long names are the configuration keys. They reach `main` as one `PolicyChoice` in
`ctx.meta`, so that the command's signature does not grow by six parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from analyzer.model import Policy

F = TypeVar("F", bound=Callable[..., object])
META_KEY = "policy_options"
REQUIRE_CHOICES = ("any", "pitr", "backup", "both")  # as analyzer.aws.policy
UNKNOWN_MODES = ("warn", "fail", "ignore")  # as analyzer.engine


@dataclass(frozen=True)
class PolicyChoice:
    policy: Policy | None = None  # None: the default policy (then the judge runs as without it)
    unknown: str = "warn"


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    ctx.meta.setdefault(META_KEY, {})[param.name] = value
    return value


def _region(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from analyzer.aws.regions import valid_region

    if value is not None and not valid_region(value):
        raise click.BadParameter(
            f"{value!r} is not an AWS Region name (like us-east-1, eu-central-1, "
            "us-gov-west-1 or cn-north-1)", ctx, param)
    _remember(ctx, param, value)
    return value


def policy_options(command: F) -> F:
    """Add the policy options; `policy_choice(ctx)` reads them."""
    options = [
        click.option(
            "--require", type=click.Choice(REQUIRE_CHOICES), default="any", show_default=True,
            expose_value=False, callback=_remember,
            help="What counts as protection: any (PITR or an AWS Backup selection), pitr, "
            "backup (a selection, Organizations backup policies included), or both."),
        click.option(
            "--min-pitr-days", type=click.IntRange(1, 35), metavar="N", expose_value=False,
            callback=_remember,
            help="DDB007: PITR must keep at least N days (recovery_period_in_days / "
            "RecoveryPeriodInDays; AWS keeps 35 when it is not set)."),
        click.option(
            "--min-retention-days", type=click.IntRange(min=1), metavar="N",
            expose_value=False, callback=_remember,
            help="DDB008: a selection of the table must have a plan rule that keeps recovery "
            "points at least N days (lifecycle delete_after / DeleteAfterDays; unset: kept "
            "until deleted)."),
        click.option(
            "--require-copy-to-another-region", is_flag=True, expose_value=False,
            callback=_remember,
            help="DDB009: a selection of the table must have a plan rule that copies recovery "
            "points to a vault in another Region (copy_action / CopyActions)."),
        click.option(
            "--unknown", type=click.Choice(UNKNOWN_MODES), default="warn", show_default=True,
            expose_value=False, callback=_remember,
            help="An undecided verdict: a warning (warn), an error that fails the run (fail), "
            "or not reported (ignore; the table still shows unknown with -v and in JSON)."),
        click.option(
            "--assume-region", metavar="REGION", expose_value=False, callback=_region,
            help="Judge a table, selection or Region setting whose Region the code leaves "
            "open as being in REGION (the evidence says so)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def policy_choice(ctx: click.Context) -> PolicyChoice:
    from analyzer.model import Policy  # not at start-up: --help and --version stay instant

    given = ctx.meta.get(META_KEY, {})
    policy = Policy(
        require=given.get("require") or "any",
        min_pitr_days=given.get("min_pitr_days"),
        min_retention_days=given.get("min_retention_days"),
        copy_to_another_region=bool(given.get("require_copy_to_another_region")),
        assume_region=given.get("assume_region"),
    )
    return PolicyChoice(None if policy == Policy() else policy, given.get("unknown") or "warn")
