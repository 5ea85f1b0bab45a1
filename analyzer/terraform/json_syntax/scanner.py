"""A strict JSON reader that keeps what `json.loads` throws away: the line and column of every key
and value, and repeated keys (Terraform's JSON syntax gives repeated block keys a meaning and calls
repeated arguments an error, so the caller must see both)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from json.decoder import JSONDecodeError, scanstring  # type: ignore[attr-defined]
from typing import TypeVar

from analyzer.hcl.parse import MAX_LITERAL_CHARS, HclSyntaxError

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERALS: dict[str, bool | None] = {"true": True, "false": False, "null": None}
# Deep enough for any real configuration, shallow enough for Python's recursion limit.
_MAX_DEPTH = 400


@dataclass
class JScalar:
    value: str | int | float | bool | None
    text: str  # the source text of a number (kept exact: HCL reads it again)
    line: int
    col: int


@dataclass
class JMember:
    key: str
    line: int
    col: int
    value: JValue


@dataclass
class JObject:
    line: int
    col: int
    end_line: int = 0
    members: list[JMember] = field(default_factory=list)


@dataclass
class JArray:
    line: int
    col: int
    end_line: int = 0
    items: list[JValue] = field(default_factory=list)


JValue = JScalar | JObject | JArray
_Container = TypeVar("_Container", JObject, JArray)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    def fail(self, message: str, pos: int | None = None) -> HclSyntaxError:
        line, col = self.where(self.pos if pos is None else pos)
        return HclSyntaxError(line, col, message)

    def skip(self) -> str:
        """Skip whitespace; the next character, or "" at the end."""
        match = _WHITESPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str, what: str) -> None:
        if self.skip() != char:
            raise self.fail(f"expected {what}, found {self._found()}")
        self.pos += 1

    def _found(self) -> str:
        char = self.text[self.pos : self.pos + 1]
        return repr(char) if char else "end of file"

    def value(self, depth: int) -> JValue:
        char = self.skip()
        if depth > _MAX_DEPTH:
            raise self.fail("JSON nested too deeply")
        if char == "{":
            return self.object(depth)
        if char == "[":
            return self.array(depth)
        line, col = self.where(self.pos)
        if char == '"':
            return JScalar(self.string(), "", line, col)
        match = _NUMBER.match(self.text, self.pos)
        if match and match.group():
            self.pos = match.end()
            text = match.group()
            if len(text) > 4000:  # Python converts no longer integer (and none is real)
                raise self.fail(f"a number of {len(text)} digits is too long")
            number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
            return JScalar(number, text, line, col)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return JScalar(literal, word, line, col)
        raise self.fail(f"expected a JSON value, found {self._found()}")

    def string(self) -> str:
        start = self.pos
        try:
            text: str
            text, self.pos = scanstring(self.text, self.pos + 1, True)
        except JSONDecodeError as exc:
            raise self.fail(f"invalid string: {exc.msg}", exc.pos) from None
        except ValueError:  # pragma: no cover - scanstring's own argument checks
            raise self.fail("invalid string", start) from None
        if len(text) > MAX_LITERAL_CHARS:  # the work budget native syntax has (hcl.parse)
            raise self.fail(f"a string literal of {len(text)} characters, longer than the "
                            f"{MAX_LITERAL_CHARS} this analyzer reads", start)
        return text

    def object(self, depth: int) -> JObject:
        line, col = self.where(self.pos)
        node = JObject(line, col)
        self.pos += 1
        if self.skip() == "}":
            return self._close(node)
        while True:
            if self.skip() != '"':
                raise self.fail(f"expected a property name in double quotes, found {self._found()}")
            key_line, key_col = self.where(self.pos)
            key = self.string()
            self.expect(":", "':' after a property name")
            node.members.append(JMember(key, key_line, key_col, self.value(depth + 1)))
            char = self.skip()
            if char == "}":
                return self._close(node)
            self.expect(",", "',' or '}' after a property value")
            if self.skip() == "}":
                raise self.fail("trailing comma in object")

    def array(self, depth: int) -> JArray:
        line, col = self.where(self.pos)
        node = JArray(line, col)
        self.pos += 1
        if self.skip() == "]":
            return self._close(node)
        while True:
            node.items.append(self.value(depth + 1))
            if self.skip() == "]":
                return self._close(node)
            self.expect(",", "',' or ']' after an array element")
            if self.skip() == "]":
                raise self.fail("trailing comma in array")

    def _close(self, node: _Container) -> _Container:
        node.end_line = self.where(self.pos)[0]
        self.pos += 1
        return node


def scan_json(text: str) -> JValue:
    """The JSON document in `text`; HclSyntaxError(line, col, message) when it is not JSON."""
    scanner = _Scanner(text)
    root = scanner.value(0)
    if scanner.skip():
        raise scanner.fail(f"unexpected {scanner._found()} after the JSON value")
    return root
