"""An exchange file read back into model objects, exactly as `encode.py` wrote them.

Strict: a missing or unknown key, a wrong type or a wrong tag is an error at the value's
`file:line:col`, never a guess (a misread selection could protect a table that nothing backs up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from analyzer.external.encode import FORMAT, VERSION
from analyzer.external.positioned_json import Path, Positioned
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Location,
    Partial,
    Pattern,
    Ref,
    RegionSettings,
    Scenario,
    TagCondition,
    Unknown,
)

T = TypeVar("T")
_TOP = ("format", "version", "source", "selections", "plans", "region_settings")
_PLACE = ("file", "line", "col")
_SELECTION = ("unit", "address", "kind", *_PLACE, "region", "plan", "resources",
              "not_resources", "list_of_tags", "conditions", "notes", "assumes", "undecided",
              "scenario")
_PLAN = ("unit", "address", *_PLACE, "name", "rule_count", "retention_days", "exists")
_SETTINGS = ("unit", "address", *_PLACE, "region", "dynamodb_opt_in", "exists")
_OPS = ("StringEquals", "StringLike", "StringNotEquals", "StringNotLike")


class ExchangeError(ValueError):
    """A value of the exchange file that is not what the format says, at its position."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


@dataclass(frozen=True)
class Exchange:
    """What one exchange file holds, each object with the position of its entry."""

    source: str  # the exporting repository's name (its scanned directory)
    selections: tuple[tuple[BackupSelection, tuple[int, int]], ...]
    plans: tuple[tuple[BackupPlan, tuple[int, int]], ...]
    region_settings: tuple[tuple[RegionSettings, tuple[int, int]], ...]


def read_exchange(doc: Positioned) -> Exchange:
    r = _Reader(doc)
    top = r.mapping((), None)
    if top.get("format") != FORMAT:
        r.fail(("format",) if "format" in top else (), f'not an exchange file: "format" must be '
               f'"{FORMAT}" (written by iac-ddb-lint --export-selections)')
    version = top.get("version")
    if version != VERSION or isinstance(version, bool):
        r.fail(("version",) if "version" in top else (),
               f"version {version!r} is not one this iac-ddb-lint reads ({VERSION})")
    r.mapping((), _TOP)
    return Exchange(
        r.text(("source",)),
        r.entries(("selections",), r.selection),
        r.entries(("plans",), r.plan),
        r.entries(("region_settings",), r.region_settings),
    )


