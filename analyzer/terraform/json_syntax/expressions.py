"""A JSON value, read as Terraform's JSON syntax reads it, written back as HCL expression source.

Terraform defines JSON syntax in terms of native syntax: a string is a template (`"${x.arn}"`),
numbers, booleans and null are literals, an object is an object expression whose keys are
templates too, an array is a tuple. A few arguments differ: `variable.default` is a literal value
(no templates), and `provider`, `depends_on`, `iterator`, ... hold expression source in a string.
Rendering to HCL source lets the one HCL parser and evaluator read both syntaxes alike. Every
rendered expression is one line, so a parse error maps back to one JSON value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from analyzer.hcl.parse import HclSyntaxError
from analyzer.terraform.json_syntax.scanner import JArray, JObject, JScalar, JValue

if TYPE_CHECKING:
    from analyzer.hcl.syntax_tree import Tree

Mode = Literal["template", "literal", "raw"]
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_OPEN = ("${", "%{")
_ESCAPED_OPEN = ("$${", "%%{")


def render(node: JValue, mode: Mode) -> str:
    """HCL source for a JSON value; HclSyntaxError on a repeated object key."""
    if isinstance(node, JArray):
        return "[" + ", ".join(render(item, mode) for item in node.items) + "]"
    if isinstance(node, JObject):
        return _object(node, mode)
    if isinstance(node.value, str):
        return _string(node.value, mode)
    return node.text  # true, false, null, or a number as written (HCL reads JSON numbers)


def _object(node: JObject, mode: Mode) -> str:
    seen: dict[str, tuple[int, int]] = {}
    items = []
    for member in node.members:
        if member.key in seen:
            line, col = seen[member.key]
            raise HclSyntaxError(member.line, member.col,
                                 f'duplicate object key "{member.key}" (first at {line}:{col})')
        seen[member.key] = (member.line, member.col)
        items.append(f"{_string(member.key, mode)} = {render(member.value, mode)}")
    return "{" + ", ".join(items) + "}"


def _string(text: str, mode: Mode) -> str:
    if mode == "raw":
        return " ".join(text.splitlines()) or '""'
    if mode == "literal":
        text = text.replace("${", "$${").replace("%{", "%%{")
        return '"' + "".join(_escape(c) for c in text) + '"'
    return quote_template(text)


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\u{ord(char):04x}" if ord(char) < 0x20 else char


def quote_template(text: str) -> str:
    """A JSON string's template text as an HCL quoted template: the literal parts are escaped,
    the `${...}` and `%{...}` parts are HCL source already and are kept (on one line)."""
    out = ['"']
    i = 0
    while i < len(text):
        if text.startswith(_ESCAPED_OPEN, i):
            out.append(text[i : i + 3])
            i += 3
        elif text.startswith(_OPEN, i):
            end = _sequence_end(text, i + 2)
            out.append(" ".join(text[i:end].splitlines()))
            i = end
        else:
            out.append(_escape(text[i]))
            i += 1
    out.append('"')
    return "".join(out)


def _sequence_end(text: str, i: int) -> int:
    """Index after the `}` closing an interpolation or directive opened before `i`, skipping
    braces inside nested quoted strings (`"${join("}", x)}"`)."""
    depth = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            i = _quoted_end(text, i + 1)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    return len(text)  # unterminated: the HCL parser reports it


def _quoted_end(text: str, i: int) -> int:
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        elif text.startswith(_ESCAPED_OPEN, i):
            i += 3
        elif text.startswith(_OPEN, i):
            i = _sequence_end(text, i + 2)
        else:
            i += 1
    return len(text)


def plain_tree(node: JValue, mode: Mode) -> Tree | None:
    """The expression tree the HCL parser would give for a value with no template and no
    expression source in it (most of a generated file), built directly: Lark parses slowly.
    None when the value needs the parser. tests/test_tf_json.py checks the shapes against it."""
    from analyzer.hcl.syntax_tree import Token, Tree

    if mode == "raw":
        return None
    if isinstance(node, JScalar):
        return _plain_scalar(node)
    if isinstance(node, JArray):
        items = [plain_tree(item, mode) for item in node.items]
        if any(item is None for item in items):
            return None
        children: list[Tree | Token] = [Token("LSQB", "[")]
        for i, item in enumerate(items):
            children.extend([Token("COMMA", ",")] if i else [])
            children.append(item)  # type: ignore[arg-type]
        return Tree("expr_term", [Tree("tuple", [*children, Token("RSQB", "]")])])
    return _plain_object(node, mode)


def _plain_object(node: JObject, mode: Mode) -> Tree | None:
    from analyzer.hcl.syntax_tree import Token, Tree

    children: list[Tree | Token] = [Token("LBRACE", "{")]
    for i, member in enumerate(node.members):
        key = _plain_string(member.key)
        value = plain_tree(member.value, mode)
        if key is None or value is None:
            return None
        children.extend([Token("COMMA", ",")] if i else [])
        children.append(Tree("object_elem", [Tree("object_elem_key", [key]),
                                             Token("EQ", " ="), value]))
    if len({m.key for m in node.members}) != len(node.members):
        return None  # the parser path reports the repeated key
    return Tree("expr_term", [Tree("object", [*children, Token("RBRACE", "}")])])


def _plain_scalar(node: JScalar) -> Tree | None:
    from analyzer.hcl.syntax_tree import Token, Tree

    value = node.value
    if isinstance(value, str):
        return _plain_string(value)
    if value is None or isinstance(value, bool):
        literal = Token("NULL" if value is None else node.text.upper(), node.text)
        return Tree("expr_term", [Tree("literal_value", [literal])])
    if node.text.startswith("-"):
        return None  # a unary minus in HCL: leave it to the parser
    if node.text.isdigit():
        return Tree("expr_term", [Tree("int_lit", [Token("INT_LITERAL", node.text)])])
    return Tree("expr_term", [Tree("float_lit", [Token("FLOAT_LITERAL", node.text)])])


def _plain_string(text: str) -> Tree | None:
    from analyzer.hcl.syntax_tree import Token, Tree

    if "${" in text or "%{" in text:
        return None
    quote = Token("DBLQUOTE", '"')
    parts = [Tree("string_part", [Token("STRING_CHARS", "".join(map(_escape, text)))])]
    return Tree("expr_term", [Tree("string", [quote, *(parts if text else []), quote])])
