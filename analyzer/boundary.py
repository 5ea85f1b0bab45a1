"""The repository boundary: what a scan may read (issue 15).

A scan of a fork's pull request must read nothing outside the repository: not through a
directory link to `/`, a `leak.auto.tfvars` linked to a secret, a module `source = "../../.."`,
a nested stack's absolute `TemplateURL`. The boundary is the git work tree holding each PATH,
else the PATH itself (its directory, for a file). Links and paths inside it are fine; anything
that resolves outside is not read, and the error says why. Only regular files are read (a FIFO
or a device named `x.tf` would hang or never end), and at most MAX_FILE_BYTES of them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 50 * 1024 * 1024  # far above any real configuration or template

_ROOTS: tuple[str, ...] = ()


_TRUSTED: frozenset[str] = frozenset()


@contextmanager
def scope(paths: Sequence[str], trusted: Sequence[str] = ()) -> Iterator[None]:
    """Within it, reads are confined to the repositories of `paths` (one scan). `trusted` are
    files the user named on the command line outside every repository (`--var-file
    /etc/ci/prod.tfvars`): the user chose them, the repository did not."""
    global _ROOTS, _TRUSTED
    saved = _ROOTS, _TRUSTED
    _ROOTS = tuple(sorted({_repository(Path(p)) for p in paths if os.path.exists(p)}))
    _TRUSTED = frozenset(os.path.realpath(p) for p in trusted if not _within(os.path.abspath(p)))
    try:
        yield
    finally:
        _ROOTS, _TRUSTED = saved


def _repository(path: Path) -> str:
    start = Path(os.path.realpath(path))
    start = start if start.is_dir() else start.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return str(start)


def inside(path: Path | str) -> bool:
    """Does `path`, with every link resolved, lie inside the boundary? (Everything does when no
    boundary is set: a library call that read no PATH.)"""
    if not _ROOTS:
        return True
    real = os.path.realpath(path)
    return _within(real) or real in _TRUSTED


def _within(real: str) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in _ROOTS)


def outside_reason(path: Path | str, shown: str | None = None) -> str:
    return (f"{shown or path} leads outside the repository (to {os.path.realpath(path)}), so it "
            "is not read")


@contextmanager
def open_regular(path: Path | str) -> Iterator[BinaryIO]:
    """A regular file inside the boundary, opened for reading. Raises OSError with a message a
    user understands: outside the repository, not a regular file (PermissionError as is)."""
    if not inside(path):
        raise OSError("it leads outside the repository (to "
                      f"{os.path.realpath(path)}), so it is not read")
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what it is.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError("not a regular file, so it is not read")
        yield handle


def read_bytes(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file inside the boundary (see `open_regular`); OSError when it
    is larger than `limit`."""
    with open_regular(path) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise OSError(f"larger than {limit // (1024 * 1024)} MiB, so it is not read")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"larger than {limit // (1024 * 1024)} MiB, so it is not read")
    return data


def read_text(path: Path | str, limit: int = MAX_FILE_BYTES) -> str:
    """`read_bytes` decoded as UTF-8 (a BOM is fine); UnicodeDecodeError for anything else."""
    return read_bytes(path, limit).decode("utf-8-sig")
