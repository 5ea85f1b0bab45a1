"""An index of backup selections by what can select a table (`reach.py`), so that coverage
judges each table only against the selections that may select it, in their original order:
linear in the repository instead of tables x selections. Skipped pairs are exactly those the
judge would answer NO without evidence, so verdicts and evidence are unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from analyzer.aws.reach import Key, selection_keys
from analyzer.model import BackupSelection, Table, Unknown


def foreign_address(table: Table) -> str:
    """The table as a reference from another unit sees it: no address a reference could name."""
    return f"{table.unit}//{table.address}"


def ordinary(table: Table) -> bool:
    """Its ARN has exactly the five ':' before the resource (`reach.py` relies on it)."""
    return all(isinstance(v, Unknown) or ":" not in v for v in (table.name, table.region))


class SelectionIndex:
    """Positions of selections in the list given, by key; `candidates` for a table."""

    def __init__(self, selections: Sequence[BackupSelection]) -> None:
        self.count = len(selections)
        self._every: list[int] = []
        self._ident: dict[tuple[str, str], list[int]] = {}  # (unit, address)
        self._splat: dict[tuple[str, str], list[int]] = {}  # (unit, address prefix)
        self._foreign: dict[str, list[tuple[int, str]]] = {}  # address -> (position, unit)
        self._foreign_splat: dict[str, list[tuple[int, str]]] = {}
        self._names: dict[str, list[int]] = {}  # name prefix
        self._named: list[int] = []  # every position with a name key
        self._tags: dict[str, dict[str | None, list[int]]] = {}  # key -> value (None: any)
        self._tagged: list[int] = []  # every position with a tag key
        self._longest = {"splat": -1, "name": -1}  # the longest prefix key of each kind
        for position, selection in enumerate(selections):
            for key in dict.fromkeys(selection_keys(selection)):
                self._add(key, position)

    def _add(self, key: Key, position: int) -> None:
        if key.kind == "every":
            self._every.append(position)
        elif key.kind == "ident":
            own, other = (self._splat, self._foreign_splat) if key.splat else (
                self._ident, self._foreign)
            own.setdefault((key.unit, key.text), []).append(position)
            if key.splat:
                self._longest["splat"] = max(self._longest["splat"], len(key.text))
            other.setdefault(key.text, []).append((position, key.unit))
        elif key.kind == "name":
            self._names.setdefault(key.text, []).append(position)
            self._longest["name"] = max(self._longest["name"], len(key.text))
            self._named.append(position)
        else:
            self._tags.setdefault(key.text, {}).setdefault(key.value, []).append(position)
            self._tagged.append(position)

    def candidates(self, table: Table) -> list[int]:
        """Positions of the selections that may select the table, in ascending order."""
        if not ordinary(table):
            return list(range(self.count))
        found = set(self._every)
        found.update(self._by_identity(table))
        found.update(self._by_name(table))
        found.update(self._by_tags(table))
        return sorted(found)

    def _by_identity(self, table: Table) -> Iterable[int]:
        """`same_table` on the address a selection of the table's unit sees, and on the one a
        selection of another unit sees."""
        yield from self._ident.get((table.unit, table.address), ())
        for prefix in _prefixes(table.address, self._longest["splat"]):
            yield from self._splat.get((table.unit, prefix), ())
        foreign = foreign_address(table)
        for position, unit in self._foreign.get(foreign, ()):
            if unit != table.unit:
                yield position
        for prefix in _prefixes(foreign, self._longest["splat"]):
            for position, unit in self._foreign_splat.get(prefix, ()):
                if unit != table.unit:
                    yield position

    def _by_name(self, table: Table) -> Iterable[int]:
        if isinstance(table.name, Unknown):
            return self._named  # any prefix may be the name's
        return (p for prefix in _prefixes(table.name, self._longest["name"])
                for p in self._names.get(prefix, ()))

    def _by_tags(self, table: Table) -> Iterable[int]:
        tags = table.tags
        if tags.more is not None:
            return self._tagged  # any key may be present
        found: list[int] = []
        for key, value in tags.known.items():
            values = self._tags.get(key)
            if values is None:
                continue
            if isinstance(value, Unknown):
                found.extend(p for group in values.values() for p in group)
            else:
                found.extend(values.get(None, ()))
                found.extend(values.get(value, ()))
        return found


def _prefixes(text: str, longest: int) -> Iterable[str]:
    """The prefixes of `text` up to the longest key: a hostile megabyte-long name costs no
    more than a short one."""
    return (text[:end] for end in range(min(len(text), longest) + 1))
