"""The README's table of configuration keys, made from the click command (so it lists every
option there is), between two markers; `scripts/gen_config_table.py` writes it and a test fails
when the README's copy is out of date."""

from __future__ import annotations

import click

from analyzer.cli.config_keys import PREFIXED_PATH_KEYS, is_path, option_keys
from analyzer.cli.config_only import CONFIG_ONLY

BEGIN = "<!-- config-keys:begin (scripts/gen_config_table.py writes this table) -->"
END = "<!-- config-keys:end -->"
_PATHS_HELP = "The PATHs to scan when the command line gives none (default: the working directory)."


def config_table(command: click.Command) -> str:
    """The Markdown table: key, type, default, meaning."""
    rows = ["| Key | Type | Default | What it does |", "|---|---|---|---|"]
    ctx = click.Context(command)
    for key, param in option_keys(command).items():
        help_text = getattr(param, "help", None) or (_PATHS_HELP if key == "paths" else "")
        rows.append(_row(key, _type(key, param), _default(param, ctx), help_text))
    for entry in CONFIG_ONLY.values():
        rows.append(_row(entry.key, entry.kind, "none", entry.help))
    return "\n".join(rows) + "\n"


def with_table(readme: str, table: str) -> str:
    """`readme` with `table` between the markers (which must be there, once each)."""
    head, begin, rest = readme.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not (begin and end):
        raise ValueError(f"README.md has no {BEGIN} ... {END} section")
    return f"{head}{BEGIN}\n\n{table}\n{END}{tail}"  # blank lines: the table is a block


def _row(key: str, kind: str, default: str, help_text: str) -> str:
    cells = [f"`{key}`", kind, default, " ".join(help_text.split())]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _type(key: str, param: click.Parameter) -> str:
    """The value's type; a path is relative to the configuration file."""
    many = param.multiple or param.nargs != 1
    if isinstance(param, click.Option) and param.is_flag and not param.count:
        return "boolean"
    kind = param.type
    if key in PREFIXED_PATH_KEYS:
        name, names = "`[FORMAT:]path`", "`[FORMAT:]path`s"
    elif is_path(key, param):
        name, names = "path", "paths"
    elif isinstance(kind, click.types.IntParamType):
        name, names = "integer", "integers"
        if isinstance(kind, click.IntRange) and kind.min is not None and kind.max is not None:
            bounds = f", {kind.min} to {kind.max}"
            name, names = f"integer{bounds}", f"integers{bounds}"
    elif isinstance(kind, click.types.FloatParamType):
        name, names = "number", "numbers"
    else:
        name, names = "string", "strings"
    if isinstance(kind, click.Choice):
        choices = ", ".join(f"`{choice}`" for choice in kind.choices)
        name, names = f"{name}: {choices}", f"{names}: {choices}"
    return f"array of {names}" if many else name


def _default(param: click.Parameter, ctx: click.Context) -> str:
    value = param.get_default(ctx, call=False)
    if callable(value):
        return "computed"
    if not isinstance(value, (bool, int, float, str, tuple, list)):  # None, click's UNSET
        return "`[]`" if param.multiple or param.nargs != 1 else "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (tuple, list)):
        return "`[" + ", ".join(f'"{item}"' for item in value) + "]`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"
