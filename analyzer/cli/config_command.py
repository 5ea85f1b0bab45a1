"""The configuration file in the command: `--config FILE`, `--no-config`, and the settings put
in place before click parses the command line, so that the command line wins.

The file's settings become click's `default_map` (a value given on the command line replaces
the file's, a list included); `paths` is used when no PATH is given (not for `rule ID`, nor with
`--changed-only`); `var`/`var-file` from the file come before the command line's, which so
win as a later `-var` does in Terraform; the config-only keys land in `ctx.meta` (see
`config_only`). `--help` and `--version` read no configuration. With `-v` the file used is named
on stderr: a configuration that applies must not apply unseen.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import click
from click.core import ParameterSource

from analyzer.cli.config_file import ConfigError, ConfigFile, find_config, named_config
from analyzer.cli.config_keys import Settings, read_settings
from analyzer.cli.config_only import CONFIG_ONLY
from analyzer.cli.rule_command import RuleWordCommand

F = TypeVar("F", bound=Callable[..., object])
CONFIG_META = "config_file"  # ctx.meta: the ConfigFile in use, or None


class ConfigFileMixin(click.Command):
    """Reads the configuration file before the command line is parsed (a mixin, so that it can
    go in front of any command class of this command)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for entry in CONFIG_ONLY.values():
            ctx.meta.setdefault(entry.meta_key, entry.empty())
        settings = self._settings(ctx, args)
        ctx.meta[CONFIG_META] = settings.config if settings else None
        if settings is not None:
            ctx.default_map = {**(ctx.default_map or {}), **settings.default_map}
            ctx.meta.update(settings.meta)
        rest = super().parse_args(ctx, args)
        if settings is not None:
            _apply_after_parse(ctx, settings)
        return rest

    def _settings(self, ctx: click.Context, args: list[str]) -> Settings | None:
        if ctx.resilient_parsing:  # shell completion: no file, no error
            return None
        opts, _, _ = self.make_parser(ctx).parse_args(args=list(args))
        given = {name for name, value in opts.items() if value not in (None, (), [])}
        if any(param.is_eager and param.name in given for param in self.get_params(ctx)):
            return None  # --help, --version
        if "no_config" in given:
            if "config" in given:
                raise click.UsageError("--config and --no-config exclude each other", ctx)
            return None
        config = named_config(opts["config"]) if "config" in given else _found()
        return read_settings(config, self, ctx) if config is not None else None


class ConfigFileCommand(ConfigFileMixin, RuleWordCommand):
    """The main command's class: the configuration file, `rule ID`, --var order."""


def _found() -> ConfigFile | None:
    try:
        start = os.getcwd()
    except OSError:  # the working directory was removed
        return None
    return find_config(start)


def _apply_after_parse(ctx: click.Context, settings: Settings) -> None:
    for name, value in settings.arguments.items():
        if ctx.params.get(name) or "rule_id" in ctx.meta or ctx.params.get("changed_only"):
            continue
        ctx.params[name] = value
    from_file = [kind for kind, name in settings.input_order
                 if ctx.get_parameter_source(name) == ParameterSource.DEFAULT_MAP]
    ctx.meta["input_order"] = from_file + list(ctx.meta.get("input_order", []))
    if ctx.params.get("verbose"):
        config = settings.config
        click.echo(f"iac-ddb-lint: settings from {config.label}"
                   f"{' ' + config.table.strip() if config.table else ''}", err=True)


def config_options(command: F) -> F:
    """Add --config and --no-config (read by ConfigFileMixin, not by the command)."""
    options = [
        click.option(
            "--config",
            metavar="FILE",
            expose_value=False,
            help="Read the settings from FILE (a pyproject.toml's [tool.iac-ddb-lint] table, "
            "any other file's top level) instead of the .iac-ddb-lint.toml or pyproject.toml "
            "nearest to the working directory, upward.",
        ),
        click.option(
            "--no-config",
            is_flag=True,
            expose_value=False,
            help="Read no configuration file.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


__all__ = ["CONFIG_META", "ConfigError", "ConfigFileCommand", "ConfigFileMixin",
           "config_options"]
