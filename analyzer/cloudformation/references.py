"""References: `Ref` (resources, parameters, pseudo parameters), `Fn::GetAtt` (tables and nested
stacks' outputs), `Fn::FindInMap`, and the lookups that only the deployment knows
(`Fn::ImportValue`, `Fn::GetAZs`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from analyzer.cloudformation.context import (
    NO_VALUE,
    OTHER_VALUE,
    STACK_TYPES,
    TABLE_TYPES,
    Context,
    Varying,
    evaluate,
    register,
    text_of,
)
from analyzer.model import Ref, Unknown

PSEUDO = frozenset(
    {
        "AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName", "AWS::StackId",
        "AWS::URLSuffix", "AWS::NotificationARNs",
    }
)
# Regions of the partitions whose naming is settled; any other Region (a new partition such as
# a sovereign cloud) leaves the partition unknown.
_PARTITIONS = (
    (re.compile(r"us-gov-[a-z]+-\d+"), "aws-us-gov", "amazonaws.com"),
    (re.compile(r"cn-[a-z]+-\d+"), "aws-cn", "amazonaws.com.cn"),
    (re.compile(r"(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+"), "aws", "amazonaws.com"),
)


@register("Ref")
def ref(name: object, ctx: Context) -> object:
    if not isinstance(name, str):
        return Unknown("Ref to a name that is not a string")
    if name in ctx.pinned:
        value = ctx.pinned[name]
        return _listed(name, value.pick(ctx) if isinstance(value, Varying) else value, ctx)
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in PSEUDO:
        return _pseudo(name, ctx)
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


def _pseudo(name: str, ctx: Context) -> object:
    """A pseudo parameter not pinned: the partition and URL suffix follow from a pinned Region;
    the rest is the deployment's (account, stack, notification topics)."""
    region = ctx.pinned.get("AWS::Region")
    if name in ("AWS::Partition", "AWS::URLSuffix") and isinstance(region, str):
        for pattern, partition, suffix in _PARTITIONS:
            if pattern.fullmatch(region):
                return partition if name == "AWS::Partition" else suffix
    return Unknown(name)


def parameter(name: str, ctx: Context) -> object:
    """A parameter's value: pinned, else one of its AllowedValues (a choice), else (outside
    conditions) a choice of its Default or another value (unknown): a deploy may pass any
    value, so the Default alone would hide an unprotected world. Conditions take both truth
    values for a free parameter instead."""
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
        if ctx.choose(f"parameter:{name}", (str(value), OTHER_VALUE)) == OTHER_VALUE:
            return Unknown(f"parameter {name} is not pinned: a deploy may pass another value "
                           f"than its Default {value!r} (pin it with --parameter {name}=...)")
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


@register("Fn::GetAtt")
def get_att(arg: object, ctx: Context) -> object:
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
    if kind in STACK_TYPES and attr.startswith("Outputs.") and ctx.stack_output is not None:
        return ctx.stack_output(name, attr.removeprefix("Outputs."), ctx)
    return Unknown(f"{name}.{attr}, an attribute of a {kind or 'undeclared'} resource")


@register("Fn::FindInMap")
def find_in_map(arg: object, ctx: Context) -> object:
    """`[Map, TopKey, SecondKey]`; with AWS::LanguageExtensions a fourth item
    `{DefaultValue: v}` is the value when a key is missing."""
    if not (isinstance(arg, list) and len(arg) in (3, 4)):
        return Unknown("Fn::FindInMap needs a map and two keys")
    default = _default_value(arg[3], ctx) if len(arg) == 4 else None
    keys = [text_of(evaluate(item, ctx)) for item in arg[:3]]
    node: object = ctx.section("Mappings")
    for key in keys:
        if isinstance(key, Unknown):
            return Unknown(f"Fn::FindInMap with a key that is not known ({key.reason})")
        if not isinstance(node, Mapping) or not isinstance(key, str) or key not in node:
            if default is not None:
                return default
            return Unknown(f"Fn::FindInMap: no key {key!r} in the mapping")
        node = node[key]
    return node  # Mappings hold literals only


def _default_value(option: object, ctx: Context) -> object:
    if not ctx.extended():
        return Unknown("Fn::FindInMap with DefaultValue needs Transform: "
                       "AWS::LanguageExtensions")
    if isinstance(option, Mapping) and set(option) == {"DefaultValue"}:
        return evaluate(option["DefaultValue"], ctx)
    return Unknown("the fourth item of Fn::FindInMap is not {DefaultValue: ...}")


@register("Fn::ImportValue")
def _import_value(arg: object, ctx: Context) -> object:
    return Unknown("Fn::ImportValue: another stack's export, known only in the deployed account")


@register("Fn::GetAZs")
def _get_azs(arg: object, ctx: Context) -> object:
    return Unknown("Fn::GetAZs: the Availability Zones the account has in the Region")