class _Reader:
    def __init__(self, doc: Positioned) -> None:
        self.doc = doc

    def fail(self, path: Path, message: str) -> None:
        line, col = self.doc.at(path)
        raise ExchangeError(message, line, col)

    def get(self, path: Path) -> object:
        node = self.doc.value
        for step in path:
            node = node[step]  # type: ignore[index]  # the path was checked on the way down
        return node

    def mapping(self, path: Path, keys: tuple[str, ...] | None) -> dict[str, object]:
        node = self.get(path)
        if not isinstance(node, dict):
            self.fail(path, f"{_name(path)} must be an object")
        assert isinstance(node, dict)
        if keys is None:
            return node
        for key in node:
            if key not in keys:
                self.fail((*path, key), f'unknown key "{key}" in {_name(path)}')
        for key in keys:
            if key not in node:
                self.fail(path, f'{_name(path)} has no "{key}"')
        return node

    def array(self, path: Path) -> list[object]:
        node = self.get(path)
        if not isinstance(node, list):
            self.fail(path, f"{_name(path)} must be an array")
        assert isinstance(node, list)
        return node

    def entries(self, path: Path, read: Callable[[Path], T]
                ) -> tuple[tuple[T, tuple[int, int]], ...]:
        count = len(self.array(path))
        return tuple((read((*path, i)), self.doc.at((*path, i))) for i in range(count))

    def text(self, path: Path) -> str:
        node = self.get(path)
        if not isinstance(node, str):
            self.fail(path, f"{_name(path)} must be a string")
        assert isinstance(node, str)
        return node

    def integer(self, path: Path) -> int:
        node = self.get(path)
        if not isinstance(node, int) or isinstance(node, bool):
            self.fail(path, f"{_name(path)} must be an integer")
        assert isinstance(node, int)
        return node

    def texts(self, path: Path) -> tuple[str, ...]:
        return tuple(self.text((*path, i)) for i in range(len(self.array(path))))

    def unknown(self, path: Path) -> Unknown | None:
        """`{"unknown": reason}` as Unknown; None for anything else (the caller decides)."""
        node = self.get(path)
        if isinstance(node, dict) and "unknown" in node:
            self.mapping(path, ("unknown",))
            return Unknown(self.text((*path, "unknown")))
        return None

    def maybe_unknown(self, path: Path) -> Unknown | None:
        if self.get(path) is None:
            return None
        found = self.unknown(path)
        if found is None:
            self.fail(path, f'{_name(path)} must be null or {{"unknown": reason}}')
        return found

    def known_text(self, path: Path) -> str | Unknown:
        return self.unknown(path) or self.text(path)

    def ref(self, path: Path) -> Ref:
        node = self.mapping(path, None)
        self.mapping(path, ("ref", "attr", "value") if "value" in node else ("ref", "attr"))
        known = self.text((*path, "value")) if "value" in node else None
        return Ref(self.text((*path, "ref")), self.text((*path, "attr")), known)

    def pattern(self, path: Path) -> Pattern:
        node = self.get(path)
        if isinstance(node, str):
            return node
        found = self.unknown(path)
        if found is not None:
            return found
        if isinstance(node, dict) and "partial" in node:
            self.mapping(path, ("partial",))
            parts = [(*path, "partial", i) for i in range(len(self.array((*path, "partial"))))]
            return Partial(tuple(self._part(p) for p in parts))
        if isinstance(node, dict) and "ref" in node:
            return self.ref(path)
        self.fail(path, f'{_name(path)} must be a string, or an object with "unknown", "ref" '
                  'or "partial"')
        raise AssertionError  # pragma: no cover - fail raised

    def _part(self, path: Path) -> str | Ref | Unknown:
        part = self.pattern(path)
        if isinstance(part, Partial):
            self.fail(path, "a partial string's part must not itself be partial")
        assert not isinstance(part, Partial)
        return part

    def patterns(self, path: Path) -> tuple[Pattern, ...] | Unknown:
        found = self.unknown(path)
        if found is not None:
            return found
        return tuple(self.pattern((*path, i)) for i in range(len(self.array(path))))

    def location(self, path: Path) -> Location:
        return Location(self.text((*path, "file")), self.integer((*path, "line")),
                        self.integer((*path, "col")))

    def condition(self, path: Path) -> TagCondition:
        self.mapping(path, ("op", "key", "value", *_PLACE))
        op = self.text((*path, "op"))
        if op not in _OPS:
            self.fail((*path, "op"), f'"op" must be one of {", ".join(_OPS)}')
        return TagCondition(op, self.known_text((*path, "key")),
                            self.known_text((*path, "value")), self.location(path))

    def conditions(self, path: Path) -> tuple[TagCondition, ...] | Unknown:
        found = self.unknown(path)
        if found is not None:
            return found
        return tuple(self.condition((*path, i)) for i in range(len(self.array(path))))

    def scenario(self, path: Path) -> Scenario | None:
        if self.get(path) is None:
            return None
        self.mapping(path, ("unit", "index", "text", "choices"))
        choices = []
        for i in range(len(self.array((*path, "choices")))):
            pair = self.texts((*path, "choices", i))
            if len(pair) != 2:
                self.fail((*path, "choices", i), "a choice must be [name, value]")
            choices.append((pair[0], pair[1]))
        return Scenario(self.text((*path, "unit")), self.integer((*path, "index")),
                        self.text((*path, "text")), tuple(choices))

    def selection(self, path: Path) -> BackupSelection:
        given = self.mapping(path, None)  # rules: an Organizations policy plan's, optional
        self.mapping(path, (*_SELECTION, "rules") if "rules" in given else _SELECTION)
        rules = (*path, "rules")
        plan = self.pattern((*path, "plan"))
        if isinstance(plan, Partial):
            self.fail((*path, "plan"), '"plan" must be a string, a reference or unknown')
        assert not isinstance(plan, Partial)
        return BackupSelection(
            address=self.text((*path, "address")),
            plan=plan,
            resources=self.patterns((*path, "resources")),
            not_resources=self.patterns((*path, "not_resources")),
            list_of_tags=self.conditions((*path, "list_of_tags")),
            conditions=self.conditions((*path, "conditions")),
            location=self.location(path),
            region=self.known_text((*path, "region")),
            kind=self.text((*path, "kind")),
            notes=self.texts((*path, "notes")),
            assumes=self.texts((*path, "assumes")),
            undecided=self.maybe_unknown((*path, "undecided")),
            scenario=self.scenario((*path, "scenario")),
            unit=self.text((*path, "unit")),
            rules=self.plan(rules) if given.get("rules") is not None else None,
        )

    def plan(self, path: Path) -> BackupPlan:
        given = self.mapping(path, None)  # copy_regions: absent from files of earlier versions
        self.mapping(path, (*_PLAN, "copy_regions") if "copy_regions" in given else _PLAN)
        days_path = (*path, "retention_days")
        days = tuple(self._days((*days_path, i)) for i in range(len(self.array(days_path))))
        return BackupPlan(
            address=self.text((*path, "address")),
            name=self.known_text((*path, "name")),
            rule_count=self.unknown((*path, "rule_count")) or self.integer((*path, "rule_count")),
            retention_days=days,
            location=self.location(path),
            unit=self.text((*path, "unit")),
            exists=self.maybe_unknown((*path, "exists")),
            copy_regions=self._copies((*path, "copy_regions")) if "copy_regions" in given
            else (Unknown("the exchange file does not record the plan's copy actions "
                          "(written by an earlier version: export it again)"),),
        )

    def _copies(self, path: Path) -> tuple[tuple[str | Unknown, ...] | Unknown, ...]:
        rules: list[tuple[str | Unknown, ...] | Unknown] = []
        for i in range(len(self.array(path))):
            rule = (*path, i)
            known = self.unknown(rule)
            rules.append(known if known is not None else tuple(
                self.known_text((*rule, j)) for j in range(len(self.array(rule)))))
        return tuple(rules)

    def _days(self, path: Path) -> int | Unknown | None:
        return None if self.get(path) is None else self.unknown(path) or self.integer(path)

    def region_settings(self, path: Path) -> RegionSettings:
        self.mapping(path, _SETTINGS)
        opt_path = (*path, "dynamodb_opt_in")
        opt_in = self.get(opt_path)
        if opt_in is not None and not isinstance(opt_in, bool):
            opt_in = self.unknown(opt_path)
            if opt_in is None:
                self.fail(opt_path, '"dynamodb_opt_in" must be true, false, null or unknown')
        assert opt_in is None or isinstance(opt_in, (bool, Unknown))
        return RegionSettings(
            address=self.text((*path, "address")),
            region=self.known_text((*path, "region")),
            dynamodb_opt_in=opt_in,
            location=self.location(path),
            unit=self.text((*path, "unit")),
            exists=self.maybe_unknown((*path, "exists")),
        )


def _name(path: Path) -> str:
    """A path as a reader finds it: `selections[3].region`."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return f'"{out}"' if out else "the file"
