"""HCL2 text to a small block/attribute structure with positions.

We use python-hcl2's Lark grammar (its `with_meta` output is broken in 8.1.4, but the raw Lark tree
keeps positions) and read the tree ourselves; hcl.grammar.py builds and caches the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from analyzer.hcl.syntax_tree import Token, Tree

if TYPE_CHECKING:
    from lark import Lark

# The work budget (issue 15). A string literal or heredoc longer than this is refused at its
# position: no real configuration holds one, and every function applied to it would copy it.
MAX_LITERAL_CHARS = 1 << 20
# Syntax tree levels of one expression (each bracket, call or operator adds one to five): a
# scanned file nested deeper is refused where it goes too deep (see check_depth).
MAX_TREE_DEPTH = 1000
# Characters of one HCL file: the parser takes about 10 s a MiB on a slow runner, so a file near
# the 50 MiB read cap would run for minutes; hand-written .tf files stay far below this, and
# generated ones are usually .tf.json (read by a fast JSON parser, not by this one).
MAX_HCL_CHARS = 2 << 20
_LITERAL_TOKENS = frozenset(("STRING_CHARS", "HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"))


class HclSyntaxError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


@dataclass
class Attribute:
    name: str
    expr: Tree
    line: int
    col: int


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    end_line: int


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    # (line, text) of every comment line; filled for a file's top-level body only, from every
    # token, since the grammar tucks some comments inside expressions and operator tokens.
    comments: list[tuple[int, str]] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == block_type)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    from analyzer.hcl.grammar import load_parser

    return load_parser()


def _parse_tree(text: str) -> Tree:
    """The syntax tree of the text, from the user's cache of parsed files when it has it (then
    without importing Lark)."""
    from analyzer.hcl.grammar import grammar_key
    from analyzer.hcl.syntax_tree import from_lark
    from analyzer.hcl.tree_cache import cached_tree

    return cached_tree(text, lambda source: from_lark(_parser().parse(source)), grammar_key)


def is_cached(text: str) -> bool:
    """Would `parse_hcl(text)` find its tree in the user cache (and need no parser)?"""
    from analyzer.hcl.tree_cache import has_entry

    return has_entry(text.removeprefix("\ufeff") + "\n")


def parse_hcl(text: str) -> Body:
    """Parse HCL text; raise HclSyntaxError with a 1-based line and column on bad input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_literal_sizes(text)  # first: an over-long literal is named at its own line
    if len(text) > MAX_HCL_CHARS:
        raise HclSyntaxError(1, 1, (
            f"a file of {len(text)} characters, more than the {MAX_HCL_CHARS} this analyzer "
            "parses as HCL (split it, or generate .tf.json)"))
    try:
        tree = _parse_tree(text + "\n")
    except RecursionError:
        raise HclSyntaxError(1, 1, "expression nested too deeply to parse") from None
    except MemoryError:
        raise HclSyntaxError(1, 1, "the file is too large to parse in memory") from None
    except Exception as exc:  # Lark's errors: Lark is imported only when it parsed
        error = _syntax_error(exc, text)
        if error is None:
            raise
        raise error from None
    comments = _limits_and_comments(tree)
    start = tree.children[0]
    assert not isinstance(start, Token)  # the grammar's `start: body`
    body = _read_body(start)
    body.comments = sorted(comments)
    return body


def _syntax_error(exc: Exception, text: str) -> HclSyntaxError | None:
    """The HclSyntaxError for one of Lark's errors (with its line and column); None for any
    other exception."""
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

    if isinstance(exc, UnexpectedEOF):
        lines = text.splitlines() or [""]
        return HclSyntaxError(len(lines), len(lines[-1]) + 1, "unexpected end of file")
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream if exc.pos_in_stream is not None else -1
        char = text[pos] if 0 <= pos < len(text) else "?"
        return HclSyntaxError(exc.line, exc.column, f"unexpected character {char!r}")
    if isinstance(exc, UnexpectedInput):
        token = getattr(exc, "token", None)
        line, col = exc.line, exc.column
        raw = str(token) if token is not None else ""
        lead = raw[:len(raw) - len(raw.lstrip())]
        if raw.strip():  # tokens carry the blanks and line breaks before them (`EQ`, `\n}`)
            line += lead.count("\n")
            col = len(lead) - lead.rfind("\n") if "\n" in lead else col + len(lead)
        if token is not None and token.type == "$END":
            what = "end of file (an unclosed string, bracket or block?)"
        elif token is not None and str(token).strip():
            what = repr(str(token).strip().splitlines()[0][:40])
        else:
            what = "line break"
        return HclSyntaxError(line, col, f"unexpected {what}")
    if isinstance(exc, LarkError):  # grammar-level failures carry no position
        return HclSyntaxError(1, 1, f"cannot parse: {exc}")
    return None


_HEREDOC_START = re.compile(r"<<-?([A-Za-z][\w.-]*)[ \t]*\r?$")


