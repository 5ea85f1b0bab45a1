"""`yamldecode()` and `yamlencode()`, as Terraform's go-cty-yaml does them.

Decoding resolves plain scalars as Terraform does (YAML 1.1 booleans such as `yes`/`on`/`n`, a
leading zero is still decimal, `0o` octal, `0x` hex, merge keys); a plain scalar that looks like a
number or a timestamp in a form not modelled here, or an explicit tag other than `!!str`, is
unknown rather than guessed. Aliases are shared nodes: converting them spends the work budget,
so a "billion laughs" document cannot blow up. Encoding covers what Terraform prints plainly
(maps, lists, bools, null, integers, one-line strings); anything else is unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from analyzer.hcl import numbers
from analyzer.hcl.budget import check_text, spend
from analyzer.hcl.string_functions import json_text
from analyzer.hcl.values import (
    EvalError,
    Undecided,
    Value,
    concrete,
    function,
    is_list,
    is_number,
    need_text,
    number_text,
)
from analyzer.model import Unknown

if TYPE_CHECKING:
    import yaml

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
_FALSE = frozenset({"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?")
_NUMERIC_LOOKING = re.compile(r"[-+.0-9]|<<$|=$")
_STR_TAG = "tag:yaml.org,2002:str"


@function("yamldecode", 1)
def _yamldecode(value: Value) -> Value:
    import yaml  # here, not at the top: a run that calls neither function needs no YAML

    text = need_text(value)
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise EvalError(f"invalid YAML: {error}") from None
    if len(documents) != 1:
        raise EvalError("the YAML text must hold exactly one document")
    return _convert(documents[0])


def _convert(node: yaml.Node) -> Value:
    import yaml

    spend()
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return _mapping(node)
    raise Undecided(Unknown("a YAML node of an unexpected kind is not evaluated"))


def _mapping(node: yaml.MappingNode) -> dict[str, Value]:
    import yaml

    out: dict[str, Value] = {}
    merged: dict[str, Value] = {}
    for key_node, value_node in node.value:
        if _is_merge_key(key_node):
            many = isinstance(value_node, yaml.SequenceNode)
            sources = value_node.value if many else [value_node]
            for source in sources:
                found = _convert(source)
                if not isinstance(found, dict):
                    raise EvalError("a YAML merge key takes a map or a list of maps")
                for name, item in found.items():
                    merged.setdefault(name, item)
            continue
        key = _convert(key_node)
        if isinstance(key, (dict, list)) or key is None:
            raise Undecided(Unknown("a YAML map key that is not a string is not evaluated"))
        out[key if isinstance(key, str) else json_text(key)] = _convert(value_node)
    for name, item in merged.items():
        out.setdefault(name, item)
    return out


def _is_merge_key(node: yaml.Node) -> bool:
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.value == "<<" and node.style is None


def _scalar(node: yaml.ScalarNode) -> Value:
    text = node.value
    if node.tag == _STR_TAG and (node.style is not None or not _implicit(node)):
        return text  # quoted, block or `!!str`
    if node.style is not None or not _implicit(node):
        raise Undecided(Unknown(f"the YAML tag {node.tag} is not evaluated"))
    if text in _NULLS:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    if _DECIMAL.fullmatch(text):
        return _whole(text, 10)
    if re.fullmatch(r"0o[0-7]+", text):
        return _whole(text[2:], 8)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return _whole(text[2:], 16)
    if _FLOAT.fullmatch(text):
        try:  # at 512 bits, as HCL's own literals (yamldecode("0.1") + 0.2 is 0.3)
            return numbers.parse(text)
        except numbers.NumberTooLarge as error:
            raise Undecided(Unknown(f"the YAML number {text!r}: {error}")) from None
    if _NUMERIC_LOOKING.match(text):
        raise Undecided(Unknown(f"the YAML scalar {text!r} is not evaluated (a number, time or "
                                "special value in a form this analyzer does not model)"))
    return text


def _implicit(node: yaml.ScalarNode) -> bool:
    """No explicit tag was written (PyYAML resolves one anyway; a `!` tag is explicit)."""
    import yaml

    resolved: str = yaml.SafeLoader.resolve(
        yaml.SafeLoader, yaml.ScalarNode, node.value, (True, False))  # type: ignore[arg-type]
    return bool(node.tag == resolved)


# Encoding -------------------------------------------------------------------------------------

_PLAIN_TEXT = re.compile(r"[ -~]{0,60}")


@function("yamlencode", 1)
def _yamlencode(value: Value) -> str:
    data = concrete(value)
    lines = _encode(data, "")
    if not isinstance(data, (dict, list, tuple, str)):
        lines.append("...\n")  # a plain scalar document is closed, as go-yaml writes it
    text = "".join(lines)
    check_text(len(text), "the result of yamlencode()")
    return text


def _encode(value: Value, indent: str) -> list[str]:
    spend()
    if isinstance(value, dict):
        if not value:
            return ["{}\n"]
        out: list[str] = []
        for key in sorted(value):
            out.extend(_entry(f"{indent}{_text(key)}:", value[key], indent, nested=True))
        return out
    if is_list(value):
        if not value:
            return ["[]\n"]
        out = []
        for item in value:
            out.extend(_entry(f"{indent}-", item, indent, nested=False))
        return out
    return [_scalar_text(value) + "\n"]


def _entry(head: str, value: Value, indent: str, nested: bool) -> list[str]:
    if (isinstance(value, dict) and value) or (is_list(value) and value):
        inner = indent + ("  " if (nested and isinstance(value, dict)) or not nested else "")
        body = _encode(value, inner)
        if not nested:  # `- ` then the first line of the item on the same line
            return [f"{head} {body[0][len(inner):]}", *body[1:]]
        return [f"{head}\n", *body]
    return [f"{head} {_encode(value, indent)[0]}"]


def _scalar_text(value: Value) -> str:
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if isinstance(value, str):
        return _text(value)
    raise Undecided(Unknown("yamlencode() of this value is not evaluated"))


def _text(text: str) -> str:
    if not _PLAIN_TEXT.fullmatch(text):
        raise Undecided(Unknown("yamlencode() of a long or multi-line string is not evaluated"))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _whole(text: str, base: int) -> int:
    try:
        return numbers.whole(text, base)
    except numbers.NumberTooLarge as error:
        raise Undecided(Unknown(f"the YAML number {text[:20]!r}...: {error}")) from None
