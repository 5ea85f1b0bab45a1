"""Values for root-module variables given from outside the code (kept import-light: the command
line builds this on every run, Terraform or not)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ENV_PREFIX = "TF_VAR_"


@dataclass
class TerraformInputs:
    """What the command line and the environment say about root variables.

    `cli` holds ("var", "NAME=VALUE") and ("var-file", path) entries in command-line order.
    `workspaces` are the Terraform workspaces to judge (--workspace): none leaves
    `terraform.workspace` unknown; with several, each is judged and the verdicts merge."""

    cli: list[tuple[str, str]] = field(default_factory=list)
    env: Mapping[str, str] = field(default_factory=dict)
    workspaces: tuple[str, ...] = ()
    terragrunt_mock_outputs: bool = False  # dependency outputs from mock_outputs (opt-in)

    def active(self) -> bool:
        return (bool(self.cli) or bool(self.workspaces) or self.terragrunt_mock_outputs
                or any(k.startswith(ENV_PREFIX) for k in self.env))
