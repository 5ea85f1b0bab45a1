"""Terraform's file functions (`file`, `fileexists`, `fileset`, `filebase64`, the file hashes),
with the functions that need their call site: `templatefile` and `templatestring` (see
template_functions).

HCL is a language: it does not read files itself. The loader that evaluates an expression puts a
`FileAccess` in its scope under `FILE_ACCESS` (a key no HCL name can spell); it decides what may
be read (the Terraform loader: files inside the repository, size-capped, links resolved; see
terraform.file_access). A scope without one makes every file function unknown.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from analyzer.hcl.budget import MAX_TEXT_CHARS, check_elements, check_text
from analyzer.hcl.globs import Glob, compile_glob
from analyzer.hcl.syntax_tree import Tree
from analyzer.hcl.templates import Evaluator
from analyzer.hcl.values import EvalError, SetValue, Undecided, Value, need_text
from analyzer.model import Unknown

FILE_ACCESS = "\x00file access"  # the scope key of the FileAccess (not an HCL identifier)
# The scope key of functions a host language adds (Terragrunt's `find_in_parent_folders()`):
# name -> (implementation taking the CallSite first, min args, max args). HCL itself knows none.
HOST_FUNCTIONS = "\x00host functions"
MAX_FILE_BYTES = MAX_TEXT_CHARS  # a larger file is not read: its text would be unknown anyway


class FileAccess(Protocol):
    """What the file functions may see. Paths are as written (relative to Terraform's working
    directory, the root module). Each method raises `Undecided` for a path it may not read
    (outside the repository, too large, ...) and `EvalError` where Terraform reports an error."""

    def read(self, path: str) -> bytes: ...

    def exists(self, path: str) -> bool: ...

    def glob(self, path: str, pattern: Glob) -> list[str]:
        """Regular files under `path` whose path relative to it (with `/`) the pattern
        matches, looking only into the directories it `may_enter`."""
        ...


@dataclass
class CallSite:
    """What a function that needs more than its argument values sees of its call."""

    name: str
    args: list[Tree]
    scope: Mapping[str, Value]
    ev: Evaluator

    def access(self) -> FileAccess:
        try:
            found = self.scope[FILE_ACCESS]
        except KeyError:
            found = None
        if found is None:
            raise Undecided(Unknown(f"{self.name}() reads files, which are not available here"))
        return found  # type: ignore[no-any-return]


# name -> (implementation taking the CallSite first, min args, max args)
SCOPED: dict[str, tuple[Callable[..., Value], int, int | None]] = {}


def scoped(name: str, min_args: int, max_args: int | None = -1) -> Callable[
        [Callable[..., Value]], Callable[..., Value]]:
    def register(impl: Callable[..., Value]) -> Callable[..., Value]:
        SCOPED[name] = (impl, min_args, min_args if max_args == -1 else max_args)
        return impl

    return register


def read_text(site: CallSite, path: Value) -> str:
    """A file's text, as `file()` reads it (UTF-8, an error otherwise)."""
    where = need_text(path, "a file path")
    data = site.access().read(where)
    check_text(len(data), f"the file {where}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError(f"the contents of {where} are not valid UTF-8; use filebase64() to "
                        "read binary files") from None


@scoped("file", 1)
def _file(site: CallSite, path: Value) -> str:
    return read_text(site, path)


@scoped("fileexists", 1)
def _fileexists(site: CallSite, path: Value) -> bool:
    return site.access().exists(need_text(path, "a file path"))


def _bytes(site: CallSite, path: Value) -> bytes:
    return site.access().read(need_text(path, "a file path"))


@scoped("filebase64", 1)
def _filebase64(site: CallSite, path: Value) -> str:
    data = _bytes(site, path)
    check_text(len(data) * 4 // 3 + 4, "the result of filebase64()")
    return base64.b64encode(data).decode("ascii")


def _hash_function(name: str, algorithm: str, encode: Callable[[bytes], str]) -> None:
    scoped(name, 1)(lambda site, path: encode(hashlib.new(algorithm, _bytes(site, path)).digest()))


for _name, _algorithm in (("md5", "md5"), ("sha1", "sha1"), ("sha256", "sha256"),
                          ("sha512", "sha512")):
    _hash_function(f"file{_name}", _algorithm, bytes.hex)
for _name in ("sha256", "sha512"):
    _hash_function(f"filebase64{_name}", _name, lambda d: base64.b64encode(d).decode("ascii"))


@scoped("fileset", 2)
def _fileset(site: CallSite, path: Value, pattern: Value) -> list[str]:
    base, glob = need_text(path, "a directory path"), need_text(pattern, "a glob pattern")
    found = sorted(site.access().glob(base, compile_glob(glob)))
    check_elements(len(found), "the result of fileset()")
    return SetValue(found)  # a set of strings: sorted by code point
