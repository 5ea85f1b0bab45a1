"""Type constraints (`type = map(object({ pitr = optional(bool, true) }))`) as a small model.

The grammar is Terraform's (HCL's typeexpr extension with optional attributes): `string`,
`number`, `bool`, `any`, `list(T)`, `set(T)`, `map(T)` (bare `list`, `set`, `map` mean
`T = any`), `tuple([T, ...])`, `object({ name = T, ... })`, and inside an object only
`optional(T)` / `optional(T, default)`. A quoted type (`"string"`, Terraform 0.11) and anything
else is an error Terraform reports too. Values are converted to a type in `hcl.convert`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.hcl.syntax_tree import Token, Tree

PRIMITIVES = ("string", "number", "bool")
COLLECTIONS = ("list", "set", "map")


class TypeSyntaxError(Exception):
    """A type constraint Terraform rejects."""


@dataclass(frozen=True)
class ObjectAttribute:
    name: str
    type: Type
    optional: bool = False
    # The default of `optional(T, default)` (converted to T by hcl.convert.checked_type); None
    # means null, which is also what an optional attribute without a default gets.
    default: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Type:
    kind: str  # a primitive, "any", a collection, "tuple" or "object"
    element: Type | None = None  # of a collection
    elements: tuple[Type, ...] = ()  # of a tuple
    attributes: tuple[ObjectAttribute, ...] = ()  # of an object

    def __str__(self) -> str:
        """As Terraform says it in messages: `list of string`, `map of object`."""
        if self.kind in COLLECTIONS and self.element is not None:
            inner = self.element
            return f"{self.kind} of {inner if inner.kind in COLLECTIONS else inner.kind}"
        return self.kind


ANY = Type("any")


def parse_type(expr: Tree) -> Type:
    """The type an expression spells; raises TypeSyntaxError for anything else. Optional
    attributes' defaults are as written: hcl.convert.checked_type converts them."""
    return _parse(_unwrap(expr), in_object=False)


def _unwrap(node: Tree | Token) -> Tree | Token:
    while isinstance(node, Tree) and node.data == "expr_term":
        inner = _trees(node)
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _trees(node: Tree) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _parse(node: Tree | Token, in_object: bool) -> Type:
    if isinstance(node, Tree) and node.data == "identifier":
        name = str(node.children[0])
        if name in PRIMITIVES or name == "any":
            return Type(name)
        if name in COLLECTIONS:  # the legacy bare form: any element type
            return Type(name, ANY)
        raise TypeSyntaxError(f'the keyword "{name}" is not a valid type')
    if isinstance(node, Tree) and node.data == "function_call":
        return _call(node)
    if isinstance(node, Tree) and node.data in ("string", "template_string"):
        raise TypeSyntaxError("a type constraint must not be quoted (Terraform 0.11 syntax)")
    raise TypeSyntaxError("a type constraint is a type keyword or a type constructor call")


def _call(node: Tree) -> Type:
    names = [str(t.children[0]) for t in node.children
             if isinstance(t, Tree) and t.data == "identifier"]
    arguments = [t for t in node.children if isinstance(t, Tree) and t.data == "arguments"]
    args = [_unwrap(a) for a in _trees(arguments[0])] if arguments else []
    name = names[0] if len(names) == 1 else "::".join(names)
    if name in COLLECTIONS:
        _arity(name, args, 1)
        return Type(name, _parse(args[0], False))
    if name == "tuple":
        _arity(name, args, 1)
        if not isinstance(args[0], Tree) or args[0].data != "tuple":
            raise TypeSyntaxError("tuple() takes a list of element types: tuple([string])")
        return Type("tuple", elements=tuple(_parse(_unwrap(e), False) for e in _trees(args[0])))
    if name == "object":
        _arity(name, args, 1)
        return Type("object", attributes=_attributes(args[0]))
    if name == "optional":
        raise TypeSyntaxError("optional() is allowed only for an attribute of an object type")
    raise TypeSyntaxError(f'"{name}" is not a type constructor')


def _arity(name: str, args: list[Tree | Token], count: int) -> None:
    if len(args) != count:
        raise TypeSyntaxError(f"{name}() takes {count} argument, not {len(args)}")


def _attributes(node: Tree | Token) -> tuple[ObjectAttribute, ...]:
    if not isinstance(node, Tree) or node.data != "object":
        raise TypeSyntaxError("object() takes an object of attribute types: object({a = string})")
    found: dict[str, ObjectAttribute] = {}
    for elem in _trees(node):
        key_node, type_node = _trees(elem)[:2]
        name = _key(key_node)
        if name in found:
            raise TypeSyntaxError(f'the attribute "{name}" is given twice')
        found[name] = _attribute(name, _unwrap(type_node))
    return tuple(found[name] for name in sorted(found))


def _key(node: Tree) -> str:
    inner = _unwrap(node.children[0] if node.data == "object_elem_key" else node)
    if isinstance(inner, Tree) and inner.data in ("identifier", "keyword"):
        return str(inner.children[0])
    if isinstance(inner, Tree) and inner.data == "string":
        from analyzer.hcl.expressions import evaluate

        key = evaluate(inner, {})
        if isinstance(key, str):
            return key
    raise TypeSyntaxError("an object type's attribute name must be a name or a string")


def _attribute(name: str, node: Tree | Token) -> ObjectAttribute:
    if not (isinstance(node, Tree) and node.data == "function_call"
            and _call_name(node) == "optional"):
        return ObjectAttribute(name, _parse(node, True))
    arguments = [t for t in node.children if isinstance(t, Tree) and t.data == "arguments"]
    args = _trees(arguments[0]) if arguments else []
    if len(args) not in (1, 2):
        raise TypeSyntaxError("optional() takes a type and, optionally, a default value")
    kind = _parse(_unwrap(args[0]), True)
    if len(args) == 1:
        return ObjectAttribute(name, kind, optional=True)
    from analyzer.hcl.expressions import evaluate

    # converted to `kind` by hcl.convert.checked_type, which reports a default that does not fit
    return ObjectAttribute(name, kind, optional=True, default=evaluate(args[1], {}))


def _call_name(node: Tree) -> str:
    names = [str(t.children[0]) for t in node.children
             if isinstance(t, Tree) and t.data == "identifier"]
    return names[0] if names else ""
