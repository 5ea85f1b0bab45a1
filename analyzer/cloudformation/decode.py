"""CloudFormation template text (YAML or JSON) to plain Python data that remembers positions.

PyYAML's C loader does the decoding when present (JSON is read by the same loader: JSON is YAML
in flow style). Mappings become `Node` dicts that know their own position and their keys';
short-form intrinsics (`!GetAtt A.B`) become the long form (`{"Fn::GetAtt": ["A", "B"]}`), as
CloudFormation itself reads them. Problems (syntax, duplicate keys, unknown tags) are collected as
`LoadError`s naming `file:line:col`, never raised. CloudFormation accepts neither aliases (`*a`)
nor merge keys (`<<`); we refuse them too, which also disarms alias bombs (a few hundred bytes
that expand to gigabytes).
"""

from __future__ import annotations

from typing import Any

import yaml

from analyzer import boundary
from analyzer.model import LoadError, Location

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Short form -> long form key. `!Ref` and `!Condition` keep their names; the rest are `Fn::X`.
SHORT_FORMS = {
    "Ref": "Ref",
    "Condition": "Condition",
    **{
        name: f"Fn::{name}"
        for name in (
            "GetAtt", "Sub", "Join", "If", "Select", "Split", "FindInMap", "ImportValue",
            "Equals", "Not", "And", "Or", "GetAZs", "Base64", "Cidr", "Transform", "Length",
            "ToJsonString", "ForEach",
        )
    },
}


class Node(dict[object, object]):
    """A mapping with the 1-based line and column of itself and of each of its keys."""

    line: int = 0
    col: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_pos: dict[object, tuple[int, int]] = {}

    def line_of(self, key: object) -> int:
        return self.key_pos.get(key, (self.line, self.col))[0]


class _Refused(Exception):
    """A construct CloudFormation does not accept and we do not expand: stop reading the file."""


_ALIAS = (
    "YAML aliases are not accepted: CloudFormation does not support anchors (&name) and aliases "
    "(*name); this value is used again by an alias"
)


class _Loader(_Base):
    def __init__(self, stream: str, rel: str) -> None:
        super().__init__(stream)
        self.rel = rel
        self.problems: list[LoadError] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(LoadError(Location(self.rel, mark.line + 1, mark.column + 1), message))

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # The composer resolves an alias to the very node it names, so a node met a second
        # time is an alias (or a cycle): refuse before anything expands it.
        if node in self.constructed_objects or node in self.recursive_objects:
            self.problem(node, _ALIAS)
            raise _Refused
        return super().construct_object(node, deep=deep)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    out = Node()
    out.line, out.col = node.start_mark.line + 1, node.start_mark.column + 1
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            loader.problem(key_node, "YAML merge keys (<<) are not accepted by CloudFormation")
            raise _Refused
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            loader.problem(key_node, "a mapping key must be a plain value")
            continue
        if key in out:
            loader.problem(key_node, f"duplicate key {key!r} (first at line {out.line_of(key)})")
            continue
        out.key_pos[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


def _short_form(loader: _Loader, suffix: str, node: yaml.Node) -> object:
    name = SHORT_FORMS.get(suffix)
    if name is None:
        loader.problem(node, f"unknown tag !{suffix} (not a CloudFormation intrinsic function)")
        return None
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)  # `!GetAtt Table.Arn` -> ["Table", "Arn"]
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = _mapping(loader, node)  # type: ignore[arg-type]
    wrapped = Node()
    wrapped.line, wrapped.col = node.start_mark.line + 1, node.start_mark.column + 1
    wrapped[name] = value
    return wrapped


def _timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    # `AWSTemplateFormatVersion: 2010-09-09` unquoted is a version string, not a date.
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
_Loader.add_multi_constructor("!", _short_form)


def parse_template(text: str, rel: str) -> tuple[object, list[LoadError]]:
    """The document's data (None when it does not parse) and the problems found."""
    if text.lstrip().startswith("{"):
        # JSON: the YAML loader gives positions, but accepts what JSON does not (a trailing
        # comma, comments), which CloudFormation rejects; check it strictly first.
        import json

        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            where = Location(rel, exc.lineno, exc.colno)
            return None, [LoadError(where, f"JSON syntax error: {exc.msg}")]
        except RecursionError:
            return None, [LoadError(Location(rel, 1, 1), "JSON nested too deeply")]
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            return None, [LoadError(Location(rel, 1, 1), f"JSON value not readable: {exc}")]
    loader = _Loader(text, rel)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        return None, [LoadError(Location(rel, line, col), f"YAML/JSON syntax error: {problem}")]
    except _Refused:
        return None, loader.problems
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [LoadError(Location(rel, 1, 1), f"cannot parse the template: {exc}")]
    finally:
        loader.dispose()
    return data, loader.problems


def read_text(path: str, rel: str) -> tuple[str | None, LoadError | None]:
    """The file's text, or an error for a file outside the repository, not regular, too large,
    binary or not UTF-8 (CloudFormation accepts UTF-8 templates only)."""
    try:
        raw = boundary.read_bytes(path)
    except OSError as exc:
        why = exc.strerror or str(exc)
        return None, LoadError(Location(rel, 1, 1), f"cannot read the file: {why}")
    except ValueError as exc:  # a NUL byte in the name
        return None, LoadError(Location(rel, 1, 1), f"cannot read the file: {exc}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, LoadError(Location(rel, 1, 1), "the file is UTF-16, not UTF-8: "
                               "CloudFormation accepts UTF-8 templates only")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, LoadError(Location(rel, line, 1), "the file is not valid UTF-8")
    if "\0" in text:
        return None, LoadError(Location(rel, 1, 1), "the file is binary (contains NUL bytes)")
    return text, None
