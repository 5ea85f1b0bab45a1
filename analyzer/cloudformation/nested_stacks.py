"""Nested stacks: `AWS::CloudFormation::Stack` (TemplateURL) and `AWS::Serverless::Application`
(Location) whose template is a file beside the parent are followed; a remote one is a notice
(DDB006). A child's resources are addressed `<StackLogicalId>/<LogicalId>` (deeper nesting
adds more segments): `/` never occurs in a logical id, and CDK users know the form from
construct paths."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from analyzer import boundary
from analyzer.catalog import NESTED_RULE
from analyzer.cloudformation.intrinsics import NO_VALUE, Context, Varying, evaluate, text_of
from analyzer.model import Location, Notice, Partial, Ref, Table, Tags, Unknown

_REMOTE = ("http://", "https://", "s3://")
NOT_PASSED = object()  # a parameter not passed: the child's Default applies


@dataclass(frozen=True)
class NestedStack:
    """A nested stack as one scenario evaluates it."""

    logical_id: str
    source: object  # the template location: a str when known
    parameters: tuple[tuple[str, object], ...]
    line: int
    col: int = 1
    tags: object = None  # the stack resource's Tags, evaluated (None: none)


def read_nested(logical_id: str, kind: str, resource: Mapping[str, object], line: int,
                ctx: Context, col: int = 1) -> NestedStack:
    props = resource.get("Properties")
    props = props if isinstance(props, Mapping) else {}
    params = evaluate(props.get("Parameters"), ctx)
    pairs = tuple(sorted((str(k), text_of(v)) for k, v in params.items())) if isinstance(
        params, Mapping) else ()
    tags = evaluate(props.get("Tags"), ctx)
    return NestedStack(logical_id, source_of(kind, resource, ctx), pairs, line, col,
                       tags if tags and tags is not NO_VALUE else None)


def with_stack_tags(table: Table, variants: list[NestedStack], address: str) -> Table:
    """CloudFormation propagates a stack's tags to the resources it creates, "varying by
    resource type", with a precedence it does not document: a nested stack's `Tags` may be on
    the child's tables (further keys the code does not decide), and may replace a value the
    table sets for the same key."""
    given = [v.tags for v in variants if v.tags is not None]
    if not given:
        return table
    why = Unknown(f"the Tags of nested stack {address} may propagate to it (CloudFormation "
                  "propagates stack tags, varying by resource type)")
    keys: set[str] | None = set()
    for tags in given:
        pairs = tags.items() if isinstance(tags, Mapping) else (
            (i.get("Key"), i.get("Value")) if isinstance(i, Mapping) else (None, None)
            for i in (tags if isinstance(tags, list) else [None]))
        for key, _ in pairs:
            if isinstance(key, str) and keys is not None:
                keys.add(key)
            else:
                keys = None  # a key the code does not know: any of the table's
    known = {k: (why if keys is None or k in keys else v) for k, v in table.tags.known.items()}
    return replace(table, tags=Tags(known, table.tags.more or why))


def source_of(kind: str, resource: Mapping[str, object], ctx: Context | None) -> object:
    """Where a nested stack's template is: `TemplateURL` or `Location` (evaluated when there is
    a scenario, else only a literal), or for a CDK NestedStack, whose TemplateURL is the
    asset's S3 location, the synthesized file its `aws:asset:path` metadata names beside the
    parent template in cdk.out."""
    metadata = resource.get("Metadata")
    if isinstance(metadata, Mapping) and metadata.get("aws:asset:property") == "TemplateURL":
        asset = metadata.get("aws:asset:path")
        if isinstance(asset, str) and asset.endswith(".template.json"):
            return asset
    props = resource.get("Properties")
    props = props if isinstance(props, Mapping) else {}
    raw = props.get("TemplateURL" if kind == "AWS::CloudFormation::Stack" else "Location")
    if ctx is None:
        return raw
    value = text_of(evaluate(raw, ctx))
    return None if value is NO_VALUE else value


def common_parameters(variants: list[NestedStack]) -> dict[str, object]:
    """What the parent passes, as the child's one load sees it: a value passed the same in
    every scenario as it is; the parameters passed differently by the parent's scenarios as
    one `Varying` choice over exactly the combinations the parent passes."""
    maps = [dict(v.parameters) for v in variants]
    keys = sorted({k for m in maps for k in m})
    varying = [k for k in keys if any(m.get(k, NOT_PASSED) != maps[0].get(k, NOT_PASSED)
                                      for m in maps[1:])]
    out: dict[str, object] = {k: maps[0][k] for k in keys if k not in varying}
    if not varying:
        return out
    combos: list[tuple[object, ...]] = []
    for m in maps:
        combo = tuple(m.get(k, NOT_PASSED) for k in varying)
        if combo not in combos:
            combos.append(combo)
    labels: list[str] = []
    for combo in combos:
        label = ", ".join(_label(v) for v in combo)
        labels.append(label if label not in labels else f"{label} ({len(labels) + 1})")
    var = "parameter:" + ", ".join(varying)
    for index, key in enumerate(varying):
        out[key] = Varying(var, tuple((lb, c[index]) for lb, c in zip(labels, combos, strict=True)))
    return out


def _label(value: object) -> str:
    if value is NOT_PASSED:
        return "its Default"
    if isinstance(value, Unknown):
        return "not known"
    return value if isinstance(value, str) else str(value)


def bind_parameters(child: Mapping[str, object], passed: Mapping[str, object],
                    pseudo: Mapping[str, object]) -> dict[str, object]:
    """The child's parameters as the parent binds them: a nested stack gets only what the
    parent passes, else its Default; nothing else can set them."""
    out = dict(pseudo)
    section = child.get("Parameters")
    for name, spec in (section.items() if isinstance(section, Mapping) else ()):
        spec = spec if isinstance(spec, Mapping) else {}
        given = passed.get(name, NOT_PASSED)
        if isinstance(given, Varying):
            out[str(name)] = Varying(given.var, tuple(
                (label, _bound(str(name), spec, value)) for label, value in given.options))
        elif (value := _bound(str(name), spec, given)) is not NOT_PASSED:
            out[str(name)] = value
    return out


def _bound(name: str, spec: Mapping[str, object], given: object) -> object:
    """One parameter's value: what is passed, else its Default, else NOT_PASSED (free). An
    SSM-typed parameter's value is read at deploy time; a value that is not a string,
    reference or list is unknown."""
    if str(spec.get("Type", "")).startswith("AWS::SSM::"):
        return Unknown(f"parameter {name} names an SSM parameter, whose value is read at "
                       "deploy time")
    if given is NOT_PASSED:
        default = text_of(spec.get("Default"))
        return default if isinstance(default, str) else NOT_PASSED
    value = text_of(given)
    if isinstance(value, (str, Ref, Partial, Unknown, list)):
        return value
    return Unknown(f"parameter {name} is passed a value that is not a string")


def local_template(source: object, parent: Path) -> Path | None:
    """The child template's file, when the location is a local path that may be read."""
    found = resolve_local(source, parent)
    return found if isinstance(found, Path) else None


