"""The configuration's keys: every parameter of the main command, by its long option name
(`--fail-on` is `fail-on`, the PATH arguments are `paths`), plus the config-only keys of
`config_only`. Derived from the click command, so an option added to it is a key at once.

Values are checked against the parameter as click would check them on the command line
(its type, choices, range, callback), but with TOML's types: a flag takes a boolean, an
integer option an integer, a repeatable option or `paths` an array (a single string is not
taken for an array: one spelling per key, so that a file reads one way). A path (a `click.Path`
parameter, `output`'s FILE, and the file options of `_PATH_KEYS`) is relative to the
directory of the configuration file, not to the working directory, and must stay inside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import click

from analyzer.cli.config_file import ConfigFile, toml_type
from analyzer.cli.config_only import CONFIG_ONLY, suggestion
from analyzer.cli.reporting import FORMATS

# Options that are no setting: why each is refused in a file.
EXCLUDED: dict[str, str] = {
    "help": "it prints the help",
    "version": "it prints the version",
    "config": "it names the configuration file itself",
    "no-config": "it turns configuration files off",
    "list-rules": "it asks for the rule list instead of a scan",
    "changed-only": "it says what the PATHs of one call are (the pre-commit hook's)",
    "create-baseline": "it would accept every new finding on every run",
}
PREFIXED_PATH_KEYS = frozenset({"output"})  # [FORMAT:]FILE
# File options that may be spelled as plain strings; click.Path ones need no entry.
_PATH_KEYS = frozenset({"baseline", "selections-from", "export-selections"})


@dataclass
class Settings:
    """A configuration file's settings as the command takes them."""

    config: ConfigFile
    default_map: dict[str, Any] = field(default_factory=dict)  # by parameter name
    arguments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # used when none given
    # the file's --var / --var-file values in its order: (InputOrderCommand's name, parameter)
    input_order: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # the config-only keys' values


def key_of(param: click.Parameter) -> str:
    """A parameter's configuration key: its first long option name, else its name."""
    if isinstance(param, click.Option):
        longs = [opt for opt in param.opts if opt.startswith("--")]
        if longs:
            return longs[0][2:]
    return (param.name or "").replace("_", "-")


def option_keys(command: click.Command) -> dict[str, click.Parameter]:
    """The keys of the command's parameters, in the command's order."""
    keys: dict[str, click.Parameter] = {}
    for param in command.params:
        key = key_of(param)
        # not expose_value alone: an option may hand its value on through a callback
        if not param.is_eager and key not in EXCLUDED and param.name:
            keys[key] = param
    return keys


def read_settings(config: ConfigFile, command: click.Command, ctx: click.Context) -> Settings:
    """Check every key of `config` against `command`; raises ConfigError at the first bad one."""
    keys = option_keys(command)
    settings = Settings(config)
    for key, value in config.settings.items():
        if key in CONFIG_ONLY:
            entry = CONFIG_ONLY[key]
            settings.meta[entry.meta_key] = entry.read(config, value)
            continue
        param = keys.get(key)
        if param is None:
            raise _unknown(config, key, [*keys, *CONFIG_ONLY])
        checked = _checked(config, key, param, value, ctx)
        if checked is None:
            continue
        if isinstance(param, click.Argument):
            settings.arguments[param.name or key] = checked
        else:
            settings.default_map[param.name or key] = checked
        if key in ("var", "var-file"):  # InputOrderCommand's names for them
            settings.input_order += [(key, param.name or key)] * len(checked)
    return settings


def _unknown(config: ConfigFile, key: str, known: list[str]) -> click.ClickException:
    if key in EXCLUDED:
        return config.error(f'"{key}" cannot be set in a configuration file: {EXCLUDED[key]}',
                            key)
    return config.error(f'unknown key "{key}"{suggestion(key, known)}', key)


def _checked(config: ConfigFile, key: str, param: click.Parameter, value: object,
             ctx: click.Context) -> Any:
    """The value for click, paths made relative to the working directory; None: not set."""
    kinds, expected = _expected(param)
    many = param.multiple or param.nargs != 1
    if many and not isinstance(value, list):
        raise config.error(f'"{key}" must be an array of {expected}s, not {toml_type(value)} '
                           f'(write {key} = [...])', key)
    items: list[Any] = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, kinds) or (isinstance(item, bool) and bool not in kinds):
            if many:
                raise config.error(f'"{key}" must be an array of {expected}s, but it holds '
                                   f'{toml_type(item)}', key)
            article = "an" if expected[0] in "aeiou" else "a"
            raise config.error(f'"{key}" must be {article} {expected}, not {toml_type(item)}',
                               key)
    if isinstance(param, click.Option) and param.is_flag and not param.is_bool_flag:
        if value is not True:
            return None  # a flag with a value of its own: false leaves it off
        items = [param.flag_value]
    path = is_path(key, param)
    if path:
        items = [_from_config(config, item, key) for item in items]
    try:
        param.process_value(ctx, items if many else items[0])
    except click.BadParameter as exc:
        hint = " (a path in the configuration is relative to its directory)" if path else ""
        raise config.error(f'"{key}": {exc.message.rstrip(".")}{hint}', key) from exc
    if key in PREFIXED_PATH_KEYS:
        items = [_from_config(config, item, key) for item in items]
    return tuple(items) if many else items[0]


def is_path(key: str, param: click.Parameter) -> bool:
    """Whether the key's values are paths (relative to the configuration file): `output`'s
    are, after a `FORMAT:`, and resolved separately."""
    return isinstance(param.type, (click.Path, click.File)) or key in _PATH_KEYS


def _expected(param: click.Parameter) -> tuple[tuple[type, ...], str]:
    """The TOML types a parameter takes, and their name for a message."""
    if isinstance(param, click.Option) and param.is_flag and not param.count:
        return (bool,), "boolean"
    kind = param.type
    if isinstance(kind, click.types.BoolParamType):
        return (bool,), "boolean"
    if isinstance(kind, click.types.IntParamType) or getattr(param, "count", False):
        return (int,), "integer"
    if isinstance(kind, click.types.FloatParamType):
        return (int, float), "number"
    return (str,), "string"


def _from_config(config: ConfigFile, value: str, key: str) -> str:
    """`value`, a path relative to the configuration file's directory, as a path from the
    working directory (`../infra` from a subdirectory); a `FORMAT:` prefix is kept. It must
    stay inside that directory, links resolved: the file comes with the code it configures,
    and code under review must not make a scan read or write outside its repository (a path
    named on the command line may go anywhere)."""
    head, sep, rest = value.partition(":")
    if key in PREFIXED_PATH_KEYS and sep and rest and head in FORMATS:
        return f"{head}:{_from_config(config, rest, key)}"
    home = os.path.realpath(config.directory)
    real = os.path.realpath(os.path.join(config.directory, value))
    if real != home and not real.startswith(home.rstrip(os.sep) + os.sep):
        raise config.error(f'"{key}": {value!r} leads outside the configuration file\'s '
                           f"directory (to {real}), so it is not used; name it on the command "
                           "line instead", key)
    try:
        base = os.path.relpath(config.directory)
    except ValueError:  # another drive
        base = config.directory
    if base == os.curdir:
        return value
    return base if value == os.curdir else os.path.join(base, value)
