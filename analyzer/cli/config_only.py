"""Keys that only a configuration file has (no command-line option): a small registry, each
key with its reader, its type and help for the README table, and where the command finds its
value (`ctx.meta[meta_key]`, set on every run: empty without a configuration).

`external-selection` declares an AWS Backup selection managed outside the scanned code (issue 14
item 3): `[[tool.iac-ddb-lint.external-selection]]` with `tag`, `values` (one of them must be
the table's tag value), an optional `region`, `name` and `description`. This module only checks
the entries and hands them on as `ExternalDeclaration`s; what they cover is decided elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analyzer.cli.config_file import ConfigFile, toml_type

_REGION = re.compile(r"[a-z]{2,5}(?:-[a-z]+)+-[0-9]{1,2}")  # eu-west-1, us-gov-west-1


@dataclass(frozen=True)
class ExternalDeclaration:
    """A backup selection declared in the configuration: it selects the tables whose tag `tag`
    has one of `values` (in `region` when given). `origin` is `file:line` of the entry."""

    tag: str
    values: tuple[str, ...]
    region: str | None = None
    origin: str = ""
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ConfigOnlyKey:
    key: str
    meta_key: str  # ctx.meta's key for the value
    kind: str  # the README table's type column
    help: str
    read: Callable[[ConfigFile, object], object]  # raises ConfigError
    empty: Callable[[], object]  # the value without a configuration


_EXTERNAL_KEY = "external-selection"
_EXTERNAL_FIELDS = ("tag", "values", "region", "name", "description")


def _external_selections(config: ConfigFile, value: object) -> list[ExternalDeclaration]:
    table = f"[[{'.'.join((*config.root, _EXTERNAL_KEY))}]]"
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise config.error(f'"{_EXTERNAL_KEY}" must be an array of tables: write each '
                           f"declaration under {table}", _EXTERNAL_KEY)
    return [_declaration(config, index, entry) for index, entry in enumerate(value)]


def _declaration(config: ConfigFile, index: int, entry: dict[str, Any]) -> ExternalDeclaration:
    def fail(message: str, *name: str) -> Exception:
        return config.error(f"{_EXTERNAL_KEY} {index + 1}: {message}", _EXTERNAL_KEY, index,
                            *name)

    for name in entry:
        if name not in _EXTERNAL_FIELDS:
            raise fail(f'unknown key "{name}"{suggestion(name, list(_EXTERNAL_FIELDS))}', name)
    strings: dict[str, str | None] = {}
    for name in ("tag", "region", "name", "description"):
        item = entry.get(name)
        if item is not None and not isinstance(item, str):
            raise fail(f'"{name}" must be a string, not {toml_type(item)}', name)
        strings[name] = item
    if not strings["tag"]:
        raise fail('"tag" is required: the tag key the selection matches (tag = "backup")')
    values = entry.get("values")
    if "values" not in entry:
        raise fail('"values" is required: the tag values it selects (values = ["daily"])')
    if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
        raise fail('"values" must be an array of strings', "values")
    if not values:
        raise fail('"values" must not be empty: a selection with no value selects nothing',
                   "values")
    region = strings["region"]
    if region is not None and not _REGION.fullmatch(region):
        raise fail(f'"region" {region!r} is not an AWS Region name (eu-west-1)', "region")
    return ExternalDeclaration(
        strings["tag"] or "", tuple(values), region, config.where(_EXTERNAL_KEY, index),
        strings["name"], strings["description"],
    )


def suggestion(key: str, known: list[str]) -> str:
    """` (did you mean "fail-on"?)` for a near miss, else nothing."""
    import difflib

    dashed = key.replace("_", "-")
    close = [dashed] if dashed in known else difflib.get_close_matches(dashed, known, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


EXTERNAL_SELECTION = ConfigOnlyKey(
    _EXTERNAL_KEY,
    "external_selections",
    "array of tables",
    "A backup selection managed outside the scanned code: tag (string), values (array of "
    "strings), optional region, name, description. Repeat the table for each.",
    _external_selections,
    list,
)
CONFIG_ONLY: dict[str, ConfigOnlyKey] = {entry.key: entry for entry in (EXTERNAL_SELECTION,)}
