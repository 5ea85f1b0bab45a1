"""Helpers shared by the formats CI systems read (SARIF, GitHub, GitLab, JUnit, Markdown).

CI tools want paths relative to the repository, and the repository is the working directory of
a CI job or a pre-commit hook. Every format prints paths from the working directory (see
`analyzer.report.display_prefix`); `repo_path` joins a scan-root path to that prefix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from analyzer.model import Evidence, Finding, Tri, Verdict
from analyzer.report import finding_name, located, resource_name, unit_note

if TYPE_CHECKING:
    from analyzer.pipeline import ScanResult


def root_prefix(result: ScanResult) -> str:
    """The scan root relative to the working directory, `/`-separated: "" when they are the
    same, and also when the root lies outside the working directory (see `root_inside_cwd`).
    SARIF's: its URIs stay relative, to a `%SRCROOT%` it declares when it is not the cwd."""
    relative = _relative_root(result)
    return "" if relative is None or relative == "." else relative


def root_inside_cwd(result: ScanResult) -> bool:
    return _relative_root(result) is not None


def _relative_root(result: ScanResult) -> str | None:
    try:
        relative = Path(result.root).resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return None
    return PurePosixPath(*relative.parts).as_posix() if relative.parts else "."


def repo_path(prefix: str, file: str) -> str:
    """`file` (relative to the scan root) under `prefix` (`display_prefix`)."""
    return located(prefix, file)


def fingerprints(keys: Iterable[tuple[str, ...]]) -> list[str]:
    """One stable hex digest per key, in order. The keys leave line numbers out, so a finding
    keeps its print when unrelated lines move; a key that repeats gets an occurrence number so
    that every print in one report is unique (GitLab merges issues with equal prints)."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for key in keys:
        count = seen.get(key, 0)
        seen[key] = count + 1
        parts = (*key, str(count)) if count else key
        out.append(hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest())
    return out


def finding_key(finding: Finding, path: str) -> tuple[str, ...]:
    """What identifies a finding across runs: rule, resource and file, and the unit when the
    file does not tell it (a module shared by two roots); never the line."""
    note = unit_note(finding.unit, finding.location.file)
    return (finding.rule_id, finding.resource, path, *((note,) if note else ()))


def finding_title(finding: Finding) -> str:
    return f"{finding.rule_id} {finding_name(finding)}"


def protection(verdict: Verdict, prefix: str = "") -> str:
    """How a table is protected, in a few words: "PITR", "AWS Backup selection X (file:line)",
    "none", or what is undecided."""
    wanted = {"protected": Tri.YES, "unknown": Tri.UNKNOWN}.get(verdict.status.value)
    if wanted is None:
        return "none"
    items = [_evidence_text(ev, prefix) for ev in verdict.evidence if ev.applies is wanted]
    if not items:
        return "unknown" if wanted is Tri.UNKNOWN else "protected"
    return "; ".join(items) if wanted is Tri.YES else "unknown: " + "; ".join(items)


_KIND = {"pitr": "PITR", "backup_selection": "AWS Backup", "backup_policy": "backup policy"}


def _evidence_text(evidence: Evidence, prefix: str) -> str:
    label = _KIND.get(evidence.kind, evidence.kind)
    if evidence.kind == "pitr":
        return label if evidence.applies is Tri.YES else f"{label}: {evidence.message}"
    where = ""
    if evidence.location:
        where = f" ({repo_path(prefix, evidence.location.file)}:{evidence.location.line})"
    source = "" if evidence.sums_up() else f" {evidence.source}"
    if evidence.applies is Tri.YES:
        return f"{label}{source}{where}"
    return f"{label}{source}: {evidence.message}{where}"


def table_name(verdict: Verdict) -> str:
    """The table's address, with the name a user knows (a CDK path) and a replica's Region."""
    table = verdict.table
    label = f" ({table.label})" if table.label else ""
    region = f" (replica in {table.replica_region})" if table.replica_region else ""
    name = resource_name(table.address, table.unit, table.location.file)
    return f"{name}{label}{region}"


def start_line(line: int) -> int:
    """CI formats count lines from 1; a location without a line points at the file's start."""
    return max(line, 1)
