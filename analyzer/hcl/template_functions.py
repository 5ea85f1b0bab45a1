"""`templatefile()` and `templatestring()`: a template rendered with the given variables only.

The template sees its `vars` and the function library, not the module's names; `templatefile`
may not call itself (Terraform rejects recursion). Unknown variables leave their pieces unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from analyzer.hcl.file_functions import FILE_ACCESS, CallSite, read_text, scoped
from analyzer.hcl.syntax_tree import Tree
from analyzer.hcl.templates import render, template_items
from analyzer.hcl.values import EvalError, Undecided, Value, need_map, need_text, unknown_of
from analyzer.model import PartialMap

_IN_TEMPLATEFILE = "\x00in templatefile"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@scoped("templatefile", 2)
def _templatefile(site: CallSite, path: Value, variables: Value) -> Value:
    if _IN_TEMPLATEFILE in site.scope:
        raise EvalError("cannot recursively call templatefile() from inside a template")
    names = _vars(variables)
    text = read_text(site, path)
    return _render(text, names, site, {_IN_TEMPLATEFILE: True})


@scoped("templatestring", 2)
def _templatestring(site: CallSite, template: Value, variables: Value) -> Value:
    if not _is_reference(site.args[0]):
        raise EvalError("the template_string argument must be a reference to a named value "
                        "(a local value or a data resource attribute), not a template")
    names = _vars(variables)
    return _render(need_text(template, "a template string"), names, site, {})


def _vars(variables: Value) -> Mapping[str, Value]:
    if isinstance(variables, PartialMap):
        raise Undecided(variables.more)
    unknown = unknown_of(variables)
    if unknown is not None:
        raise Undecided(unknown)
    names = need_map(variables, "a map of template variables")
    for name in names:
        if not _NAME.fullmatch(name):
            raise EvalError(f"invalid template variable name {name!r}: it must start with a "
                            "letter or underscore and hold only letters, digits, _ and -")
    return names


class _TemplateScope(dict[str, Value]):
    """The template's names: one that `vars` does not hold is Terraform's error."""

    def __missing__(self, key: str) -> Value:
        if _NAME.fullmatch(key):
            raise EvalError(f'vars map does not contain key "{key}"')
        raise KeyError(key)


def _render(text: str, names: Mapping[str, Value], site: CallSite,
            extra: dict[str, Value]) -> Value:
    scope = _TemplateScope(names)
    if FILE_ACCESS in site.scope:
        scope[FILE_ACCESS] = site.scope[FILE_ACCESS]
    scope.update(extra)
    return render(list(template_items(text)), scope, site.ev)


def _is_reference(node: Tree) -> bool:
    """A variable, a local value, an attribute: not a literal, template or call."""
    while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    return isinstance(node, Tree) and node.data in (
        "identifier", "get_attr_expr_term", "index_expr_term")