def _check_literal_sizes(text: str) -> None:
    """Refuse an over-long literal before the parser sees it: Lark spends seconds and gigabytes
    on a 10 MB token. A quoted string cannot span lines, so one is only that long on a line that
    long; a heredoc runs to the line holding just its delimiter. (The check after parsing,
    _limits_and_comments, stays exact.)"""
    if len(text) <= MAX_LITERAL_CHARS:
        return
    lines = text.split("\n")
    heredoc: tuple[str, int, int] | None = None  # delimiter, line, size so far
    for number, line in enumerate(lines, 1):
        if heredoc is not None:
            if line.strip() == heredoc[0]:
                heredoc = None
                continue
            heredoc = (heredoc[0], heredoc[1], heredoc[2] + len(line) + 1)
            if heredoc[2] > MAX_LITERAL_CHARS:
                raise HclSyntaxError(heredoc[1], 1, (
                    f"a heredoc of more than {MAX_LITERAL_CHARS} characters, longer than the "
                    f"{MAX_LITERAL_CHARS} this analyzer reads"))
            continue
        if len(line) > MAX_LITERAL_CHARS:
            raise HclSyntaxError(number, 1, (
                f"a line of {len(line)} characters, longer than the {MAX_LITERAL_CHARS} this "
                "analyzer reads (a string literal or expression that long)"))
        match = _HEREDOC_START.search(line) if "<<" in line else None
        if match is not None:
            heredoc = (match.group(1), number, 0)


def _limits_and_comments(tree: Tree) -> list[tuple[int, str]]:
    """One pass over the tokens (iteratively; a warm run spends its time walking trees): refuse
    the first over-long literal at its position, and collect every comment as (line, text)."""
    comments: list[tuple[int, str]] = []
    for token in _tokens(tree):
        if token.type in _LITERAL_TOKENS:  # string text: never a comment
            if len(token) > MAX_LITERAL_CHARS:
                raise HclSyntaxError(token.line or 1, token.column or 1, (
                    f"a string literal of {len(token)} characters, longer than the "
                    f"{MAX_LITERAL_CHARS} this analyzer reads"))
            continue
        comments.extend(_comments_of(token))
    return comments


def check_depth(body: Body, limit: int = MAX_TREE_DEPTH) -> None:
    """Raise HclSyntaxError where an expression of the body is nested deeper than `limit` tree
    levels. The evaluator survives deep nesting (as unknown); a scanned file is refused."""
    bodies = [body]
    while bodies:
        current = bodies.pop()
        bodies.extend(block.body for block in current.blocks)
        for attribute in current.attributes.values():
            stack: list[tuple[object, int]] = [(attribute.expr, 1)]
            while stack:
                node, depth = stack.pop()
                if not isinstance(node, Tree):
                    continue
                if depth > limit:
                    line = getattr(node.meta, "line", attribute.line)
                    col = getattr(node.meta, "column", attribute.col)
                    raise HclSyntaxError(line, col, f"an expression nested deeper than the "
                                         f"{limit} syntax levels this analyzer reads")
                stack.extend((child, depth + 1) for child in node.children)


def _read_body(node: Tree) -> Body:
    body = Body()
    for child in node.children:
        if isinstance(child, Token):
            continue
        if child.data == "attribute":
            name = _name_of(child.children[0])
            line, col = child.meta.line, child.meta.column
            if name in body.attributes:  # Terraform: "Attribute redefined"
                first = body.attributes[name]
                raise HclSyntaxError(line, col, f'the argument "{name}" was already set at '
                                     f"line {first.line}; each argument may be set only once")
            body.attributes[name] = Attribute(name, child.children[-1], line, col)
        elif child.data == "block":
            body.blocks.append(_read_block(child))
    return body


def _read_block(node: Tree) -> Block:
    block_type = _name_of(node.children[0])
    labels: list[str] = []
    inner = Body()
    for child in node.children[1:]:
        if isinstance(child, Tree) and child.data == "string":
            labels.append(string_literal(child))
        elif isinstance(child, Tree) and child.data in ("identifier", "keyword", "literal_value"):
            labels.append(_name_of(child))
        elif isinstance(child, Tree) and child.data == "body":
            inner = _read_body(child)
        elif isinstance(child, Token):
            continue
    return Block(block_type, labels, inner, node.meta.line, node.meta.end_line)


def _name_of(node: Any) -> str:
    if isinstance(node, Token):
        return str(node)
    return str(node.children[0])


def _tokens(tree: Tree) -> Iterator[Token]:
    """Every token, iteratively: expression trees can be nested deeper than Python recursion."""
    stack: list[Tree | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            yield node
        else:
            stack.extend(reversed(node.children))


def _comments_of(token: Token) -> Iterator[tuple[int, str]]:
    text = str(token)
    if "#" not in text and "//" not in text and "/*" not in text:
        return
    if token.type != "NL_OR_COMMENT" and not token.type.isupper():
        return
    # An operator token carries the newline and comments folded into it by _NewlineMerger,
    # but keeps the operator's own position: count back to where that text began.
    line = token.line or 1
    first = line if token.type == "NL_OR_COMMENT" else line - text.count("\n")
    for offset, piece in enumerate(text.split("\n")):
        piece = piece.strip()
        if piece.startswith(("#", "//", "/*")):
            yield (first + offset, piece)


def string_literal(node: Tree) -> str:
    """The text of a string with no interpolation (block labels); escapes resolved."""
    from analyzer.hcl.strings import unescape

    parts = []
    for child in node.children:
        if hasattr(child, "data") and child.data == "string_part":
            inner = child.children[0]
            parts.append(unescape(str(inner)) if not hasattr(inner, "data") else "${...}")
    return "".join(parts)
