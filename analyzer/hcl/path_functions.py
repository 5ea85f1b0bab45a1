"""Terraform's path functions on Unix, as Go's path/filepath does them. What depends on the
machine that runs Terraform (its working directory, its home directory) is unknown."""

from __future__ import annotations

import posixpath

from analyzer.hcl.values import EvalError, Undecided, Value, function, need_text
from analyzer.model import Unknown


def go_clean(path: str) -> str:
    """Go's filepath.Clean: POSIX's normpath, without its special case for a leading `//`."""
    cleaned = posixpath.normpath(path) if path else "."
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


@function("basename", 1)
def _basename(value: Value) -> str:
    path = need_text(value)
    if path == "":
        return "."
    path = path.rstrip("/")
    return "/" if path == "" else path.rsplit("/", 1)[-1]


@function("dirname", 1)
def _dirname(value: Value) -> str:
    path = need_text(value)
    return go_clean(path[: path.rfind("/") + 1])


@function("abspath", 1)
def _abspath(value: Value) -> str:
    path = need_text(value)
    if not path.startswith("/"):
        raise Undecided(Unknown(f"abspath({path!r}) depends on the directory Terraform runs in"))
    return go_clean(path)


@function("pathexpand", 1)
def _pathexpand(value: Value) -> str:
    path = need_text(value)
    if not path.startswith("~"):
        return path
    if len(path) > 1 and path[1] not in "/\\":
        raise EvalError("cannot expand user-specific home dir")
    raise Undecided(Unknown(f"pathexpand({path!r}) depends on who runs Terraform"))
