"""What an expression refers to, on both sides: the objects (a resource, a data source, a
variable, a local, a module call) of its references, as the plan's configuration lists them
(`aws_dynamodb_table.fe["users"].arn` -> `aws_dynamodb_table.fe`) and as the HCL is written.

They are compared before an HCL value stands for a plan value: a configuration edited since
the plan was made (`resources = [aws_dynamodb_table.a.arn]` now naming `b`) is not taken for
the plan's. Equal references do not prove equal expressions (the plan shows no more), so the
README says that `--tf-dir` must be the code the plan was made from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analyzer.hcl.syntax_tree import Tree
from analyzer.terraform.resources import leading_names

# Names Terraform binds itself, or that are the same in every configuration.
_NOT_OBJECTS = frozenset({"each", "count", "path", "terraform", "self"})
_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')


def _object(names: list[str], bound: frozenset[str] = frozenset()) -> str | None:
    if not names or names[0] in _NOT_OBJECTS or names[0] in bound:
        return None
    size = 3 if names[0] == "data" else 2
    return ".".join(names[:size]) if len(names) >= size else None


def planned_objects(references: Iterable[object]) -> frozenset[str]:
    """The objects of a plan expression's `references` list."""
    found = (_object(_KEY.sub("", str(ref)).split(".")) for ref in references)
    return frozenset(o for o in found if o is not None)


def written_objects(expr: object) -> frozenset[str]:
    """The objects an HCL expression refers to (names a `for` binds are not objects)."""
    nodes = list(_nodes(expr))
    bound = frozenset(str(t.children[0]) for node in nodes if node.data == "for_intro"
                      for t in _trees(node)[:-1])
    found = (_object(leading_names(node), bound) for node in nodes
             if node.data == "get_attr_expr_term")
    return frozenset(o for o in found if o is not None)


def _nodes(expr: object) -> Iterable[Tree]:
    pending = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, Tree):
            yield node
            pending.extend(node.children)


def _trees(node: Tree) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
