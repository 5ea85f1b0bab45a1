"""String templates: quoted strings, heredocs, `${}` interpolation and `%{if}`/`%{for}` directives.

Both quoted strings and heredocs are flattened into the same item list (literal text,
interpolations, directive markers), structured into if/for nodes, then rendered into pieces. Text
pieces that are references or unknown make the result a `Partial`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Union

from analyzer.hcl.budget import check_text, spend
from analyzer.hcl.strings import unescape
from analyzer.hcl.syntax_tree import Token, Tree
from analyzer.hcl.values import (
    EvalError,
    EvalScope,
    Undecided,
    Value,
    iterate,
    need_bool,
    resolve,
    text_of,
    type_name,
)
from analyzer.model import Partial, Ref, Unknown

Piece = Union[str, Ref, Unknown]  # noqa: UP007 - a runtime alias, not an annotation
Evaluator = Callable[[Tree, Mapping[str, Value]], Value]
# Flat items: ("lit", text) ("expr", tree) ("if", tree) ("else",) ("endif",)
# ("for", key_name | None, value_name, tree) ("endfor",)
Item = tuple[Any, ...]

_SEQUENCE = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_DIRECTIVE = re.compile(
    r"(?:(if)\s+(.+)|(else)|(endif)|(for)\s+([\w-]+)(?:\s*,\s*([\w-]+))?\s+in\s+(.+)|(endfor))",
    re.DOTALL,
)


def pieces(value: Value) -> list[Piece]:
    """A value as template text, Terraform's conversions applied; partial forms stay pieces."""
    value = resolve(value)
    if isinstance(value, (Ref, Unknown)):
        return [value]
    if isinstance(value, Partial):
        return list(value.parts)
    text = text_of(value)
    if text is not None:
        return [text]
    if value is None:
        raise EvalError("a null value cannot be used in a string template")
    raise EvalError(f"a {type_name(value)} cannot be used in a string template")


def build_text(parts: list[Piece]) -> str | Partial:
    """Join pieces: plain text when all are known, else a Partial with adjacent text merged."""
    spend(len(parts) - 1)  # joining: a literal costs nothing
    check_text(sum(len(part) for part in parts if isinstance(part, str)), "a string")
    merged: list[Piece] = []
    run: list[str] = []  # adjacent text, joined once (not `a + b` per piece: quadratic)
    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        if run and "".join(run):
            merged.append("".join(run))
        run = []
        merged.append(part)
    text = "".join(run)
    if not merged:
        return text
    if text:
        merged.append(text)
    return Partial(tuple(merged))


def render_string(node: Tree, scope: Mapping[str, Value], ev: Evaluator) -> Value:
    return render(_string_items(node), scope, ev)


def render_heredoc(text: str, scope: Mapping[str, Value], ev: Evaluator) -> Value:
    items = _heredoc_items(text)
    return render(list(items), scope, ev)


def render(items: list[Item], scope: Mapping[str, Value], ev: Evaluator) -> Value:
    if len(items) == 1 and items[0][0] == "expr":
        return ev(items[0][1], scope)  # "${x}" alone is x itself, not its text (HCL rule)
    nodes, _, stop = _structure(items, 0)
    if stop is not None:
        raise EvalError(f"unexpected %{{{stop}}} in a template")
    out: list[Piece] = []
    _render_nodes(nodes, scope, ev, out)
    return build_text(out)


def _render_nodes(
    nodes: list[Any], scope: Mapping[str, Value], ev: Evaluator, out: list[Piece]
) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "expr":
            out.extend(pieces(ev(node[1], scope)))
        elif node[0] == "if":
            try:
                chosen = node[2] if need_bool(ev(node[1], scope), "an %{if} condition") else node[3]
            except Undecided as undecided:
                out.append(undecided.unknown)
                continue
            _render_nodes(chosen, scope, ev, out)
        else:
            _, key_name, value_name, collection, body = node
            try:
                pairs = iterate(ev(collection, scope))
            except Undecided as undecided:
                out.append(undecided.unknown)
                continue
            for key, value in pairs:
                spend()
                names = (
                    {value_name: value} if key_name is None else {key_name: key, value_name: value}
                )
                _render_nodes(body, EvalScope(scope, names), ev, out)


def _structure(items: list[Item], pos: int) -> tuple[list[Any], int, str | None]:
    """Nest the flat items; returns (nodes, next position, the closing keyword that stopped)."""
    nodes: list[Any] = []
    while pos < len(items):
        item = items[pos]
        kind = item[0]
        pos += 1
        if kind in ("else", "endif", "endfor"):
            return nodes, pos, kind
        if kind == "lit":
            nodes.append(item[1])
        elif kind == "expr":
            nodes.append(item)
        elif kind == "if":
            then, pos, stop = _structure(items, pos)
            otherwise: list[Any] = []
            if stop == "else":
                otherwise, pos, stop = _structure(items, pos)
            if stop != "endif":
                raise EvalError("%{if} without a matching %{endif}")
            nodes.append(("if", item[1], then, otherwise))
        else:
            body, pos, stop = _structure(items, pos)
            if stop != "endfor":
                raise EvalError("%{for} without a matching %{endfor}")
            nodes.append(("for", item[1], item[2], item[3], body))
    return nodes, pos, None


