"""Terragrunt's own functions, added to Terraform's built-ins when a terragrunt.hcl is evaluated.

Terragrunt evaluates every function of a unit (those of the files it includes too) in the
unit's context: `get_terragrunt_dir()` is the unit's directory, relative paths are relative to
it. Paths are found only inside the repository (hcl's FileAccess rules); what depends on the
machine or the moment Terragrunt runs (`get_env`, AWS identity, `run_cmd`, the Terraform
command) is unknown, and nothing is ever executed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import boundary
from analyzer.hcl.file_functions import CallSite
from analyzer.hcl.values import Undecided, Value, need_text
from analyzer.model import Unknown

# The file find_in_parent_folders() looks for when it is given no name.
DEFAULT_PARENT = "terragrunt.hcl"
# Functions whose value depends on where, when or by whom Terragrunt runs: unknown here.
RUN_TIME = {
    "get_env": "the environment Terragrunt runs in is not known",
    "get_aws_account_id": "the AWS account is known only when Terragrunt runs",
    "get_aws_account_alias": "the AWS account is known only when Terragrunt runs",
    "get_aws_caller_identity_arn": "the AWS identity is known only when Terragrunt runs",
    "get_aws_caller_identity_user_id": "the AWS identity is known only when Terragrunt runs",
    "get_terraform_command": "the Terraform command is chosen when Terragrunt runs",
    "get_terraform_cli_args": "the Terraform arguments are chosen when Terragrunt runs",
    "get_platform": "the operating system Terragrunt runs on is not known",
    "get_working_dir": "Terragrunt's working directory is made when it runs",
    "run_cmd": "commands are never run by the analyzer",
    "sops_decrypt_file": "encrypted files are not decrypted",
    "get_terraform_commands_that_need_vars": "the Terraform commands are Terragrunt's",
    "get_terraform_commands_that_need_input": "the Terraform commands are Terragrunt's",
    "get_terraform_commands_that_need_locking": "the Terraform commands are Terragrunt's",
    "get_terraform_commands_that_need_parallelism": "the Terraform commands are Terragrunt's",
}

Reader = Callable[[str, Path], Value]  # read_terragrunt_config: (path, unit dir) -> value


@dataclass
class UnitPaths:
    """Where one evaluation stands: the unit's directory, the included file (for
    `get_parent_terragrunt_dir()` and `path_relative_to_include()`), the repository."""

    unit_dir: Path
    repository: Path
    include_dirs: dict[str, Path] = field(default_factory=dict)  # include label -> its dir
    reader: Reader | None = None

    def host_functions(self) -> dict[str, tuple[Callable[..., Value], int, int | None]]:
        table: dict[str, tuple[Callable[..., Value], int, int | None]] = {
            "find_in_parent_folders": (self.find_in_parent_folders, 0, 2),
            "get_terragrunt_dir": (self._text(str(self.unit_dir)), 0, 0),
            "get_original_terragrunt_dir": (self._text(str(self.unit_dir)), 0, 0),
            "get_parent_terragrunt_dir": (self.parent_dir, 0, 1),
            "path_relative_to_include": (self.relative_to_include, 0, 1),
            "path_relative_from_include": (self.relative_from_include, 0, 1),
            "get_repo_root": (self._text(str(self.repository)), 0, 0),
            "get_path_to_repo_root": (self._text(self._rel(self.repository, self.unit_dir)),
                                      0, 0),
            "get_path_from_repo_root": (self._text(self._rel(self.unit_dir, self.repository)),
                                        0, 0),
            "read_terragrunt_config": (self.read_config, 1, 2),
            "mark_as_read": (lambda _site, path: path, 1, 1),
        }
        for name, reason in RUN_TIME.items():
            table[name] = (_unknown(name, reason), 0, None)
        return table

    @staticmethod
    def _text(value: str) -> Callable[..., Value]:
        return lambda _site: value

    @staticmethod
    def _rel(path: Path, start: Path) -> str:
        return Path(os.path.relpath(path, start)).as_posix()

    def find_in_parent_folders(self, site: CallSite, name: Value = DEFAULT_PARENT,
                               fallback: Value = None) -> Value:
        """The nearest parent folder's file (absolute path), searched up to the repository
        root; one above it, or out of the boundary, is not looked at (unknown)."""
        wanted = need_text(name, "a file name")
        for directory in self.unit_dir.parents:
            if not boundary.inside(str(directory)) or not _within(directory, self.repository):
                break
            candidate = directory / wanted
            if os.path.isfile(candidate):
                return str(candidate)
        if len(site.args) > 1:
            return fallback
        raise Undecided(Unknown(f"find_in_parent_folders({wanted!r}): no such file in the "
                                "folders above the unit inside the repository"))

    def _include_dir(self, name: Value) -> Path | None:
        if name is not None:
            return self.include_dirs.get(need_text(name, "an include name"))
        if len(self.include_dirs) == 1:
            return next(iter(self.include_dirs.values()))
        return None

    def parent_dir(self, _site: CallSite, name: Value = None) -> Value:
        found = self._include_dir(name)
        if found is None and not self.include_dirs:
            return str(self.unit_dir)  # outside an include: the unit's own directory
        if found is None:
            raise Undecided(Unknown("get_parent_terragrunt_dir(): which include is meant is "
                                    "not decided"))
        return str(found)

    def relative_to_include(self, _site: CallSite, name: Value = None) -> Value:
        found = self._include_dir(name)
        if found is None:
            return "." if not self.include_dirs else _undecided("path_relative_to_include")
        return self._rel(self.unit_dir, found)

    def relative_from_include(self, _site: CallSite, name: Value = None) -> Value:
        found = self._include_dir(name)
        if found is None:
            return "." if not self.include_dirs else _undecided("path_relative_from_include")
        return self._rel(found, self.unit_dir)

    def read_config(self, site: CallSite, path: Value, fallback: Value = None) -> Value:
        if self.reader is None:
            raise Undecided(Unknown("read_terragrunt_config() is not available here"))
        text = need_text(path, "a file path")
        value = self.reader(text, self.unit_dir)
        if len(site.args) > 1 and isinstance(value, Unknown) and "does not exist" in value.reason:
            return fallback
        return value


def _undecided(name: str) -> Value:
    raise Undecided(Unknown(f"{name}(): which include is meant is not decided"))


def _unknown(name: str, reason: str) -> Callable[..., Value]:
    def unknown(_site: CallSite, *_args: Value) -> Value:
        return Unknown(f"{name}(): {reason}")

    return unknown


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
