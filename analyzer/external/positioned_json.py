"""JSON with the position of every value, for errors that name `file:line:col`.

An exchange file comes from another repository and may be hostile: the text is capped before it
is read, nesting is bounded (the standard library's recursion would raise on `[[[[...`), a key
given twice is refused (which one counts would be a guess), and `NaN`/`Infinity` are not JSON.
Scalars are decoded by the standard library; objects and arrays here, so that each value's
position is known by its path (`("selections", 3, "region")`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass

MAX_DEPTH = 32  # the exchange format nests about 6 deep
Path = tuple[str | int, ...]
_WHITESPACE = " \t\n\r"
_SCALAR = json.JSONDecoder(parse_constant=lambda name: _refuse_constant(name))


class JsonError(ValueError):
    """Unreadable JSON at a 1-based line and column."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value")


@dataclass(frozen=True)
class Positioned:
    """A decoded document and where each of its values starts."""

    value: object
    positions: dict[Path, tuple[int, int]]

    def at(self, path: Path) -> tuple[int, int]:
        """The position of the value at `path`, else of its nearest enclosing value."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


def parse(text: str) -> Positioned:
    """Decode `text` (one JSON value); JsonError names the first problem's position."""
    parser = _Parser(text)
    value = parser.value(0, ())
    parser.skip()
    if parser.i < len(text):
        raise parser.error("extra data after the JSON value")
    return Positioned(value, parser.positions)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.positions: dict[Path, tuple[int, int]] = {}
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def error(self, message: str, at: int | None = None) -> JsonError:
        return JsonError(message, *self._line_col(self.i if at is None else at))

    def skip(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in _WHITESPACE:
            self.i += 1

    def value(self, depth: int, path: Path) -> object:
        self.skip()
        if depth > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep")
        self.positions[path] = self._line_col(self.i)
        char = self.text[self.i : self.i + 1]
        if char == "{":
            return self._object(depth, path)
        if char == "[":
            return self._array(depth, path)
        if not char:
            raise self.error("expected a value, found the end of the file")
        try:
            value, end = _SCALAR.raw_decode(self.text, self.i)
        except json.JSONDecodeError as exc:
            raise self.error(exc.msg, exc.pos) from None
        except ValueError as exc:  # NaN, Infinity
            raise self.error(str(exc)) from None
        self.i = end
        return value

    def _object(self, depth: int, path: Path) -> dict[str, object]:
        out: dict[str, object] = {}
        self.i += 1
        self.skip()
        if self.text.startswith("}", self.i):
            self.i += 1
            return out
        while True:
            self.skip()
            start = self.i
            if not self.text.startswith('"', self.i):
                raise self.error("expected a key in double quotes")
            key = self._key()
            if key in out:
                raise self.error(f'key "{key}" is given twice', start)
            self.skip()
            if not self.text.startswith(":", self.i):
                raise self.error("expected ':' after the key")
            self.i += 1
            out[key] = self.value(depth + 1, (*path, key))
            if self._close("}"):
                return out

    def _key(self) -> str:
        try:
            key, self.i = _SCALAR.raw_decode(self.text, self.i)
        except json.JSONDecodeError as exc:
            raise self.error(exc.msg, exc.pos) from None
        assert isinstance(key, str)  # it starts with a double quote
        return key

    def _array(self, depth: int, path: Path) -> list[object]:
        out: list[object] = []
        self.i += 1
        self.skip()
        if self.text.startswith("]", self.i):
            self.i += 1
            return out
        while True:
            out.append(self.value(depth + 1, (*path, len(out))))
            if self._close("]"):
                return out

    def _close(self, bracket: str) -> bool:
        """After an item: True at the closing bracket, False after a comma."""
        self.skip()
        char = self.text[self.i : self.i + 1]
        self.i += 1
        if char == bracket:
            return True
        if char == ",":
            return False
        self.i -= 1
        raise self.error(f"expected ',' or '{bracket}'")

    def _line_col(self, where: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, where)
        return line, where - self.line_starts[line - 1] + 1