class _Items:
    """Collects flat items, applying `~` strip markers to the neighbouring literal text."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self._strip_next = False

    def literal(self, text: str) -> None:
        if self._strip_next:
            text = text.lstrip()
            self._strip_next = False
        if self.items and self.items[-1][0] == "lit":
            self.items[-1] = ("lit", self.items[-1][1] + text)
        else:
            self.items.append(("lit", text))

    def sequence(self, item: Item, strip_left: bool, strip_right: bool) -> None:
        if strip_left and self.items and self.items[-1][0] == "lit":
            self.items[-1] = ("lit", self.items[-1][1].rstrip())
        self.items.append(item)
        self._strip_next = strip_right


def _string_items(node: Tree) -> list[Item]:
    out = _Items()
    for part in node.children:
        if isinstance(part, Token):
            continue  # the quotes
        inner = part.children[0]
        if isinstance(inner, Token):
            out.literal(unescape(str(inner)))
            continue
        tokens = [c for c in inner.children if isinstance(c, Token)]
        strip_left = len(tokens) > 1 and tokens[1].type == "STRIP_MARKER"
        strip_right = len(tokens) > 1 and tokens[-2].type == "STRIP_MARKER"
        out.sequence(_tree_item(inner), strip_left, strip_right)
    return out.items


def _tree_item(inner: Tree) -> Item:
    trees = [c for c in inner.children if isinstance(c, Tree)]
    kind = inner.data
    if kind in ("interpolation", "template_if_start"):
        return ("expr" if kind == "interpolation" else "if", trees[-1])
    if kind == "template_for_start":
        names = [str(t.children[0]) for t in trees[:-1]]
        key_name = names[0] if len(names) == 2 else None
        return ("for", key_name, names[-1], trees[-1])
    return ({"template_else": "else", "template_endif": "endif"}.get(kind, "endfor"),)


@lru_cache(maxsize=512)
def _heredoc_items(token: str) -> tuple[Item, ...]:
    """Heredoc text (`<<EOT` / `<<-EOT`, markers included) to flat items; cached per text."""
    return template_items(_heredoc_body(token))


def template_items(body: str) -> tuple[Item, ...]:
    """A template's text (a heredoc body, a `templatefile()` file) to flat items."""
    out = _Items()
    pos = 0
    while True:
        match = _SEQUENCE.search(body, pos)
        if match is None:
            out.literal(body[pos:])
            return tuple(out.items)
        out.literal(body[pos : match.start()])
        opener = match.group()
        if len(opener) == 3:  # $${ and %%{ are the literal ${ and %{
            out.literal(opener[1:])
            pos = match.end()
            continue
        end = _closing_brace(body, match.end())
        inner = body[match.end() : end]
        strip_left, strip_right = inner.startswith("~"), inner.endswith("~")
        inner = inner[1 if strip_left else 0 : -1 if strip_right else None].strip()
        item = ("expr", _parse_expr(inner)) if opener == "${" else _directive(inner)
        out.sequence(item, strip_left, strip_right)
        pos = end + 1


def _heredoc_body(token: str) -> str:
    """The lines between the markers; `<<-` removes the common leading whitespace."""
    text = token.replace("\r\n", "\n")
    header_end = text.index("\n")
    content = text[header_end + 1 :].rstrip("\n")
    last_newline = content.rfind("\n")
    body = content[: last_newline + 1] if last_newline >= 0 else ""
    if not token.startswith("<<-"):
        return body
    lines = body.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[:cut].lstrip(" \t") + line[cut:] for line in lines)


def _closing_brace(text: str, start: int) -> int:
    """Index of the `}` closing a `${`/`%{` that opened just before `start`, skipping nested
    braces and quoted strings (which may hold templates of their own)."""
    stack = ["expr"]
    pos = start
    while pos < len(text):
        char = text[pos]
        if stack[-1] == "str":
            if char == "\\":
                pos += 1
            elif char == '"':
                stack.pop()
            elif char in "$%" and text.startswith("{", pos + 1):
                stack.append("expr")
                pos += 1
        elif char == '"':
            stack.append("str")
        elif char == "{":
            stack.append("expr")
        elif char == "}":
            stack.pop()
            if not stack:
                return pos
        pos += 1
    raise EvalError("a template sequence in a heredoc is not closed")


def _parse_expr(text: str) -> Tree:
    from analyzer.hcl.parse import HclSyntaxError, parse_hcl

    try:
        return parse_hcl(f"x = {text}\n").attributes["x"].expr
    except (HclSyntaxError, KeyError):
        raise EvalError(f"cannot parse the template expression {text!r}") from None


def _directive(text: str) -> Item:
    match = _DIRECTIVE.fullmatch(text)
    if match is None:
        raise EvalError(f"unknown template directive %{{{text}}}")
    groups = match.groups()
    if groups[0]:
        return ("if", _parse_expr(groups[1]))
    if groups[4]:
        key_name = groups[5] if groups[6] else None
        return ("for", key_name, groups[6] or groups[5], _parse_expr(groups[7]))
    return (groups[2] or groups[3] or groups[8],)