def resolve_local(source: object, parent: Path) -> Path | str | None:
    """A local location's file; else why it must not be read (an error: outside the
    repository, absolute, a NUL byte, not a regular file); None when it is not a local path
    or no such file exists (a notice). Nothing outside the repository is even looked at."""
    if not isinstance(source, str) or source.startswith(_REMOTE) or not source.strip():
        return None
    shown = _shown(source)
    if "\0" in source:
        return f"its template location {shown!r} contains a NUL byte, so it is not read"
    if os.path.isabs(source):
        return (f"its template location {shown} is an absolute path; a nested template is "
                "read only by a path relative to its parent, so it is not read")
    path = parent.parent / source
    try:
        if not boundary.inside(path):
            return boundary.outside_reason(path, f"its template location {shown}")
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as exc:
        return f"its template file {shown} cannot be read: {getattr(exc, 'strerror', exc) or exc}"
    if not stat.S_ISREG(info.st_mode):
        return f"its template file {shown} is not a regular file, so it is not read"
    return path.resolve()


def not_analysed(stack: NestedStack, address: str, rel: str, why: str) -> Notice:
    source = stack.source
    where = f" ({_shown(source)})" if isinstance(source, str) else ""
    message = (
        f"nested stack {stack.logical_id}{where} is not analysed: {why}; the DynamoDB tables "
        "and backup selections it declares get no verdict"
    )
    return Notice(NESTED_RULE, address, Location(rel, stack.line), message)


def reason_not_followed(source: object) -> str:
    if isinstance(source, str) and source.startswith(_REMOTE):
        return "its template is remote"
    if isinstance(source, str):
        return "its template file is not found beside the parent template"
    if isinstance(source, Mapping):
        return "it is a Serverless Application Repository application"
    return "its template location is not known statically"


def _shown(source: str) -> str:
    """A location as messages show it: a 10 MB string is not repeated in full."""
    return source if len(source) <= 200 else source[:200] + "..."
