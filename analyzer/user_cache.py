"""The per-user cache directory: derived data only (today the built HCL parser), never code.

An entry is plain JSON behind a one-line header that names what it was derived from and the
sha256 of its payload; `read_entry` returns None for anything that does not check out, so a
stale, corrupt or tampered entry just means doing the work again. The directory must be the
user's own and closed to others: a shared temporary directory is never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

_NAME = "iac-ddb-lint"
# Entries of earlier versions (pickles, parsed rule files): removed when a new entry is written.
_LEGACY = ("hcl2-parser-*.pickle", "hcl2-grammar.lark", "rule-*.json")


def cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/iac-ddb-lint` (default `~/.cache`), or None when it is not private."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # the XDG spec: a relative path is invalid and ignored
    directory = Path(base) / _NAME
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(directory)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return None  # a symlink or someone else's directory
        if info.st_mode & 0o077:
            os.chmod(directory, 0o700)
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows) - do without
        return None
    return directory


def _header_key(key: dict[str, str]) -> str:
    return json.dumps(key, sort_keys=True)


def read_entry(
    path: Path, key: dict[str, str], object_hook: Callable[[dict[str, Any]], object] | None = None
) -> object | None:
    """The payload of an entry written by `write_entry` with the same key, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            raw = handle.read()
    except (OSError, AttributeError):
        return None
    return parse_entry(raw, key, object_hook)


def parse_entry(
    raw: bytes, key: dict[str, str], object_hook: Callable[[dict[str, Any]], object] | None = None
) -> object | None:
    """The payload of entry bytes made with the same key, else None (wrong key, damaged)."""
    try:
        head, _, payload = raw.partition(b"\n")
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("key") != _header_key(key):
            return None
        if header.get("sha256") != hashlib.sha256(payload).hexdigest():
            return None
        data: object = json.loads(payload, object_hook=object_hook)
        return data
    except (ValueError, AttributeError, RecursionError):
        return None


def entry_bytes(key: dict[str, str], payload: object) -> bytes | None:
    """A header naming the key and the payload's sha256, a newline, the payload as JSON; None
    when the payload is not plain data."""
    try:
        body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):
        return None
    header = {"key": _header_key(key), "sha256": hashlib.sha256(body).hexdigest()}
    return json.dumps(header).encode("utf-8") + b"\n" + body


def write_entry(path: Path, key: dict[str, str], payload: object) -> None:
    """Writes atomically (a parallel run never reads half a file); failing to is no error."""
    data = entry_bytes(key, payload)
    if data is None:  # not plain data: leave it uncached
        return
    with contextlib.suppress(OSError):
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        try:
            os.replace(handle.name, path)
        finally:
            if os.path.exists(handle.name):
                os.unlink(handle.name)


def prune(directory: Path, pattern: str, keep: int) -> None:
    """Each install keys its own entries; keep only the most recently written, and drop the
    entries earlier versions left behind."""
    with contextlib.suppress(OSError):
        entries = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        stale = entries[keep:] + [old for legacy in _LEGACY for old in directory.glob(legacy)]
        for entry in stale:
            with contextlib.suppress(OSError):
                entry.unlink()
