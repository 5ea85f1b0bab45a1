"""Evaluate Terraform expressions (raw Lark trees from hcl.parse) into model values.

`evaluate(expr, scope)` never raises: values that cannot be decided statically are `Unknown`,
references keep their identity (`Ref`), strings may be known in parts (`Partial`), and errors
Terraform would report become `Unknown("<expression>: <why>")`. Inside, real HCL errors are
`EvalError`, which `try()` and `can()` catch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from analyzer.hcl import for_expr, functions, operators, templates
from analyzer.hcl.budget import work_budget
from analyzer.hcl.syntax_tree import Token, Tree
from analyzer.hcl.values import (
    EvalError,
    EvalScope,
    Undecided,
    Value,
    is_list,
    need_bool,
    need_text,
    normalize_number,
    parse_number,
    resolve,
    type_name,
    unknown_of,
)
from analyzer.model import Partial, PartialMap, Ref, Unknown

__all__ = ["EvalError", "EvalScope", "evaluate"]

Scope = Mapping[str, Value]
_NEWLINE = "new_line_or_comment"
_TRAVERSALS = frozenset(("get_attr_expr_term", "index_expr_term"))
_LITERALS: dict[str, Value] = {"true": True, "false": False, "null": None}


def evaluate(expr: Tree, scope: Mapping[str, object]) -> object:
    """The value of an expression; never raises (see the module docstring). Its work counts
    against the current budget, or a budget of its own (see hcl.budget)."""
    with work_budget():
        return _evaluate(expr, scope)


def _evaluate(expr: Tree, scope: Mapping[str, object]) -> object:
    try:
        return _eval(expr, scope)
    except RecursionError:
        return Unknown("expression nested too deeply")
    except EvalError as error:
        return Unknown(f"{error.where or _describe(expr)}: {error}")
    except Undecided as undecided:  # a helper's Unknown that no operator caught
        return undecided.unknown
    except Exception as error:  # a lazy scope or a bug must not stop the run
        return Unknown(f"{_describe(expr)}: cannot be evaluated ({type(error).__name__}: {error})")


def _eval(node: Tree | Token, scope: Scope) -> Value:
    if isinstance(node, Token):
        raise EvalError(f"unexpected token {str(node)!r}")
    handler = _HANDLERS.get(node.data)
    if handler is None:
        raise EvalError(f"unsupported expression {node.data}")
    return handler(node, scope)


def _trees(node: Tree) -> list[Tree]:
    """Children that are expressions, without tokens and line breaks."""
    return [c for c in node.children if isinstance(c, Tree) and c.data != _NEWLINE]


def _expr_term(node: Tree, scope: Scope) -> Value:
    inner: Tree | Token = node
    while isinstance(inner, Tree) and inner.data == "expr_term":  # parentheses, in a loop
        children = inner.children
        inner = children[0] if len(children) == 1 else _trees(inner)[0]
    return _eval(inner, scope)


def _identifier(node: Tree, scope: Scope) -> Value:
    name = str(node.children[0])
    try:
        return scope[name]
    except KeyError:
        return Unknown(f"{name} is not declared here")


def _number(node: Tree, scope: Scope) -> Value:
    number = parse_number(str(node.children[0]))
    if number is None:
        raise EvalError(f"bad number {node.children[0]}")
    return normalize_number(number)


def _literal(node: Tree, scope: Scope) -> Value:
    return _LITERALS[str(node.children[0])]


def _string(node: Tree, scope: Scope) -> Value:
    return templates.render_string(node, scope, _eval)


def _template_string(node: Tree, scope: Scope) -> Value:
    from analyzer.hcl.strings import unescape

    return unescape(str(node.children[0])[2:-2])  # \"text\"


def _heredoc(node: Tree, scope: Scope) -> Value:
    return templates.render_heredoc(str(node.children[0]), scope, _eval)


def _tuple(node: Tree, scope: Scope) -> Value:
    return [_eval(child, scope) for child in _trees(node)]


def _object(node: Tree, scope: Scope) -> Value:
    from analyzer.hcl.values import MapBuilder

    built = MapBuilder()
    for elem in _trees(node):
        key_node, value_node = _trees(elem)
        key = _object_key(key_node, scope)
        value = _eval(value_node, scope)
        if isinstance(key, str):
            built.put(key, value)
        else:
            built.put_unknown(Unknown(f"an object key is not known: {key.reason}"))
    return built.result()


def _object_key(node: Tree, scope: Scope) -> str | Unknown:
    """A bare identifier (or keyword) is the key itself; any other key expression is evaluated."""
    inner = node.children[0]
    if isinstance(inner, Tree) and inner.data == "keyword":
        return str(inner.children[0])
    if isinstance(inner, Tree) and inner.data == "expr_term" and len(inner.children) == 1:
        term = inner.children[0]
        if isinstance(term, Tree) and term.data in ("identifier", "literal_value"):
            return str(term.children[0])
    key = _eval(inner, scope)
    if key is None:
        raise EvalError("an object key cannot be null")
    try:
        return need_text(key, "an object key")
    except Undecided as undecided:
        return undecided.unknown


def _conditional(node: Tree, scope: Scope) -> Value:
    condition, if_true, if_false = _trees(node)
    try:
        chosen = need_bool(_eval(condition, scope), "a condition")
    except Undecided as undecided:
        return _either(if_true, if_false, scope, undecided.unknown)
    return _eval(if_true if chosen else if_false, scope)


def _either(if_true: Tree, if_false: Tree, scope: Scope, unknown: Unknown) -> Value:
    """An unknown condition still decides the result when both branches agree."""
    try:
        left, right = _eval(if_true, scope), _eval(if_false, scope)
    except EvalError:
        return unknown
    return left if operators.equal(left, right) is True else unknown


def _binary_op(node: Tree, scope: Scope) -> Value:
    """Operators are left-associative: walk the left spine in a loop, so that a long chain
    (`a + b + c ...`) does not recurse once per operator."""
    terms: list[Tree] = []
    while isinstance(node, Tree) and node.data == "binary_op":
        node, term = _trees(node)[:2]
        terms.append(term)
    value = _eval(node, scope)
    for term in reversed(terms):
        operator_node, right_node = _trees(term)
        # the token may carry the newline (and a comment) of a continued line before it
        operator = str(operator_node.children[0]).split()[-1]
        value = operators.binary(operator, value, _eval(right_node, scope))
    return value


def _unary_op(node: Tree, scope: Scope) -> Value:
    return operators.unary(str(node.children[0]), _eval(_trees(node)[0], scope))


def _function_call(node: Tree, scope: Scope) -> Value:
    names = [
        str(t.children[0]) for t in node.children if isinstance(t, Tree) and t.data == "identifier"
    ]
    if len(names) == 2 and names[0] == "core":  # Terraform's namespace of built-in functions
        names = names[1:]
    if len(names) > 1:
        return Unknown(f"provider function {'::'.join(names)}() is not evaluated")
    arguments = [t for t in node.children if isinstance(t, Tree) and t.data == "arguments"]
    args = _trees(arguments[0]) if arguments else []
    expand = bool(arguments) and any(
        isinstance(t, Token) and t.type == "ELLIPSIS" for t in arguments[0].children
    )
    return functions.call(names[0], args, expand, scope, _eval)


# Traversals -------------------------------------------------------------------------------


def _traversal(node: Tree, scope: Scope) -> Value:
    """`a.b[c].d`: walk down to the root in a loop, then apply the steps in order."""
    steps: list[tuple[Tree, Tree]] = []
    source: Tree | Token = node
    while isinstance(source, Tree) and source.data in _TRAVERSALS:
        steps.append((source.children[1], source))
        source = source.children[0]
        if isinstance(source, Tree) and source.data == "expr_term" and len(source.children) == 1:
            source = source.children[0]
    value = _eval(source, scope)
    for step, where in reversed(steps):
        value = _step(value, step, scope, where)
    return value


def _step(value: Value, step: Tree, scope: Scope, where: Tree) -> Value:
    """Apply one `.name`, `[key]` or `.0` to a value."""
    if step.data == "get_attr":
        key: Value = str(_trees(step)[0].children[0])
    elif step.data == "short_index":
        key = int(str(step.children[-1]))
    else:
        key = _eval(_trees(step)[0], scope)
    try:
        return _index(value, key, step.data == "get_attr")
    except Undecided as undecided:  # e.g. a partly known key: this value only is unknown
        return undecided.unknown
    except EvalError as error:
        error.where = error.where or _describe(where)
        raise


def _index(value: Value, key: Value, by_name: bool) -> Value:
    if isinstance(value, Ref):
        return Unknown(f"{value} is only known after apply")
    unknown = unknown_of(value) or unknown_of(key)
    if isinstance(value, PartialMap) and not isinstance(key, Unknown):
        known = value.known
        text = need_text(key, "a map key")
        return known.get(text, value.more)
    if unknown is not None:
        return unknown
    if isinstance(value, Mapping):
        text = need_text(key, "a map key")
        try:  # one lookup: `in` on a lazy Mapping may compute the value as well
            return value[text]
        except KeyError:
            raise EvalError(f'has no {"attribute" if by_name else "key"} "{text}"') from None
    if is_list(value) and not by_name:
        return _list_item(value, key)
    if value is None:
        raise EvalError("cannot index a null value")
    if isinstance(value, Partial):
        raise EvalError("a string has no attributes or elements")
    raise EvalError(f"a {type_name(value)} has no {'attributes' if by_name else 'elements'}")


def _list_item(items: list[Value] | tuple[Value, ...], key: Value) -> Value:
    key = resolve(key)
    if isinstance(key, Partial):
        return Unknown(f'the index "{key}" is only partly known')
    number = key if not isinstance(key, str) else parse_number(key)
    if isinstance(number, bool) or not isinstance(number, int):
        raise EvalError(f"a list index must be a whole number, not {key!r}")
    if not 0 <= number < len(items):
        raise EvalError(f"index {number} is out of range for a list of {len(items)}")
    return items[number]


def _splat_term(node: Tree, scope: Scope) -> Value:
    """`x[*].a.b` maps the steps over x; `x.*.a[0]` (legacy) maps only the attribute steps."""
    source, splat = node.children
    value = _eval(source, scope)
    steps = _trees(splat)
    after: list[Tree] = []
    if splat.data == "attr_splat":
        cut = next((i for i, s in enumerate(steps) if s.data != "get_attr"), len(steps))
        steps, after = steps[:cut], steps[cut:]
    unknown = None if isinstance(value, PartialMap) else unknown_of(value)
    if unknown is not None:
        return unknown
    items = [] if value is None else list(value) if is_list(value) else [value]
    result: Value = [_walk(item, steps, scope, node) for item in items]
    return _walk(result, after, scope, node)


def _walk(value: Value, steps: list[Tree], scope: Scope, where: Tree) -> Value:
    for step in steps:
        value = _step(value, step, scope, where)
    return value


def _describe(node: Tree | Token, limit: int = 80) -> str:
    """Roughly the source text of an expression, for messages."""
    if isinstance(node, Token):
        return str(node)
    text = "".join(
        str(t).strip() if t.type == "NL_OR_COMMENT" else str(t)
        for t in node.scan_values(lambda v: isinstance(v, Token))
    )
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


_HANDLERS: dict[str, Callable[[Tree, Scope], Value]] = {
    "expr_term": _expr_term,
    "identifier": _identifier,
    "int_lit": _number,
    "float_lit": _number,
    "literal_value": _literal,
    "string": _string,
    "template_string": _template_string,
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
    "tuple": _tuple,
    "object": _object,
    "conditional": _conditional,
    "binary_op": _binary_op,
    "unary_op": _unary_op,
    "function_call": _function_call,
    "get_attr_expr_term": _traversal,
    "index_expr_term": _traversal,
    "attr_splat_expr_term": _splat_term,
    "full_splat_expr_term": _splat_term,
    "for_tuple_expr": lambda node, scope: for_expr.for_tuple(node, scope, _eval),
    "for_object_expr": lambda node, scope: for_expr.for_object(node, scope, _eval),
}
