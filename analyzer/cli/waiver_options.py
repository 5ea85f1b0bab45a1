"""The command line's option about other tools' waivers (checkov, trivy/tfsec, KICS, cfn_nag):
on by default, a team that moves over keeps the PITR waivers it already has (see
analyzer.peer_waivers); `honor-peer-waivers = false` in the configuration turns them off."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def waiver_options(command: F) -> F:
    """Add --honor-peer-waivers/--no-honor-peer-waivers."""
    option = click.option(
        "--honor-peer-waivers/--no-honor-peer-waivers",
        "honor_peer_waivers",
        default=True,
        show_default=True,
        help="Honour other tools' waivers of their DynamoDB PITR check (#checkov:skip=CKV_AWS_28, "
        "#trivy:ignore:AVD-AWS-0024, #tfsec:ignore:aws-dynamodb-enable-recovery, kics-scan "
        "ignore-line/ignore-block, cfn_nag W78 and checkov Metadata skips) for DDB001 and DDB002.",
    )
    return option(command)
