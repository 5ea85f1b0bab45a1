"""For expressions: `[for v in coll : expr if cond]` and `{for k, v in coll : key => value...}`.

Lists iterate by index, maps in lexical key order (as Terraform does). An unknown collection, or
an unknown condition or key for any element, makes the whole result unknown; element values
may be unknown on their own.
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.hcl.budget import check_elements, spend
from analyzer.hcl.syntax_tree import Token, Tree
from analyzer.hcl.templates import Evaluator
from analyzer.hcl.values import (
    EvalError,
    EvalScope,
    Undecided,
    Value,
    iterate,
    need_bool,
    need_text,
)

Scope = Mapping[str, Value]


def _trees(node: Tree) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _for_intro(
    intro: Tree, scope: Scope, ev: Evaluator
) -> tuple[list[str], list[tuple[Value, Value]]]:
    trees = _trees(intro)
    names = [str(t.children[0]) for t in trees[:-1]]
    pairs = iterate(ev(trees[-1], scope))
    check_elements(len(pairs), "the collection of a for expression")
    return names, pairs


def _bind(names: list[str], key: Value, value: Value, scope: Scope) -> Scope:
    if len(names) == 1:
        return EvalScope(scope, {names[0]: value})
    return EvalScope(scope, {names[0]: key, names[1]: value})


def _keep(cond: Tree | None, scope: Scope, ev: Evaluator) -> bool:
    if cond is None:
        return True
    return need_bool(ev(_trees(cond)[0], scope), "a for-expression condition")


def for_tuple(node: Tree, scope: Scope, ev: Evaluator) -> Value:
    trees = _trees(node)
    cond = trees[-1] if trees[-1].data == "for_cond" else None
    result: list[Value] = []
    try:
        names, pairs = _for_intro(trees[0], scope, ev)
        for key, value in pairs:
            spend()
            inner = _bind(names, key, value, scope)
            if _keep(cond, inner, ev):
                result.append(ev(trees[1], inner))
    except Undecided as undecided:
        return undecided.unknown
    return result


def for_object(node: Tree, scope: Scope, ev: Evaluator) -> Value:
    trees = _trees(node)
    cond = trees[-1] if trees[-1].data == "for_cond" else None
    grouping = any(isinstance(t, Token) and t.type == "ELLIPSIS" for t in node.children)
    result: dict[str, Value] = {}
    try:
        names, pairs = _for_intro(trees[0], scope, ev)
        for key, value in pairs:
            spend()
            inner = _bind(names, key, value, scope)
            if not _keep(cond, inner, ev):
                continue
            out_key = need_text(ev(trees[1], inner), "a for-expression key")
            out_value = ev(trees[2], inner)
            if grouping:
                result.setdefault(out_key, []).append(out_value)
            elif out_key in result:
                raise EvalError(f'duplicate key "{out_key}" in a for expression (use ... to group)')
            else:
                result[out_key] = out_value
    except Undecided as undecided:
        return undecided.unknown
    return result
