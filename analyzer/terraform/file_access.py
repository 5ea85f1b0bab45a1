"""What Terraform's file functions may read during a scan: files inside the repository only.

Terraform resolves a relative path against its working directory, the root module (which is
why configurations write `"${path.module}/x.json"`), after cleaning it lexically. Here the
cleaned path, every link resolved, must stay inside the repository boundary (analyzer.boundary,
and the repository of the root module) and name a regular file of at most hcl's
MAX_FILE_BYTES; anything else is unknown and never read: a path out of the tree, a link out of
it, `~`, a FIFO, a file too large. A file that does not exist is Terraform's error (which
`try()`/`can()` catch), exactly as when Terraform plans the same checkout.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from analyzer import boundary
from analyzer.hcl.budget import spend
from analyzer.hcl.file_functions import MAX_FILE_BYTES
from analyzer.hcl.globs import Glob
from analyzer.hcl.values import EvalError, Undecided
from analyzer.model import Unknown

_BYTES_PER_STEP = 64


class RepositoryFiles:
    """The FileAccess of one root module (see analyzer.hcl.file_functions)."""

    def __init__(self, working_dir: Path, scan_root: Path | None = None) -> None:
        """`working_dir`: the root module's directory; `scan_root`: the scanned path, whose
        repository bounds the reads even where no boundary scope is set (a library call)."""
        self.working_dir = os.path.abspath(working_dir)
        self.repository = _repository(os.path.abspath(scan_root or working_dir))
        self._read: dict[str, bytes] = {}  # by real path: a config read by every instance

    def _locate(self, path: str) -> str:
        """The real path a file function's argument names, if it may be looked at."""
        if path.startswith("~"):
            raise Undecided(Unknown(f"{path} is in the home directory of whoever runs Terraform, "
                                    "so it is not read"))
        if "\x00" in path:
            raise EvalError(f"{path!r} is not a usable path")
        lexical = os.path.normpath(os.path.join(self.working_dir, path))
        real = os.path.realpath(lexical)
        if not (boundary.inside(real) and _within(real, self.repository)):
            raise Undecided(Unknown(f"{path} leads outside the repository (to {real}), so it is "
                                    "not read"))
        return real

    def read(self, path: str) -> bytes:
        real = self._locate(path)
        if real in self._read:
            return self._read[real]
        if os.path.isdir(real):
            raise EvalError(f"{path} is a directory, not a file")
        try:
            data = boundary.read_bytes(real, MAX_FILE_BYTES)
        except FileNotFoundError:
            raise EvalError(f'no file exists at "{path}"') from None
        except OSError as error:
            raise Undecided(Unknown(f"{path} is not read: {error.strerror or error}")) from None
        spend(1 + len(data) // _BYTES_PER_STEP)  # reading is work: a root reads boundedly much
        self._read[real] = data
        return data

    def exists(self, path: str) -> bool:
        real = self._locate(path)
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            return False
        except OSError as error:
            raise Undecided(Unknown(f"{path} cannot be looked at: {error.strerror}")) from None
        if stat.S_ISDIR(mode):
            raise EvalError(f"{path} is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise Undecided(Unknown(f"{path} is not a regular file"))
        return True

    def glob(self, path: str, pattern: Glob) -> list[str]:
        base = self._locate(path)
        if not os.path.isdir(base):
            return []
        found: list[str] = []
        pending: list[tuple[str, str]] = [(base, "")]
        while pending:
            directory, prefix = pending.pop()
            for entry in _entries(directory, path):
                spend()
                relative = prefix + entry.name
                if entry.is_symlink():  # Terraform follows links; they may lead anywhere
                    if pattern.matches(relative) or pattern.may_enter(relative):
                        raise Undecided(Unknown(f"fileset({path!r}) meets the link {relative}, "
                                                "which is not followed"))
                elif entry.is_dir(follow_symlinks=False):
                    if pattern.may_enter(relative):
                        pending.append((entry.path, relative + "/"))
                elif entry.is_file(follow_symlinks=False) and pattern.matches(relative):
                    found.append(relative)
        return found


def _entries(directory: str, shown: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return []
        raise Undecided(Unknown(f"fileset({shown!r}) cannot list {directory}: "
                                f"{error.strerror}")) from None


def _repository(start: str) -> str:
    """The git work tree holding `start`, else `start` itself (as analyzer.boundary has it for
    a scanned path)."""
    real = Path(os.path.realpath(start))
    for candidate in (real, *real.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return str(real)


def _within(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)
