"""CloudFormation intrinsic functions, evaluated statically in one condition scenario.

Values are plain data or the model's partial forms: `Ref T` on a table is `Ref(T, "name")` (its
name, known or not), `Fn::GetAtt [T, Arn]` is `Ref(T, "arn")`, `Fn::Sub` and `Fn::Join` build
strings known in parts (`Partial`), pseudo parameters are `Unknown("AWS::Region")` and so on.
A condition or a parameter with `AllowedValues` that is not pinned is a *choice*: reading it
raises `NeedChoice` until the scenario enumerator (cloudformation.scenarios) has assigned it
a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from analyzer.model import Partial, Ref, Unknown

TABLE_TYPES = frozenset(
    {"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable"}
)
PSEUDO = frozenset(
    {
        "AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName", "AWS::StackId",
        "AWS::URLSuffix", "AWS::NotificationARNs",
    }
)
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_UNEVALUATED = frozenset(
    {
        "Fn::GetAZs", "Fn::Cidr", "Fn::Base64", "Fn::Transform", "Fn::Length",
        "Fn::ToJsonString", "Fn::ForEach",
    }
)


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()  # `Ref AWS::NoValue`: the property is removed


class NeedChoice(Exception):
    """The evaluation reads a choice the current scenario has not assigned yet."""

    def __init__(self, var: str, options: tuple[str, ...]) -> None:
        super().__init__(var)
        self.var, self.options = var, options


@dataclass
class Context:
    """One scenario's view of a template: pinned parameters and the choices assigned so far."""

    template: Mapping[str, object]
    pinned: Mapping[str, str]
    assignment: Mapping[str, str] = field(default_factory=dict)
    consulted: set[str] = field(default_factory=set)  # choices read (for the evidence)
    prefix: str = ""  # a nested stack's address prefix, e.g. "Child/"
    first_choice: bool = False  # too many scenarios: take each choice's first option
    in_condition: bool = False
    _active: set[str] = field(default_factory=set)  # conditions being evaluated (cycles)

    def section(self, name: str) -> Mapping[str, object]:
        value = self.template.get(name)
        return value if isinstance(value, Mapping) else {}

    def choose(self, var: str, options: tuple[str, ...]) -> str:
        if self.first_choice:
            return options[0]
        if var not in self.assignment:
            raise NeedChoice(var, options)
        self.consulted.add(var)
        return self.assignment[var]


def text_of(value: object) -> object:
    """CloudFormation scalars are strings: YAML `true`/`5` read as bool/int become text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def evaluate(value: object, ctx: Context) -> object:
    if isinstance(value, Mapping):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
                return _function(key, arg, ctx)
            if key == "Condition" and ctx.in_condition:
                return condition(str(arg), ctx)
        out = {k: evaluate(v, ctx) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not NO_VALUE}
    if isinstance(value, list):
        return [v for v in (evaluate(item, ctx) for item in value) if v is not NO_VALUE]
    return value


def _function(name: str, arg: object, ctx: Context) -> object:
    handler = _HANDLERS.get(name)
    if handler is not None:
        return handler(arg, ctx)
    if name in _UNEVALUATED:
        return Unknown(f"{name} is not evaluated")
    return Unknown(f"unknown function {name}")


def ref(name: object, ctx: Context) -> object:
    if not isinstance(name, str):
        return Unknown("Ref to a name that is not a string")
    if name in ctx.pinned:
        return _listed(name, ctx.pinned[name], ctx)
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in PSEUDO:
        return Unknown(name)
    if name in ctx.section("Parameters"):
        return parameter(name, ctx)
    resource = ctx.section("Resources").get(name)
    if isinstance(resource, Mapping):
        kind = text_of(resource.get("Type"))
        kind = kind if isinstance(kind, str) else None  # malformed: reported by the loader
        if kind in TABLE_TYPES:
            props = resource.get("Properties")
            given = props.get("TableName") if isinstance(props, Mapping) else None
            try:  # `TableName: !Ref <itself>` is a cycle CloudFormation rejects: name unknown
                literal = text_of(evaluate(given, ctx)) if given is not None else None
            except RecursionError:
                literal = None
            return Ref(ctx.prefix + name, "name", literal if isinstance(literal, str) else None)
        return Ref(ctx.prefix + name, "id" if kind == "AWS::Backup::BackupPlan" else "ref")
    return Unknown(f"Ref to {name}, which the template does not declare")


def parameter(name: str, ctx: Context) -> object:
    """A parameter's value: pinned, else one of its AllowedValues (a choice), else (outside
    conditions) its Default; conditions take both truth values for a free parameter instead."""
    spec = ctx.section("Parameters").get(name)
    spec = spec if isinstance(spec, Mapping) else {}
    kind = str(spec.get("Type", "String"))
    allowed = spec.get("AllowedValues")
    value: object
    listed = allowed if isinstance(allowed, list) else []
    if listed and not any(isinstance(a, (dict, list)) for a in listed):
        options = tuple(dict.fromkeys(str(text_of(a)) for a in listed))
        value = options[0] if len(options) == 1 else ctx.choose(f"parameter:{name}", options)
    elif ctx.in_condition:
        return Unknown(f"parameter {name} is not pinned")
    elif "Default" in spec and not kind.startswith("AWS::SSM::"):
        value = text_of(spec["Default"])
    else:
        return Unknown(f"parameter {name} has no Default and no --parameter {name}=... value")
    return _listed(name, value, ctx)


def _listed(name: str, value: object, ctx: Context) -> object:
    """A `List<...>` or `CommaDelimitedList` parameter's value is a list of its items."""
    spec = ctx.section("Parameters").get(name)
    kind = str(spec.get("Type", "String")) if isinstance(spec, Mapping) else ""
    if "List" in kind and isinstance(value, str):
        return [item.strip() for item in value.split(",")]
    return value


