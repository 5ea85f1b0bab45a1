"""Baselines: today's findings written to a file, so that later runs report only new ones.

An entry is a finding's rule, resource address, unit and file; never its line (code moves) and
never its message (it names counts and reasons that change with unrelated edits: "2 selections
considered"). Paths are relative to the baseline file's directory, so the same file matches from
any working directory and whatever paths a run scans. Entries form a multiset: a key that occurs
twice in the baseline hides two findings with that key, no more. Suppressed findings are not
baseline entries (they are already waived in the code), and unreadable inputs never are: a
baseline is not written when an input could not be read.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.model import Finding

FORMAT_VERSION = 1
_FIELDS = ("rule_id", "resource", "unit", "file")
_PATHS_NOTE = "unit and file are relative to the directory of this file"


class BaselineError(Exception):
    """A baseline file that cannot be used: its message names file:line:col."""


@dataclass(frozen=True, order=True)
class Entry:
    file: str
    rule_id: str
    resource: str
    unit: str

    def __str__(self) -> str:
        unit = f" [{self.unit}]" if self.unit and not _within(self.file, self.unit) else ""
        return f"{self.file}: {self.rule_id} {self.resource}{unit}"


@dataclass(frozen=True)
class Applied:
    kept: list[Finding]  # what the run reports
    hidden: int  # findings the baseline hid
    stale: list[Entry]  # entries no finding matched: fixed since


def entry(finding: Finding, root: Path, base_dir: Path) -> Entry:
    return Entry(
        file=_relative(finding.location.file, root, base_dir),
        rule_id=finding.rule_id,
        resource=finding.resource,
        unit=_relative(finding.unit, root, base_dir),
    )


def _relative(path: str, root: Path, base_dir: Path) -> str:
    """A root-relative path (`""` stays empty) as a `/`-path relative to `base_dir`."""
    if not path:
        return ""
    target = os.path.normpath(root / path)
    try:
        relative = os.path.relpath(target, base_dir)
    except ValueError:  # another drive (Windows): no relative path exists
        return PurePosixPath(Path(target).as_posix()).as_posix()
    return Path(relative).as_posix()


def _within(file: str, unit: str) -> bool:
    return file == unit or unit == "." or file.startswith(unit.rstrip("/") + "/")


def base_dir(path: str) -> Path:
    """The directory the entries of baseline file `path` are relative to."""
    return Path(os.path.abspath(path)).parent.resolve()


def render(entries: list[Entry]) -> str:
    """The baseline file: sorted, one key per line's object, byte-identical for equal input."""
    document = {
        "iac-ddb-lint-baseline": FORMAT_VERSION,
        "paths": _PATHS_NOTE,
        "findings": [
            {name: getattr(item, name) for name in _FIELDS} for item in sorted(entries)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def write(path: str, findings: list[Finding], root: Path) -> int:
    """Write the baseline of `findings` (active ones) to `path`; the number of entries.
    Raises OSError naming the file."""
    where = base_dir(path)
    entries = [entry(f, root, where) for f in findings if not f.suppressed]
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(render(entries), encoding="utf-8")
    except OSError as exc:
        raise OSError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    return len(entries)


def load(path: str) -> list[Entry]:
    """The entries of baseline file `path`. Raises BaselineError naming file:line:col."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BaselineError(f"{path}:1:1: cannot read the baseline: {reason}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from exc
    return _entries(document, text, path)


def _entries(document: object, text: str, path: str) -> list[Entry]:
    def fail(message: str, *where: str | int, at_key: bool = False) -> BaselineError:
        line, col = _position(text, where, at_key)
        return BaselineError(f"{path}:{line}:{col}: {message}")

    if not isinstance(document, dict):
        raise fail("a baseline is a JSON object")
    version = document.get("iac-ddb-lint-baseline")
    if version != FORMAT_VERSION:
        raise fail(f'"iac-ddb-lint-baseline" must be {FORMAT_VERSION} (this version of '
                   f"iac-ddb-lint reads baseline format {FORMAT_VERSION}), not {version!r}",
                   *(("iac-ddb-lint-baseline",) if "iac-ddb-lint-baseline" in document else ()))
    for key in document:
        if key not in ("iac-ddb-lint-baseline", "paths", "findings"):
            raise fail(f"unknown key {key!r}", key, at_key=True)
    items = document.get("findings")
    if not isinstance(items, list):
        raise fail('"findings" must be a list', *(("findings",) if "findings" in document else ()))
    entries = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail("an entry is an object with " + ", ".join(_FIELDS), "findings", index)
        for key, value in item.items():
            if key not in _FIELDS:
                raise fail(f"unknown key {key!r} (an entry has {', '.join(_FIELDS)})",
                           "findings", index, key, at_key=True)
            if not isinstance(value, str):
                raise fail(f"{key!r} must be a string", "findings", index, key)
        missing = [name for name in _FIELDS if name not in item]
        if missing:
            raise fail(f"entry lacks {', '.join(missing)}", "findings", index)
        entries.append(Entry(**{name: item[name] for name in _FIELDS}))
    return entries


def _position(text: str, where: tuple[str | int, ...], at_key: bool = False
              ) -> tuple[int, int]:
    """1-based line and column of the value at `where` (keys and list indexes) in JSON `text`
    (of its last key, `at_key`), read with YAML's composer, which keeps positions (JSON is
    YAML's flow style)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return 1, 1
    for depth, step in enumerate(where, 1):
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            found = [(key, value) for key, value in node.value if key.value == step]
            if not found:
                break
            node = found[0][0] if at_key and depth == len(where) else found[0][1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step]
        else:
            break
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def apply(entries: list[Entry], findings: list[Finding], root: Path, base: Path,
          units: set[str] | None = None) -> Applied:
    """Hide the active findings the baseline lists (each entry hides one). `units`, when the
    run reported only some units (--changed-only), limits the stale entries to theirs."""
    left = Counter(entries)
    kept, hidden = [], 0
    for finding in findings:
        key = entry(finding, root, base)
        if not finding.suppressed and left[key] > 0:
            left[key] -= 1
            hidden += 1
        else:
            kept.append(finding)
    wanted = None if units is None else {_relative(unit, root, base) for unit in units}
    stale = sorted(item for item, count in left.items() for _ in range(count)
                   if wanted is None or item.unit in wanted)
    return Applied(kept, hidden, stale)
