"""Other IaC directories of the repository a run left out (issue 14 item 11).

`iac-ddb-lint examples/app` finds the tables but not the central backup configuration in
`examples/backup`, and reports them "not protected". The verdict is right for what was read; the
user may not know what was not. When a run judges a table it does not find protected and read
no backup selection at all, a cheap, bounded walk of the git work tree holding the PATHs names a
few directories with Terraform files or CloudFormation templates outside the scanned paths.
Hidden directories and dependency trees are skipped; the walk stops after MAX_DIRS directories
and MAX_PEEKS file peeks, so a huge repository costs a bounded moment. Nothing found is read
as configuration: the hint is a warning, never a verdict.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.model import Status

if TYPE_CHECKING:
    from analyzer.pipeline import ScanResult

MAX_DIRS = 2000
MAX_DEPTH = 8
MAX_PEEKS = 200  # YAML/JSON files opened to see whether they are templates
PEEK_BYTES = 4096
SHOWN = 3
SKIPPED = frozenset({"node_modules", "vendor", "__pycache__", "venv", "site-packages",
                     "target", "dist"})
_TEMPLATE_MARKS = (b"AWSTemplateFormatVersion", b"AWS::Serverless", b"AWS::DynamoDB::",
                   b"AWS::Backup::")


def unscanned_hint(paths: list[str], result: ScanResult) -> list[str]:
    """The warning (at most one), or nothing when it does not apply."""
    if result.inventory.selections or all(
            v.status is Status.PROTECTED for v in result.verdicts):
        return []  # no table judged, or a selection was read: nothing to hint at
    roots = {_git_root(Path(p)) for p in paths if os.path.exists(p)}
    scanned = [os.path.realpath(p if os.path.isdir(p) else os.path.dirname(p) or ".")
               for p in paths if os.path.exists(p)]
    found: list[str] = []
    for root in sorted(r for r in roots if r is not None):
        found += [d for d in _iac_dirs(root) if not _under_any(d, scanned)]
    if not found:
        return []
    # A directory named for backups first, then the shallowest: the likeliest central roots.
    shown = sorted({Path(os.path.relpath(d)).as_posix() for d in found},
                   key=lambda d: ("backup" not in d.lower(), d.count("/"), d))
    names = shown[:SHOWN]
    more = f" and {len(shown) - SHOWN} more" if len(shown) > SHOWN else ""
    return ["no backup selection was found in the scanned paths; other IaC directories in this "
            f"repository were not scanned: {', '.join(names)}{more}; scan them too if they hold "
            "the backups"]


def _git_root(path: Path) -> str | None:
    start = Path(os.path.realpath(path))
    start = start if start.is_dir() else start.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None  # not in a git work tree: no repository to speak of


def _under_any(directory: str, scanned: list[str]) -> bool:
    return any(directory == s or directory.startswith(s.rstrip(os.sep) + os.sep)
               for s in scanned)


def _iac_dirs(root: str) -> list[str]:
    """Directories under `root` (breadth first, sorted) holding .tf files or templates."""
    out: list[str] = []
    pending: deque[tuple[str, int]] = deque([(root, 0)])
    visited, peeks = 0, [MAX_PEEKS]
    while pending and visited < MAX_DIRS:
        directory, depth = pending.popleft()
        visited += 1
        try:
            with os.scandir(directory) as entries:
                items = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        if any(_is_iac(e, peeks) for e in items):
            out.append(directory)
        if depth < MAX_DEPTH:
            pending.extend((e.path, depth + 1) for e in items
                           if _is_dir(e) and not e.name.startswith(".")
                           and e.name not in SKIPPED)
    return out


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)  # a link may lead anywhere, even a loop
    except OSError:
        return False


def _is_iac(entry: os.DirEntry[str], peeks: list[int]) -> bool:
    name = entry.name
    try:
        if not entry.is_file(follow_symlinks=False):
            return False
    except OSError:
        return False
    if name.endswith((".tf", ".tf.json")):
        return True
    if not name.endswith((".yaml", ".yml", ".json", ".template")) or peeks[0] <= 0:
        return False
    peeks[0] -= 1
    try:
        with open(entry.path, "rb") as handle:
            head = handle.read(PEEK_BYTES)
    except OSError:
        return False
    return any(mark in head for mark in _TEMPLATE_MARKS)
