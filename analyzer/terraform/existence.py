"""Whether a resource instance exists, in words: None when it certainly does, else an `Unknown`
naming the count/for_each (or the module call) that decides it and why that is undecided.

`expand` already reduces an undecided count/for_each to one instance standing for all; that
instance may stand for none, so whatever it declares (a backup selection, plan, opt-out, policy)
can only make a verdict weaker (aws-semantics.md §8).
"""

from __future__ import annotations

from typing import cast

from analyzer.hcl.parse import Block
from analyzer.hcl.syntax_tree import Token, Tree
from analyzer.model import Unknown
from analyzer.terraform.files import TfFile, read_text

_WHEN = {"count": "is not 0", "for_each": "is not empty"}
_TIGHT = frozenset({".", "[", "]", "(", ")", ","})


def block_existence(
    file: TfFile, block: Block, address: str, undecided: Unknown | None
) -> Unknown | None:
    """Why the instance `address` of `block` may not exist, if its count/for_each is undecided."""
    if undecided is None:
        return None
    for meta in ("count", "for_each"):
        attribute = block.body.attributes.get(meta)
        if attribute is not None:
            text = expression_text(file, attribute.expr)
            return Unknown(f"{address} exists only if {meta} = {text} {_WHEN[meta]} "
                           f"({undecided.reason})")
    return Unknown(f"{address} may not exist ({undecided.reason})")


def join(first: Unknown | None, second: Unknown | None) -> Unknown | None:
    """Both reasons, when both are set (an instance of a module that may not exist...)."""
    if first is None or second is None:
        return first or second
    if second.reason in first.reason:
        return first
    return Unknown(f"{first.reason}; {second.reason}")


def in_module(address: str, module: Unknown | None) -> Unknown | None:
    """Why a resource declared in a module instance that may not exist may not exist itself."""
    if module is None:
        return None
    return Unknown(f"{address} is declared in a module instance that may not exist: "
                   f"{module.reason}")


def expression_text(file: TfFile, expr: Tree) -> str:
    """The expression as written: its source text in a native file, else its tokens."""
    meta = expr.meta
    if not file.rel.endswith(".tf.json") and not meta.empty:
        text, _ = read_text(file.path, file.rel)
        if text is not None and 0 <= meta.start_pos < meta.end_pos <= len(text):
            return " ".join(text[meta.start_pos:meta.end_pos].split())
    return _tokens_text(expr)


def _tokens_text(expr: Tree) -> str:
    out = ""
    for piece in _pieces(expr):
        tight = piece in _TIGHT or out.endswith(("(", "[", "."))
        out += piece if tight or not out else f" {piece}"
    return out


def _pieces(node: Tree) -> list[str]:
    """The tokens of an expression, a string (with its quotes) as one piece; a string that is
    one interpolation is its expression (as Terraform reads `"${x}"`, the JSON syntax's way)."""
    if node.data == "string":
        parts = [_string_part(c) for c in node.children]
        if len(parts) == 3 and parts[1] is None:
            return _pieces(_interpolated(node.children[1]))
        return ["".join(p if p is not None else "${" + _tokens_text(_interpolated(c)) + "}"
                        for p, c in zip(parts, node.children, strict=True))]
    out: list[str] = []
    for child in node.children:
        if isinstance(child, Tree):
            out += _pieces(child)
        elif str(child).strip():
            out.append(str(child).strip())
    return out


def _string_part(child: object) -> str | None:
    """Literal text of a string's child; None for an interpolation."""
    if isinstance(child, Tree) and any(
            isinstance(c, Tree) and c.data == "interpolation" for c in child.children):
        return None
    if isinstance(child, Tree):
        return "".join(str(t) for t in child.scan_values(lambda v: isinstance(v, Token)))
    return str(child)


def _interpolated(child: object) -> Tree:
    """The expression of a string part that is `${...}` (`_string_part` said None)."""
    part = cast(Tree, child)
    interpolation = next(c for c in part.children if isinstance(c, Tree))
    return next(c for c in interpolation.children if isinstance(c, Tree))
