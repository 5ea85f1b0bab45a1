"""Finding and reading the configuration file: `.iac-ddb-lint.toml` (settings at the top level)
or the `[tool.iac-ddb-lint]` table of a `pyproject.toml`.

Found as ruff finds its own: the nearest to the working directory wins, searching upward to the
filesystem root (not stopping at a repository's root), and settings are never merged across
files. In one directory `.iac-ddb-lint.toml` wins over `pyproject.toml` (a warning says so when
both hold settings); a `pyproject.toml` without the table is passed over and the search goes on.
A `pyproject.toml` that does not even mention `iac-ddb-lint` is passed over unparsed, so an
unrelated broken one cannot stop a run; one that does must parse. TOML is parsed with `tomllib`
(`tomli` before Python 3.11), imported only when a file is read, so `--version` stays instant.
Every error names `file:line` (`file:line:col` for TOML syntax) and exits 2.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import click

from analyzer.cli.toml_lines import KeyPath, key_lines, line_of

DEDICATED = ".iac-ddb-lint.toml"
PYPROJECT = "pyproject.toml"
TABLE: tuple[str, ...] = ("tool", "iac-ddb-lint")
_MENTION = b"iac-ddb-lint"
_MAX_BYTES = 1 << 20  # a configuration file is a screenful; a bigger one is no configuration
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class ConfigError(click.ClickException):
    """An unreadable or invalid configuration file: a usage error (exit 2), at file:line."""

    exit_code = 2


@dataclass(frozen=True)
class ConfigFile:
    """The settings of one configuration file, with the line of each key."""

    path: str  # absolute
    root: tuple[str, ...]  # where the settings are: TABLE in a pyproject.toml, () otherwise
    settings: dict[str, Any]
    lines: dict[KeyPath, int] = field(repr=False)

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)

    @property
    def label(self) -> str:
        """How a message names the file: relative to the working directory when below it."""
        return display_path(self.path)

    @property
    def table(self) -> str:
        return f"[{'.'.join(self.root)}] " if self.root else ""

    def where(self, *path: str | int) -> str:
        """`file:line` of a key below the settings' root."""
        return f"{self.label}:{line_of(self.lines, (*self.root, *path))}"

    def error(self, message: str, *path: str | int) -> ConfigError:
        return ConfigError(f"{self.where(*path)}: {self.table}{message}")


def find_config(start: str) -> ConfigFile | None:
    """The configuration nearest to `start`, upward; None when there is none."""
    directory = os.path.abspath(start)
    while True:
        found = _config_in(directory)
        if found is not None:
            return found
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def named_config(path: str) -> ConfigFile:
    """`--config FILE`: a pyproject.toml must have the table; any other file name holds the
    settings at its top level."""
    if not os.path.isfile(path):
        raise ConfigError(f"--config {display_path(path)}: no such file")
    absolute = os.path.abspath(path)
    found = read_config(absolute, TABLE if os.path.basename(absolute) == PYPROJECT else ())
    if found is None:
        raise ConfigError(f"--config {display_path(path)}: it has no [{'.'.join(TABLE)}] table")
    return found


def _config_in(directory: str) -> ConfigFile | None:
    dedicated = os.path.join(directory, DEDICATED)
    pyproject = os.path.join(directory, PYPROJECT)
    if os.path.isfile(dedicated):
        config = read_config(dedicated, ())
        if os.path.isfile(pyproject) and _read_table_quietly(pyproject):
            click.echo(f"iac-ddb-lint: warning: {display_path(pyproject)}'s "
                       f"[{'.'.join(TABLE)}] is ignored: {DEDICATED} beside it wins", err=True)
        return config
    if os.path.isfile(pyproject):
        return read_config(pyproject, TABLE)
    return None


def _read_table_quietly(path: str) -> bool:
    try:
        return read_config(path, TABLE) is not None
    except ConfigError:
        return False  # it is not the configuration in use: its errors are not this run's


def read_config(path: str, root: tuple[str, ...]) -> ConfigFile | None:
    """The settings under `root` in the TOML file `path`; None when `root` is a table the file
    does not have. Raises ConfigError for a file that cannot be read or parsed."""
    label = display_path(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read it: {exc.strerror or exc}") from exc
    if root and _MENTION not in data:
        return None
    if len(data) > _MAX_BYTES:
        raise ConfigError(f"{label}: larger than {_MAX_BYTES} bytes: not a configuration file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{label}:{line}: not UTF-8 text (TOML is UTF-8)") from exc
    toml = toml_library()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{label}:{_syntax_position(exc, text)}: invalid TOML: "
                          f"{_syntax_message(exc)}") from exc
    lines = key_lines(text, _key_splitter(toml))
    settings: Any = document
    for depth, name in enumerate(root):
        if not isinstance(settings, dict) or name not in settings:
            return None
        settings = settings[name]
        if not isinstance(settings, dict):
            where = line_of(lines, root[: depth + 1])
            raise ConfigError(f"{label}:{where}: [{'.'.join(root[: depth + 1])}] must be a "
                              f"table, not {toml_type(settings)}")
    return ConfigFile(path, root, settings, lines)


def toml_library(version: tuple[int, int] = sys.version_info[:2]) -> ModuleType:
    """tomllib from Python 3.11 on, else tomli (the same parser, as a package)."""
    import importlib

    return importlib.import_module("tomllib" if version >= (3, 11) else "tomli")


def toml_type(value: object) -> str:
    """A value's TOML type, for messages."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
             list: "an array", dict: "a table"}
    return next((name for kind, name in names.items() if isinstance(value, kind)),
                "a date or time")


def display_path(path: str) -> str:
    """`path` relative to the working directory when it is below it, else absolute."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive
        return absolute
    outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
    return absolute if outside else relative


def _syntax_position(exc: ValueError, text: str) -> str:
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if not (line and column):
        match = _POSITION.search(str(exc))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        else:  # "at end of document"
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
    return f"{line}:{column}"


def _syntax_message(exc: ValueError) -> str:
    message = getattr(exc, "msg", None) or str(exc)
    return _POSITION.sub("", message).replace(" (at end of document)", "")


def _key_splitter(toml: ModuleType) -> Any:
    def split(key: str) -> tuple[str, ...]:
        names: list[str] = []
        node: Any = toml.loads(f"{key} = 0")  # raises TOMLDecodeError, a ValueError
        while isinstance(node, dict) and len(node) == 1:
            name, node = next(iter(node.items()))
            names.append(name)
        return tuple(names)

    return split
