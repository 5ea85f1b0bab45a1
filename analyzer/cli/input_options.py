"""The command line's input options: Terraform variables (--var, --var-file, in command-line
order), workspaces, CloudFormation parameters, the configuration of plan files (--tf-dir) and
the parsed-file cache; kept apart from command.py so that neither grows past a screenful."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from analyzer.inputs import TerraformInputs

F = TypeVar("F", bound=Callable[..., object])
_INPUT_OPTIONS = {"--var": "var", "--var-file": "var-file"}


class InputOrderCommand(click.Command):
    """Records the command-line order of --var and --var-file: Terraform applies them in that
    order (a later one wins), and click collects each option's values apart."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        order: list[str] = []
        expects_value = False
        for arg in args:
            if arg == "--":
                break
            if expects_value:
                expects_value = False
                continue
            name = arg.split("=", 1)[0]
            if name in _INPUT_OPTIONS:
                order.append(_INPUT_OPTIONS[name])
                expects_value = "=" not in arg
        ctx.meta["input_order"] = order
        return super().parse_args(ctx, args)


def input_options(command: F) -> F:
    """Add --var, --var-file, --workspace, --parameter, --tf-dir and --no-cache."""
    options = [
        click.option(
            "--var",
            "variables",
            multiple=True,
            metavar="NAME=VALUE",
            help="Set a root module variable, as terraform -var does (repeatable; later wins).",
        ),
        click.option(
            "--var-file",
            "var_files",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False),
            help="Read root module variables from a .tfvars or .tfvars.json file (repeatable).",
        ),
        click.option(
            "--workspace",
            "workspaces",
            multiple=True,
            metavar="NAME",
            help="Judge the Terraform roots in this workspace (terraform.workspace); "
            "repeatable: each is judged, a table is unprotected if it is in any. Unset, "
            "terraform.workspace is unknown.",
        ),
        click.option(
            "--parameter",
            "parameters",
            multiple=True,
            metavar="KEY=VALUE",
            help="Pin a CloudFormation template parameter (or pseudo parameter such as "
            "AWS::Region); unpinned, every allowed value and condition outcome is judged "
            "(repeatable).",
        ),
        click.option(
            "--tf-dir",
            type=click.Path(exists=True, file_okay=False),
            help="The Terraform root module the plan JSON files were made from: their "
            "findings then point at its blocks and its iac-ddb-lint:ignore comments apply.",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Parse every file: neither read nor write the parsed files kept in the user "
            "cache.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def terraform_inputs(
    order: list[str], variables: tuple[str, ...], var_files: tuple[str, ...]
) -> TerraformInputs:
    """--var and --var-file values in command-line order, and the TF_VAR_ environment."""
    from analyzer.inputs import TerraformInputs

    queues = {"var": list(variables), "var-file": list(var_files)}
    if sorted(order) != sorted(["var"] * len(variables) + ["var-file"] * len(var_files)):
        order = ["var-file"] * len(var_files) + ["var"] * len(variables)  # defensive
    cli = [(kind, queues[kind].pop(0)) for kind in order]
    return TerraformInputs(cli, dict(os.environ))


def workspace_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """--workspace names, each once, in command-line order."""
    if any(not name.strip() for name in names):
        raise click.BadParameter("a workspace name must not be empty", param_hint="--workspace")
    return tuple(dict.fromkeys(names))


def parameter_pins(items: tuple[str, ...]) -> dict[str, str]:
    """--parameter KEY=VALUE pins, later wins."""
    pinned: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--parameter")
        pinned[key.strip()] = value
    return pinned
