"""Terraform JSON syntax (`*.tf.json`, as CDK for Terraform writes it) to the same `Body` structure
that `hcl.parse.parse_hcl` gives for `*.tf`, so everything downstream reads both alike.

- Labels are levels of nested objects (`resource.<type>.<name>`); an array of objects at any
  level stands for several blocks. Block lines are the lines of their last label's key (or of
  the `{` of an array element); `end_line` is the line of the closing `}`.
- Which properties of a body are nested blocks comes from `schema` (unlisted: arguments).
- Argument values become HCL expression trees (see `expressions`), all parsed in one go.
- `"//"` properties of bodies are comments: every string in them goes into the top-level
  `Body.comments` at its own line, so `# iac-ddb-lint:ignore` directives work the same. (In a
  one-line, minified file every block shares that line, so a directive reaches all of them.)
- Errors are `HclSyntaxError(line, col, message)`, as from `parse_hcl`: invalid JSON, a repeated
  argument or object key, a block given as something other than an object or array of objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from analyzer.hcl.parse import Attribute, Block, Body, HclSyntaxError, parse_hcl
from analyzer.terraform.json_syntax.expressions import Mode, plain_tree, render
from analyzer.terraform.json_syntax.scanner import (
    JArray,
    JMember,
    JObject,
    JScalar,
    JValue,
    scan_json,
)
from analyzer.terraform.json_syntax.schema import TOP_LEVEL, Schema, body_schema, dynamic_schema

if TYPE_CHECKING:
    from analyzer.hcl.syntax_tree import Tree

_COMMENT_KEY = "//"
_UNPARSED = cast("Tree", None)  # replaced by parse_expressions before the Body is returned


def parse_tf_json(text: str) -> Body:
    """Parse a `.tf.json` file; raise HclSyntaxError with a 1-based line and column."""
    root = scan_json(text.removeprefix("\ufeff"))
    if not isinstance(root, JObject):
        raise HclSyntaxError(root.line, root.col, "a .tf.json file must hold one JSON object")
    reader = _Reader()
    body = Body()
    for member in root.members:
        if member.key == _COMMENT_KEY:
            reader.comment(member.value)
        elif member.key in TOP_LEVEL:
            reader.blocks(body, member, TOP_LEVEL[member.key].labels,
                          partial(body_schema, member.key))
        # Any other key: Terraform rejects it, and nothing we evaluate reads it.
    reader.parse_expressions()
    body.comments = sorted(reader.comments)
    return body


def parse_json_values(text: str) -> Body:
    """A JSON object of literal values (`terraform.tfvars.json`) as attributes; no templates."""
    root = scan_json(text.removeprefix("\ufeff"))
    if not isinstance(root, JObject):
        raise HclSyntaxError(root.line, root.col, "a .tfvars.json file must hold one JSON object")
    reader = _Reader()
    body = Body()
    for member in root.members:
        reader.attribute(body, member, "literal")
    reader.parse_expressions()
    return body


class _Reader:
    def __init__(self) -> None:
        self.comments: list[tuple[int, str]] = []
        self.pending: list[tuple[Attribute, str, JValue]] = []  # filled in by parse_expressions

    def comment(self, node: JValue) -> None:
        """Every string in a `"//"` value is a comment line (CDKTF puts objects there)."""
        if isinstance(node, JScalar):
            if isinstance(node.value, str):
                self.comments.extend((node.line + i, part.strip())
                                     for i, part in enumerate(node.value.splitlines()))
        elif isinstance(node, JObject):
            for member in node.members:
                self.comment(member.value)
        else:
            for item in node.items:
                self.comment(item)

    def blocks(self, parent: Body, member: JMember, labels_needed: int,
               schema_of: Callable[[list[str]], Schema]) -> None:
        """Append the blocks one property stands for; their body schemas may depend on labels."""
        for labels, line, obj in self._bodies(member, labels_needed, []):
            body = self.body(obj, schema_of(labels))
            parent.blocks.append(Block(member.key, labels, body, line, obj.end_line))

    def _bodies(self, member: JMember, labels_needed: int,
                labels: list[str]) -> Iterator[tuple[list[str], int, JObject]]:
        """Each block body under a property, with its labels and line: one nested object level
        per label, and an array of objects wherever an object may stand."""
        for line, obj in _objects(member):
            if labels_needed == 0:
                yield labels, line, obj
                continue
            for label in obj.members:
                if label.key == _COMMENT_KEY:
                    self.comment(label.value)
                    continue
                yield from self._bodies(label, labels_needed - 1, [*labels, label.key])

    def body(self, obj: JObject, schema: Schema) -> Body:
        body = Body()
        for member in obj.members:
            key = member.key
            if key == _COMMENT_KEY:
                self.comment(member.value)
            elif key == "dynamic" and schema.dynamic:
                self.blocks(body, member, 1, partial(dynamic_schema, schema))
            elif key in schema.blocks:
                nested = schema.blocks[key]
                self.blocks(body, member, nested.labels, partial(_fixed, nested))
            else:
                mode: Mode = ("raw" if key in schema.raw
                              else "literal" if key in schema.literal else "template")
                self.attribute(body, member, mode)
        return body

    def attribute(self, body: Body, member: JMember, mode: Mode) -> None:
        if member.key in body.attributes:
            first = body.attributes[member.key]
            raise HclSyntaxError(member.line, member.col, f'duplicate argument "{member.key}" '
                                 f"(first set at {first.line}:{first.col})")
        tree = plain_tree(member.value, mode)
        attribute = Attribute(member.key, tree or _UNPARSED, member.line, member.col)
        body.attributes[member.key] = attribute
        if tree is None:
            self.pending.append((attribute, render(member.value, mode), member.value))
        else:
            _place(tree, member.value)

    def parse_expressions(self) -> None:
        """Parse every rendered expression in one HCL document: one parser run per file."""
        if not self.pending:
            return
        source = "".join(f"_{i} = {text}\n" for i, (_, text, _) in enumerate(self.pending))
        try:
            parsed = parse_hcl(source).attributes
        except HclSyntaxError:
            parsed = {}
        if len(parsed) != len(self.pending):
            self._first_bad_expression()
        for i, (attribute, _, node) in enumerate(self.pending):
            attribute.expr = _place(parsed[f"_{i}"].expr, node)

    def _first_bad_expression(self) -> None:
        """Parse one by one to name the value that is not a valid expression."""
        for attribute, text, node in self.pending:
            try:
                parse_hcl(f"_ = {text}\n")
            except HclSyntaxError as exc:
                message = f'invalid expression in "{attribute.name}": {exc.message}'
                raise HclSyntaxError(node.line, node.col, message) from None
        raise HclSyntaxError(1, 1, "cannot read the expressions of this file")  # pragma: no cover


def _place(expr: Tree, node: JValue) -> Tree:
    """Positions of the JSON value, not of the rendered source."""
    meta = expr.meta
    meta.line, meta.column, meta.end_line = node.line, node.col, node.line
    return expr


def _fixed(schema: Schema, _labels: list[str]) -> Schema:
    return schema


def _objects(member: JMember) -> list[tuple[int, JObject]]:
    """The object, or the objects of the array, a block property holds; null holds none."""
    value = member.value
    if isinstance(value, JObject):
        return [(member.line, value)]
    if isinstance(value, JArray) and all(isinstance(item, JObject) for item in value.items):
        return [(item.line, item) for item in value.items if isinstance(item, JObject)]
    if isinstance(value, JScalar) and value.value is None:
        return []
    raise HclSyntaxError(value.line, value.col, f'"{member.key}" must be a JSON object or an array '
                         f'of objects (the contents of "{member.key}" blocks or their labels)')
