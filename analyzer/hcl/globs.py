"""`fileset()` patterns (doublestar syntax, as Terraform uses it) to a matcher of relative paths.

`*` is any run of characters but `/` (dot files too), `?` one such character, `[...]` a class
(`[^...]` negated; `!` is an ordinary member), `{a,b}` alternatives, `\\` escapes, and a `**`
component any number of directories. Matching runs in RE2 (linear time): patterns are input.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from analyzer.hcl.values import Undecided
from analyzer.model import Unknown


@dataclass(frozen=True)
class Glob:
    """A compiled pattern: `matches` a path relative to fileset()'s directory; `may_enter`
    says whether a directory (relative, without a trailing `/`) can hold a match."""

    matches: Callable[[str], bool]
    literal: tuple[str, ...]  # the leading components without wildcards
    depth: int | None  # how many components a match has (None: any, with `**`)

    def may_enter(self, directory: str) -> bool:
        parts = directory.split("/")
        if self.depth is not None and len(parts) >= self.depth:
            return False
        return all(a == b for a, b in zip(parts, self.literal, strict=False))


def compile_glob(pattern: str) -> Glob:
    """Terraform joins the pattern to the directory, which cleans it."""
    from analyzer.hcl.regex_functions import _engine

    cleaned = posixpath.normpath(pattern) if pattern else "."
    if cleaned.startswith("/") or cleaned == ".." or cleaned.startswith("../"):
        raise Undecided(Unknown(f"fileset() pattern {pattern!r} leaves its directory: not "
                                "evaluated"))
    if cleaned == ".":
        return Glob(lambda _path: False, (), 0)
    components = cleaned.split("/")
    regex = ""
    for position, part in enumerate(components):
        last = position == len(components) - 1
        if part == "**":
            regex += ".*" if last else "(?:.*/)?"  # any directories (and, last, any file)
        else:
            regex += _component(part) + ("" if last else "/")
    try:
        re2, options = _engine()
        compiled = re2.compile(regex, options)
    except ImportError:
        raise Undecided(Unknown("fileset() needs the RE2 engine (google-re2)")) from None
    except Exception:
        raise Undecided(Unknown(f"fileset() pattern {pattern!r} is not evaluated")) from None
    depth = None if "**" in components else len(components)
    literal: list[str] = []
    for part in components[:-1]:
        if any(char in part for char in "*?[{\\"):
            break
        literal.append(part)
    return Glob(lambda path: compiled.fullmatch(path) is not None, tuple(literal), depth)


def _component(part: str) -> str:
    out: list[str] = []
    pos = 0
    depth = 0  # inside {...}
    while pos < len(part):
        char = part[pos]
        pos += 1
        if char == "\\" and pos < len(part):
            out.append(_escape(part[pos]))
            pos += 1
        elif char == "*":
            while pos < len(part) and part[pos] == "*":
                pos += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = part.find("]", pos + 1)
            if end < 0:
                raise Undecided(Unknown(f"fileset() pattern class in {part!r} is not closed"))
            body = part[pos:end]
            pos = end + 1
            negate = body[:1] == "^"  # `[!...]` is a class holding "!" to Terraform's doublestar
            body = body[1:] if negate else body
            out.append("[" + ("^/" if negate else "") + body.replace("\\", "\\\\") + "]")
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char == "}" and depth:
            depth -= 1
            out.append(")")
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(_escape(char))
    if depth:
        raise Undecided(Unknown(f"fileset() pattern {part!r} has an unclosed {{"))
    return "".join(out)


def _escape(char: str) -> str:
    return "\\" + char if char in ".^$*+?()[]{}|\\-/" else char
