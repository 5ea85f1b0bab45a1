"""The command line's Terragrunt option: whether a `dependency` block's `mock_outputs` stand in
for the outputs of the unit it depends on (off by default: those outputs exist only once that
unit is applied, so they are unknown, and a mock must not make a table protected unasked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def terragrunt_options(command: F) -> F:
    return click.option(
        "--terragrunt-mock-outputs", "terragrunt_mock_outputs", is_flag=True, default=False,
        help="Read Terragrunt dependency outputs from their mock_outputs (default: unknown, "
             "as they are until the dependency is applied).")(command)
