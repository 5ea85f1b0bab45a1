"""Functions on strings and lists: `Fn::Sub`, `Fn::Join`, `Fn::Split`, `Fn::Select`,
`Fn::Base64`, `Fn::Cidr`, and the `AWS::LanguageExtensions` ones (`Fn::Length`,
`Fn::ToJsonString`). Each is exact on known values; a string built from a reference or an
unknown piece is a `Partial`."""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Mapping
from itertools import islice

from analyzer.cloudformation.context import Context, evaluate, register, text_of
from analyzer.cloudformation.references import get_att, ref
from analyzer.model import Partial, Ref, Unknown

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
MAX_CIDR_COUNT = 256  # CloudFormation's own limit


def concat(pieces: list[object]) -> object:
    """Pieces of a string as one value: a str, else a Partial, else Unknown (a list inside)."""
    parts: list[str | Ref | Unknown] = []
    for piece in pieces:
        piece = text_of(piece)
        if isinstance(piece, Partial):
            parts.extend(piece.parts)
        elif isinstance(piece, (str, Ref, Unknown)):
            parts.append(piece)
        else:
            return Unknown("a string is built from a value that is not a string")
    merged: list[str | Ref | Unknown] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if all(isinstance(p, str) for p in merged):
        return "".join(p for p in merged if isinstance(p, str))
    return Partial(tuple(merged))


@register("Fn::Sub")
def _sub(arg: object, ctx: Context) -> object:
    template = arg if isinstance(arg, str) else None
    names: Mapping[str, object] = {}
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
        template = arg[0]
        names = arg[1] if isinstance(arg[1], Mapping) else {}
    if template is None:
        return Unknown("Fn::Sub with a template that is not a string")
    pieces: list[object] = []
    last = 0
    for match in _SUB_VAR.finditer(template):
        pieces.append(template[last : match.start()])
        last = match.end()
        var = match.group(1).strip()
        if var.startswith("!"):
            pieces.append("${" + var[1:] + "}")  # `${!Literal}` is written as `${Literal}`
        elif var in names:
            pieces.append(evaluate(names[var], ctx))
        elif "." in var and not var.startswith("AWS::"):
            pieces.append(get_att(var, ctx))
        else:
            pieces.append(ref(var, ctx))
    pieces.append(template[last:])
    return concat(pieces)


@register("Fn::Join")
def _join(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Join needs a delimiter and a list")
    delimiter, items = text_of(evaluate(arg[0], ctx)), evaluate(arg[1], ctx)
    if not isinstance(delimiter, str) or not isinstance(items, list):
        return Unknown("Fn::Join of a list that is not known")
    pieces: list[object] = []
    for index, item in enumerate(items):
        pieces += [delimiter, item] if index else [item]
    return concat(pieces)


@register("Fn::Select")
def _select(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Select needs an index and a list")
    index, items = text_of(evaluate(arg[0], ctx)), evaluate(arg[1], ctx)
    if isinstance(index, str) and index.isdigit() and isinstance(items, list):
        return items[int(index)] if int(index) < len(items) else Unknown("Fn::Select out of range")
    return Unknown("Fn::Select of a value that is not known")


@register("Fn::Split")
def _split(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Split needs a delimiter and a string")
    delimiter, source = text_of(evaluate(arg[0], ctx)), text_of(evaluate(arg[1], ctx))
    if isinstance(delimiter, str) and delimiter and isinstance(source, str):
        return source.split(delimiter)
    return Unknown("Fn::Split of a string that is not known")


@register("Fn::Base64")
def _base64(arg: object, ctx: Context) -> object:
    value = text_of(evaluate(arg, ctx))
    if isinstance(value, str):
        return base64.b64encode(value.encode()).decode("ascii")
    return Unknown("Fn::Base64 of a string that is not known")


@register("Fn::Cidr")
def _cidr(arg: object, ctx: Context) -> object:
    """`[ipBlock, count, cidrBits]`: the first `count` subnets with `cidrBits` host bits."""
    if not (isinstance(arg, list) and len(arg) == 3):
        return Unknown("Fn::Cidr needs an address block, a count and a size")
    block, count, bits = (text_of(evaluate(item, ctx)) for item in arg)
    if not (isinstance(block, str) and isinstance(count, str) and isinstance(bits, str)
            and count.isdigit() and bits.isdigit()):
        return Unknown("Fn::Cidr of a value that is not known")
    try:
        network = ipaddress.ip_network(block)
    except ValueError:
        return Unknown(f"Fn::Cidr of {block!r}, which is not an address block")
    prefix = network.max_prefixlen - int(bits)
    if not (1 <= int(count) <= MAX_CIDR_COUNT and network.prefixlen <= prefix):
        return Unknown("Fn::Cidr with a count or size CloudFormation rejects")
    subnets = [str(s) for s in islice(network.subnets(new_prefix=prefix), int(count))]
    return subnets if len(subnets) == int(count) else Unknown("Fn::Cidr: the block is too small")


@register("Fn::Length")
def _length(arg: object, ctx: Context) -> object:
    if not ctx.extended():
        return Unknown("Fn::Length needs Transform: AWS::LanguageExtensions")
    value = evaluate(arg, ctx)
    return len(value) if isinstance(value, list) else Unknown("Fn::Length of a list that is "
                                                              "not known")


@register("Fn::ToJsonString")
def _to_json_string(arg: object, ctx: Context) -> object:
    """Compact JSON, as CloudFormation writes it; only when every leaf is a known string
    (how numbers, booleans and other characters are written is not documented)."""
    if not ctx.extended():
        return Unknown("Fn::ToJsonString needs Transform: AWS::LanguageExtensions")
    value = evaluate(arg, ctx)
    if isinstance(value, (Mapping, list)) and _strings_only(value):
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        if text.isascii():  # whether other characters are escaped is not documented either
            return text
    return Unknown("Fn::ToJsonString of a value that is not known as ASCII strings")


def _strings_only(value: object) -> bool:
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _strings_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_strings_only(v) for v in value)
    return isinstance(value, str)
