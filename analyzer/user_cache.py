"""The per-user cache directory: derived data only (a built parser, parsed rule files), always
keyed by what it was derived from, so a stale or missing entry just means doing the work again."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "iac-ddb-lint"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return directory


def file_key(*paths: Path, extra: str = "") -> str:
    """A short digest of files' identities (path, size, modification time)."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def write_atomically(path: Path, data: bytes) -> None:
    """A parallel run never reads half a file; a cache that cannot be written is no error."""
    with contextlib.suppress(OSError):
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        try:
            os.replace(handle.name, path)
        finally:
            if os.path.exists(handle.name):
                os.unlink(handle.name)


def prune(directory: Path, pattern: str, keep: int) -> None:
    """Each install or checkout keys its own entries; keep only the most recently written."""
    with contextlib.suppress(OSError):
        entries = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in entries[keep:]:
            stale.unlink()
