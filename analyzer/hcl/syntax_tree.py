"""The syntax tree every HCL reader walks: `Tree`, `Token` and `Meta`, shaped as Lark's.

Lark (with python-hcl2's grammar) parses; its tree is turned into these classes once
(`from_lark`), and the user cache of parsed files (`tree_cache`) decodes straight into them. So a
warm run, whose files all come from the cache, never imports Lark: importing it costs more than
the rest of a small run's evaluation (issue 13, start-up).

The classes keep the behaviour of Lark's that the readers rely on: `Token` is a `str` with the
token type and the six positions, equal to a plain string of the same text and unequal to a
token of another type; `Tree` compares and hashes by rule name and children; `meta` is empty
(no position attributes at all) until positions are set, as `getattr(meta, "line", default)`
expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Union


class Meta:
    """A tree's positions: `line`, `column`, `end_line`, `end_column`, `start_pos`, `end_pos`
    (1-based lines and columns, 0-based character offsets), set only when known."""

    line: int
    column: int
    end_line: int
    end_column: int
    start_pos: int
    end_pos: int

    def __init__(self) -> None:
        self.empty = True


class Token(str):
    """A terminal of the grammar: its text, its type, and where it is."""

    __slots__ = (
        "column",
        "end_column",
        "end_line",
        "end_pos",
        "line",
        "start_pos",
        "type",
        "value",
    )
    __match_args__ = ("type", "value")

    type: str
    start_pos: int | None
    value: Any
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    end_pos: int | None

    def __new__(cls, type: str, value: Any, start_pos: int | None = None,
                line: int | None = None, column: int | None = None,
                end_line: int | None = None, end_column: int | None = None,
                end_pos: int | None = None) -> Token:
        token = str.__new__(cls, value)
        token.type, token.value, token.start_pos = type, value, start_pos
        token.line, token.column = line, column
        token.end_line, token.end_column, token.end_pos = end_line, end_column, end_pos
        return token

    def update(self, type: str | None = None, value: Any = None) -> Token:
        """A token with another type or text at the same position."""
        return Token(self.type if type is None else type, self.value if value is None else value,
                     self.start_pos, self.line, self.column, self.end_line, self.end_column,
                     self.end_pos)

    def __reduce__(self) -> tuple[Any, ...]:  # parsing workers send tokens back pickled
        return (Token, (self.type, self.value, self.start_pos, self.line, self.column,
                        self.end_line, self.end_column, self.end_pos))

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Token) and self.type != other.type:
            return False
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


Branch = Union["Tree", Token]


class Tree:
    """A rule of the grammar (`data`) and what it matched (`children`)."""

    __slots__ = ("_meta", "children", "data")
    __match_args__ = ("data", "children")

    # Any, as Lark types its tree's children: each reader checks what a child is where it
    # matters (a token, or a tree of a given rule).
    children: list[Any]

    def __init__(self, data: str, children: list[Any], meta: Meta | None = None) -> None:
        self.data = data
        self.children = children
        self._meta = meta

    @property
    def meta(self) -> Meta:
        if self._meta is None:
            self._meta = Meta()
        return self._meta

    def scan_values(self, pred: Callable[[Token], bool]) -> Iterator[Token]:
        """The tokens under this tree, in order, that `pred` accepts (iteratively: expression
        trees can nest deeper than Python's recursion limit)."""
        stack: list[Branch] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, Tree):
                stack.extend(reversed(node.children))
            elif pred(node):
                yield node

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tree):
            return False
        return self.data == other.data and self.children == other.children

    def __hash__(self) -> int:
        return hash((self.data, tuple(self.children)))


_POSITIONS = ("line", "column", "end_line", "end_column", "start_pos", "end_pos")


def from_lark(root: Any) -> Tree:
    """Lark's parse tree as these classes, iteratively (same rule names, token types, texts and
    positions)."""
    from lark import Token as LarkToken

    def convert(node: Any) -> Branch:
        if isinstance(node, LarkToken):
            return Token(node.type, node.value, node.start_pos, node.line, node.column,
                         node.end_line, node.end_column, node.end_pos)
        meta = None
        source = node._meta  # Lark's attribute: reading `meta` would create an empty one
        if source is not None:
            meta = Meta()
            if not source.empty:
                meta.empty = False
                for name in _POSITIONS:
                    if hasattr(source, name):
                        setattr(meta, name, getattr(source, name))
        return Tree(node.data, [], meta)

    top = convert(root)
    assert isinstance(top, Tree)
    stack: list[tuple[Any, Tree]] = [(root, top)]
    while stack:
        source, target = stack.pop()
        for child in source.children:
            built = convert(child)
            target.children.append(built)
            if isinstance(built, Tree):
                stack.append((child, built))
    return top
