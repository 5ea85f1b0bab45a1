"""The line of each key in a TOML document, for errors that name `file:line`.

tomllib returns values without positions, so the lines are found here, by reading the document
line by line as TOML is laid out: a table header (`[a.b]`, `[[a.b]]`) opens a table, and a line
starting with a (dotted, possibly quoted) key and `=` assigns it within the table open there.
A key path is a tuple of names; an element of an array of tables is addressed by its index
(`("tool", "iac-ddb-lint", "external-selection", 0, "tag")`). A key this reading cannot place
(inside an inline table, say) takes the line of the nearest enclosing key it can place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

KeyPath = tuple[str | int, ...]

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_PATH = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_ARRAY_HEADER = re.compile(rf"[ \t]*\[\[[ \t]*({_PATH})[ \t]*\]\]")
_HEADER = re.compile(rf"[ \t]*\[[ \t]*({_PATH})[ \t]*\]")
_ASSIGNMENT = re.compile(rf"[ \t]*({_PATH})[ \t]*=")
_MULTILINE_QUOTES = ('"""', "'''")


def key_lines(text: str, split_key: Callable[[str], tuple[str, ...]]) -> dict[KeyPath, int]:
    """The 1-based line of every table header and key assignment of `text`. `split_key` turns
    the text of a dotted key into its names (the TOML parser does it, quotes and escapes
    included)."""
    lines: dict[KeyPath, int] = {}
    elements: dict[KeyPath, int] = {}  # array-of-tables path: how many elements so far
    table: KeyPath = ()
    open_quote = ""  # inside a multi-line string that began on an earlier line
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote:
            if line.count(open_quote) % 2:
                open_quote = ""
            continue
        if match := _ARRAY_HEADER.match(line):
            path = _indexed(_names(match.group(1), split_key), elements)
            elements[path] = elements.get(path, 0) + 1
            lines.setdefault(path, number)
            table = (*path, elements[path] - 1)
            lines.setdefault(table, number)
        elif match := _HEADER.match(line):
            table = _indexed(_names(match.group(1), split_key), elements)
            lines.setdefault(table, number)
        elif match := _ASSIGNMENT.match(line):
            lines.setdefault((*table, *_names(match.group(1), split_key)), number)
        open_quote = next((q for q in _MULTILINE_QUOTES if line.count(q) % 2), "")
    return lines


def line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int:
    """The line of `path`, else of the nearest enclosing key found, else 1."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


def _names(key: str, split_key: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    try:
        return split_key(key)
    except ValueError:  # not a key after all (a line of a multi-line value): no names
        return ("\0",)


def _indexed(path: tuple[str, ...], elements: Mapping[KeyPath, int]) -> KeyPath:
    """`path` with the current element's index after each array of tables it passes through:
    `[a.b]` after `[[a]]` is a table of the last element of `a`."""
    indexed: KeyPath = ()
    for name in path:
        indexed = (*indexed, name)
        if indexed in elements and indexed != path:
            indexed = (*indexed, elements[indexed] - 1)
    return indexed
