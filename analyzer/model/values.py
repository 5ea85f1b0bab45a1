"""The value forms every stage shares: places in files, undecided values, references to
resources known by identity, strings and maps known in part, and three-valued truth. The
HCL language imports only these (see analyzer/model/__init__)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, order=True)
class Location:
    """A place in a scanned file: `file` is relative to the scan root, `/`-separated; 1-based."""

    file: str
    line: int
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Unknown:
    """A value the code does not decide statically, with the reason in words a user understands."""

    reason: str


@dataclass(frozen=True)
class Ref:
    """An attribute of a resource known by identity, e.g. `aws_dynamodb_table.x` attribute `arn`.

    `value` holds the concrete value when the code decides it (a literal table name), else None.
    """

    address: str
    attr: str
    value: str | None = None

    def __str__(self) -> str:
        return f"{self.address}.{self.attr}"


@dataclass(frozen=True)
class Partial:
    """A string known only in parts: literal text, references and unknown pieces, in order."""

    parts: tuple[str | Ref | Unknown, ...]

    def __str__(self) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Ref):
                out.append("${" + str(part) + "}")
            else:
                out.append("${?}")
        return "".join(out)


@dataclass(frozen=True)
class PartialMap:
    """A map known only in part: the keys in `known` are present (a value may itself be Unknown
    when a later, unknown map could override it); `more` says further keys may exist. `keys`,
    when set, are the only further keys that may exist (a label module's tags: `Name`,
    `Stage`, ...); None means any key."""

    known: Mapping[str, object]
    more: Unknown
    keys: frozenset[str] | None = None


def union_keys(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The keys two partly known maps may add together (None: any key)."""
    return None if a is None or b is None else a | b


# A value as the evaluators produce it: JSON-like Python data (None, bool, int, float, str,
# list, dict) or one of the partial forms above.
Value = object

# A resource pattern in a backup selection: a known glob, a reference, a partly known string, or
# unknown.
Pattern = str | Ref | Partial | Unknown


class Tri(Enum):
    """Three-valued truth: coverage is yes, no, or undecided."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    def __and__(self, other: Tri) -> Tri:
        if self is Tri.NO or other is Tri.NO:
            return Tri.NO
        if self is Tri.YES and other is Tri.YES:
            return Tri.YES
        return Tri.UNKNOWN

    def __or__(self, other: Tri) -> Tri:
        if self is Tri.YES or other is Tri.YES:
            return Tri.YES
        if self is Tri.NO and other is Tri.NO:
            return Tri.NO
        return Tri.UNKNOWN

    def __invert__(self) -> Tri:
        if self is Tri.UNKNOWN:
            return self
        return Tri.NO if self is Tri.YES else Tri.YES

    @staticmethod
    def of(flag: bool) -> Tri:
        return Tri.YES if flag else Tri.NO