def condition(name: str, ctx: Context) -> bool:
    """A named condition's value; undecided by the code, it is a choice (both truth values).
    Not memoised, so that every resource records the choices it reads."""
    expr = ctx.section("Conditions").get(name)
    if expr is None or name in ctx._active:
        value: object = Unknown(f"condition {name} is not defined (or refers to itself)")
    else:
        saved, ctx.in_condition = ctx.in_condition, True
        ctx._active.add(name)
        try:
            value = evaluate(expr, ctx)
        finally:
            ctx.in_condition = saved
            ctx._active.discard(name)
    if isinstance(value, bool):
        return value
    return ctx.choose(f"condition:{name}", ("true", "false")) == "true"


def _get_att(arg: object, ctx: Context) -> object:
    parts = arg.split(".", 1) if isinstance(arg, str) else arg
    if not isinstance(parts, list) or len(parts) != 2:
        return Unknown("Fn::GetAtt needs a resource and an attribute")
    # With AWS::LanguageExtensions the logical id may itself be computed (`!Sub Table${X}`).
    name = parts[0] if isinstance(parts[0], str) else text_of(evaluate(parts[0], ctx))
    attr = text_of(evaluate(parts[1], ctx))
    if not isinstance(name, str) or not isinstance(attr, str):
        return Unknown("Fn::GetAtt with an attribute that is not known")
    resource = ctx.section("Resources").get(name)
    kind = resource.get("Type") if isinstance(resource, Mapping) else None
    kind = kind if isinstance(kind, str) else None  # malformed: reported by the loader
    if kind in TABLE_TYPES:
        if attr.lower() in ("arn", "streamarn"):
            return Ref(ctx.prefix + name, attr.lower())
        return Unknown(f"{name}.{attr}")
    return Unknown(f"{name}.{attr}, an attribute of a {kind or 'undeclared'} resource")


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
            pieces.append(_get_att(var, ctx))
        else:
            pieces.append(ref(var, ctx))
    pieces.append(template[last:])
    return concat(pieces)


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


def _select(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Select needs an index and a list")
    index, items = text_of(evaluate(arg[0], ctx)), evaluate(arg[1], ctx)
    if isinstance(index, str) and index.isdigit() and isinstance(items, list):
        return items[int(index)] if int(index) < len(items) else Unknown("Fn::Select out of range")
    return Unknown("Fn::Select of a value that is not known")


def _split(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Split needs a delimiter and a string")
    delimiter, source = text_of(evaluate(arg[0], ctx)), text_of(evaluate(arg[1], ctx))
    if isinstance(delimiter, str) and delimiter and isinstance(source, str):
        return source.split(delimiter)
    return Unknown("Fn::Split of a string that is not known")


def _find_in_map(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) >= 3):
        return Unknown("Fn::FindInMap needs a map and two keys")
    keys = [text_of(evaluate(item, ctx)) for item in arg[:3]]
    node: object = ctx.section("Mappings")
    for key in keys:
        if isinstance(key, Unknown):
            return Unknown(f"Fn::FindInMap with a key that is not known ({key.reason})")
        if not isinstance(node, Mapping) or not isinstance(key, str) or key not in node:
            return Unknown(f"Fn::FindInMap: no key {key!r} in the mapping")
        node = node[key]
    return node


def _if(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
        return Unknown("Fn::If needs a condition name and two values")
    return evaluate(arg[1] if condition(arg[0], ctx) else arg[2], ctx)


def _equals(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Equals needs two values")
    a, b = (text_of(evaluate(item, ctx)) for item in arg)
    if isinstance(a, (str, list)) and isinstance(b, (str, list)):
        return a == b
    return Unknown("Fn::Equals of a value that is not known")


def _logic(name: str) -> Callable[[object, Context], object]:
    def handler(arg: object, ctx: Context) -> object:
        items = arg if isinstance(arg, list) else [arg]
        values = [_truth(item, ctx) for item in items]
        if name == "Fn::Not":
            one = values[0] if len(values) == 1 else Unknown("Fn::Not needs one condition")
            return not one if isinstance(one, bool) else one
        stop = name == "Fn::Or"  # the value that decides: True for Or, False for And
        if stop in values:
            return stop
        return not stop if all(isinstance(v, bool) for v in values) else Unknown(name)

    return handler


def _truth(item: object, ctx: Context) -> bool | Unknown:
    value = evaluate(item, ctx)
    return value if isinstance(value, bool) else Unknown("a condition that is not known")


_HANDLERS = {
    "Ref": ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::FindInMap": _find_in_map,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::And": _logic("Fn::And"),
    "Fn::Or": _logic("Fn::Or"),
    "Fn::Not": _logic("Fn::Not"),
    "Fn::ImportValue": lambda arg, ctx: Unknown("Fn::ImportValue: another stack's export"),
}
