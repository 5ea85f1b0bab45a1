"""Selections from another repository's exchange file (`--selections-from`), as objects of this run.

Each object keeps its values exactly as exported, and is moved into a unit of its own
(`//<file>//<repository>:<unit>`, which no scanned path can spell: units are relative paths),
so that what AWS evaluates at run time (tags, ARN patterns) reaches this run's tables and a
reference never does: `aws_dynamodb_table.x.arn` names table x of the exporting repository,
and no table of this run is that table. Its place is its entry in the exchange file, and its
name says where it was declared: `backup-repo:backup.tf:12 aws_backup_selection.daily (from
selections.json)`.

Account and Region (aws-semantics.md: a selection protects only tables of its own account and
Region). The file knows no account: a match is taken to be in the table's account, as for a
selection of this repository, and the evidence says so. A selection whose Region the exporting
code left open protects nothing for certain here: nothing links the two repositories'
Regions, so its matches are unknown. One that exists only under some template condition is
unknown likewise (the other stack's parameters are not this run's).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from analyzer.external.decode import Exchange, ExchangeError, read_exchange
from analyzer.external.positioned_json import JsonError, parse
from analyzer.model import BackupSelection, Inventory, Location, TagCondition, Unknown

MAX_FILE_BYTES = 32 * 1024 * 1024  # some ten thousand selections; far above a real export
UNIT_PREFIX = "//"


class SelectionsFileError(Exception):
    """An exchange file that cannot be read: `file:line:col: message` (the run exits 2)."""


@dataclass(frozen=True)
class ImportedFile:
    given: str  # the path as the user gave it, for the evidence
    path: Path
    exchange: Exchange


def is_external(unit: str) -> bool:
    """Is this the unit of an object from outside the scanned tree?"""
    return unit.startswith(UNIT_PREFIX)


def read_selections_file(given: str) -> ImportedFile:
    """Read and check one exchange file; SelectionsFileError names the first problem."""
    try:
        info = os.stat(given)
        if not stat.S_ISREG(info.st_mode):
            raise SelectionsFileError(f"{given}: not a regular file")
        with open(given, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SelectionsFileError(f"{given}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise SelectionsFileError(f"{given}:1:1: larger than {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise SelectionsFileError(f"{given}:{line}:{col}: not UTF-8 text") from None
    try:
        exchange = read_exchange(parse(text))
    except (JsonError, ExchangeError) as exc:
        raise SelectionsFileError(f"{given}:{exc.line}:{exc.col}: {exc.message}") from None
    return ImportedFile(given, Path(given), exchange)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def imported_inventory(files: Sequence[ImportedFile], root: Path) -> Inventory:
    """The objects of the exchange files as this run's, located relative to the scan root."""
    inventory = Inventory()
    for item in files:
        where = relative_to_root(item.path, root)
        source = item.exchange.source

        def unit_of(unit: str, given: str = item.given, source: str = source) -> str:
            return f"{UNIT_PREFIX}{given}{UNIT_PREFIX}{source}:{unit}"

        def origin(address: str, place: Location, given: str = item.given,
                   source: str = source) -> str:
            return f"{source}:{place.file}:{place.line} {address} (from {given})"

        for selection, (line, col) in item.exchange.selections:
            at = Location(where, line, col)
            inventory.selections.append(_selection(selection, at, unit_of(selection.unit),
                                                   origin(selection.address, selection.location),
                                                   source))
        for plan, (line, col) in item.exchange.plans:
            inventory.plans.append(replace(plan, location=Location(where, line, col),
                                           unit=unit_of(plan.unit)))
        for settings, (line, col) in item.exchange.region_settings:
            inventory.region_settings.append(replace(
                settings, address=origin(settings.address, settings.location),
                location=Location(where, line, col), unit=unit_of(settings.unit)))
    return inventory


def _selection(selection: BackupSelection, at: Location, unit: str, name: str, source: str
               ) -> BackupSelection:
    account = f"assuming {source} deploys it to the table's AWS account (an export records none)"
    undecided = selection.undecided
    region = selection.region
    if isinstance(region, Unknown):
        why = (f"its Region is unknown ({region.reason}), and a selection protects only "
               "tables of its own Region")
        undecided = _join(undecided, why)
    if selection.scenario is not None:
        scenario = selection.scenario
        why = f"it exists only {scenario.text} in {source}:{scenario.unit}"
        undecided = _join(undecided, why)
    return replace(
        selection, address=name, location=at, unit=unit, scenario=None, undecided=undecided,
        assumes=(*selection.assumes, account),
        list_of_tags=_conditions_at(selection.list_of_tags, at),
        conditions=_conditions_at(selection.conditions, at),
    )


def _conditions_at(conditions: tuple[TagCondition, ...] | Unknown, at: Location
                   ) -> tuple[TagCondition, ...] | Unknown:
    if isinstance(conditions, Unknown):
        return conditions
    return tuple(replace(cond, location=at) for cond in conditions)


def _join(first: Unknown | None, reason: str) -> Unknown:
    return Unknown(reason if first is None else f"{first.reason}; {reason}")


def relative_to_root(path: Path, root: Path) -> str:
    """The file as every location is: relative to the scan root, `/`-separated (`../` when it
    lies outside, so that a report's scan-root prefix still leads to it)."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
    except ValueError:  # on another drive (Windows)
        return Path(os.path.abspath(path)).as_posix()
