"""The CloudFormation loader: templates (hand-written YAML/JSON, SAM, CDK output) to the model.

Tables: `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable` (one table per replica),
`AWS::Serverless::SimpleTable`. Protection: `AWS::Backup::BackupPlan` and
`AWS::Backup::BackupSelection`. Conditions are enumerated (`scenarios`); nested stacks with a
local template are followed (`nested_stacks`). A template that a scanned template nests is
judged through its parent, with the parameters the parent passes, and not a second time on its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from analyzer import boundary
from analyzer.cloudformation import nested_stacks, parameter_checks, stack_outputs, transforms
from analyzer.cloudformation import resources as template_resources
from analyzer.cloudformation.backup_plans import plan as plan_record
from analyzer.cloudformation.decode import Node, parse_template, read_text
from analyzer.cloudformation.detect import is_template
from analyzer.cloudformation.intrinsics import STACK_TYPES, TABLE_TYPES, Context, condition
from analyzer.cloudformation.org_policies import ORG_POLICY, policy_selections
from analyzer.cloudformation.scenarios import MAX_SCENARIOS, Snapshot, enumerate_runs, merge
from analyzer.cloudformation.structure import check_conditions, check_section
from analyzer.cloudformation.suppress import resource_suppressions
from analyzer.model import Inventory, LoadError, Location, Pitr, Tags, Unknown
from analyzer.units import stamp_unit

PLAN = "AWS::Backup::BackupPlan"
SELECTION = "AWS::Backup::BackupSelection"
# A stack tree follows at most so many nested stacks, and none once it holds so many tables
# (`Fn::ForEach` can fan out thousands of stacks, each of thousands of tables): beyond, an error.
MAX_NESTED_STACKS = 200
MAX_TREE_TABLES = 20_000
_RELEVANT = TABLE_TYPES | {PLAN, SELECTION, ORG_POLICY} | STACK_TYPES


@dataclass
class _Template:
    path: Path
    rel: str
    data: Mapping[str, object]
    lines: list[str]


class _Cache(dict[Path, "_Template | None"]):
    """Templates parsed so far (None: not a template), and the work one stack tree has done."""

    followed: int = 0
    outputs: stack_outputs.Budget = stack_outputs.Budget()


@dataclass
class _Run:
    snapshot: Snapshot = field(default_factory=Snapshot)
    nested: list[nested_stacks.NestedStack] = field(default_factory=list)


def load_cloudformation_unit(
    path: Path, root: Path, parameters: Mapping[str, str] | None = None
) -> Inventory:
    return load_templates([path], root, parameters)


def load_templates(
    paths: list[Path], root: Path, parameters: Mapping[str, str] | None = None,
    unused: list[str] | None = None,
) -> Inventory:
    """Every template among `paths` (files that are not templates are skipped quietly).
    `unused` receives the --parameter names no root template declares (pseudo parameters such
    as AWS::Region are always used); a value a template's constraints refuse is an error."""
    inventory = Inventory()
    cache = _Cache()
    parsed = [t for p in paths if (t := _parse(p.resolve(), root, inventory, cache))]
    roots = _roots(parsed)
    declared = set().union(*(parameter_checks.declared(t.data) for t in roots))
    if unused is not None:
        unused.extend(sorted(n for n in parameters or {}
                             if n not in declared and not n.startswith("AWS::")))
    for template in roots:
        cache.followed = 0  # the nested stacks followed in this root's tree
        cache.outputs = stack_outputs.Budget()  # and the nested stack outputs it reads
        unit = Inventory(errors=[e for e in inventory.errors if e.location.file == template.rel])
        unit.errors += parameter_checks.check_pins(template.data, template.rel, parameters or {})
        pins = {**_cdk_environment(template.path, root, unit), **(parameters or {})}
        _load(template, "", pins, unit, cache, root, (template.path,))
        inventory.errors = [e for e in inventory.errors if e not in unit.errors]
        inventory.extend(stamp_unit(unit, template.rel))  # the stack tree is one unit
    return inventory


def _roots(parsed: list[_Template]) -> list[_Template]:
    """Templates no other scanned template nests, then any that only nest each other in a
    cycle (judged on their own; the loader reports the cycle)."""
    children = {t.path: set(_children(t)) - {t.path} for t in parsed}
    nested = set().union(*children.values()) if children else set()
    roots = [t for t in parsed if t.path not in nested]
    reached, pending = set(), [t.path for t in roots]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in reached:
                reached.add(child)
                pending.append(child)
    return roots + [t for t in parsed if t not in roots and t.path not in reached]


def _parse(path: Path, root: Path, inventory: Inventory,
           cache: _Cache) -> _Template | None:
    if path in cache:
        return cache[path]
    rel = _relative(path, root)
    text, error = read_text(str(path), rel)
    template = None
    if error is not None:
        inventory.errors.append(error)
    elif text is not None:
        data, problems = parse_template(text, rel)
        inventory.errors.extend(problems)
        if is_template(data) and isinstance(data, Mapping):
            inventory.errors.extend(check_section(data, rel) + check_conditions(data, rel))
            template = _Template(path, rel, data, text.splitlines())
    cache[path] = template
    return template


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


def _resources(template: _Template) -> Mapping[str, object]:
    resources = template.data.get("Resources")
    return resources if isinstance(resources, Mapping) else {}


def _children(template: _Template) -> list[Path]:
    """Local templates this one nests (read literally, before any evaluation)."""
    out = []
    for resource in _resources(template).values():
        if isinstance(resource, Mapping) and str(resource.get("Type")) in STACK_TYPES:
            source = nested_stacks.source_of(str(resource.get("Type")), resource, None)
            child = nested_stacks.local_template(source, template.path)
            if child is not None:
                out.append(child)
    return out


def _cdk_environment(path: Path, root: Path, unit: Inventory) -> dict[str, str]:
    """A CDK stack with an explicit env: manifest.json beside the template gives its Region and
    account (`aws://111122223333/us-east-1`), which the template itself does not repeat. One
    that exists but must not be read (a link out, a FIFO, too large) is an error."""
    manifest_path = path.parent / "manifest.json"
    if not path.name.endswith(".template.json") or not os.path.lexists(manifest_path):
        return {}
    where = Location(_relative(manifest_path, root), 1, 1)
    if not boundary.inside(manifest_path):  # worded as discovery words it: reported once
        unit.errors.append(LoadError(where, boundary.outside_reason(manifest_path,
                                                                    manifest_path.name)))
        return {}
    try:
        manifest = json.loads(boundary.read_bytes(manifest_path))
        artifacts = manifest.get("artifacts", {})
    except OSError as exc:
        unit.errors.append(LoadError(where, f"cannot read the file: {exc.strerror or exc}"))
        return {}
    except (ValueError, AttributeError, RecursionError):
        return {}
    for artifact in artifacts.values() if isinstance(artifacts, dict) else ():
        props = artifact.get("properties") if isinstance(artifact, dict) else None
        env = artifact.get("environment") if isinstance(artifact, dict) else None
        if isinstance(props, dict) and props.get("templateFile") == path.name:
            parts = env.split("/") if isinstance(env, str) and env.startswith("aws://") else []
            pins = {}
            if len(parts) == 4 and not parts[2].startswith("unknown-"):
                pins["AWS::AccountId"] = parts[2]
            if len(parts) == 4 and not parts[3].startswith("unknown-"):
                pins["AWS::Region"] = parts[3]
            return pins
    return {}


def _label(resource: Mapping[str, object]) -> str | None:
    metadata = resource.get("Metadata")
    path = metadata.get("aws:cdk:path") if isinstance(metadata, Mapping) else None
    return path.removesuffix("/Resource") if isinstance(path, str) else None


def _load(template: _Template, prefix: str, pins: Mapping[str, object], inventory: Inventory,
          cache: _Cache, root: Path, stack: tuple[Path, ...]) -> None:
    data = dict(template.data)
    loops = transforms.loop_keys(data)  # once, not once per scenario
    distrusted = _distrusted(stack, cache)
    errors: list[LoadError] = []

    def parse(path: Path) -> tuple[Mapping[str, object], str] | None:
        found = _parse(path, root, inventory, cache)
        return (found.data, found.rel) if found is not None else None

    def run(ctx: Context) -> _Run:
        ctx.prefix = prefix
        ctx.stack_output = stack_outputs.OutputReader(template.path, stack, parse, cache.outputs)
        view = transforms.view(data, ctx, template.rel, loops)  # Fn::ForEach expanded
        errors.extend(e for e in view.errors if e not in errors)
        out = _evaluate(_relevant(view), template, view.resources, ctx, prefix)
        transforms.add_undecided(view.undecided, out.snapshot, out.nested, template.rel,
                                 prefix, ctx)
        if distrusted is not None:
            transforms.distrust(out.snapshot, distrusted)
        return out

    runs = enumerate_runs(run, data, dict(pins))
    if runs is None:
        runs = [({}, _overflow(run(Context(data, dict(pins), first_choice=True))))]
    inventory.errors.extend(e for e in errors if e not in inventory.errors)  # a child twice
    merge([(a, r.snapshot) for a, r in runs], template.rel, inventory)
    first = Context(data, dict(pins), first_choice=True)
    _suppressions(template, transforms.view(data, first, template.rel, loops).resources, prefix,
                  inventory)
    _follow(template, [r for _, r in runs], prefix, pins, inventory, cache, root, stack)


def _relevant(view: transforms.View) -> list[tuple[str, Mapping[str, object]]]:
    undecided = {item.key for item in view.undecided}  # reported by add_undecided
    return [
        (str(lid), res) for lid, res in view.resources.items()
        if isinstance(res, Mapping) and str(res.get("Type")) in _RELEVANT and lid not in undecided
    ]


def _distrusted(stack: tuple[Path, ...], cache: _Cache) -> Unknown | None:
    """Why nothing of this template is trusted: it, or a stack that nests it, uses a macro."""
    for path in stack:
        found = cache.get(path)
        why = transforms.unmodelled(found.data) if found is not None else None
        if why is not None:
            return why
    return None


def _evaluate(relevant: list[tuple[str, Mapping[str, object]]], template: _Template,
              resources: Mapping[str, object], ctx: Context, prefix: str) -> _Run:
    out = _Run()
    for logical_id, resource in relevant:
        ctx.consulted = set()
        when = resource.get("Condition")
        if isinstance(when, str) and not condition(when, ctx):
            continue
        kind = str(resource.get("Type"))
        props = template_resources.properties(resource)
        line, col = resources.key_pos.get(logical_id, (1, 1)) if isinstance(
            resources, Node) else (1, 1)
        where = template_resources.Where(logical_id, prefix + logical_id, template.rel, line,
                                    _label(resource))
        if kind in TABLE_TYPES:
            found = template_resources.tables(kind, props, where, ctx)
            out.snapshot.tables += [(t, frozenset(ctx.consulted)) for t in found]
        elif kind == SELECTION:
            sel = template_resources.selection(props, where, ctx)
            out.snapshot.selections.append((sel, frozenset(ctx.consulted)))
        elif kind == PLAN:
            out.snapshot.plans.append(plan_record(props, where, ctx))
        elif kind == ORG_POLICY:
            out.snapshot.selections += [(sel, frozenset(ctx.consulted))
                                        for sel in policy_selections(props, where, ctx)]
        else:
            out.nested.append(nested_stacks.read_nested(logical_id, kind, resource, line, ctx,
                                                        col))
    return out


def _overflow(result: _Run) -> _Run:
    """More than MAX_SCENARIOS combinations: nothing scenario-dependent is trusted."""
    why = Unknown(f"the template has more than {MAX_SCENARIOS} combinations of condition and "
                  "parameter values; pin parameters with --parameter KEY=VALUE")
    snap = result.snapshot
    snap.tables = [(replace(t, pitr=Pitr(why, t.pitr.location, why),
                            tags=Tags(t.tags.known, why)), u)
                   for t, u in snap.tables]
    snap.selections = [(replace(s, undecided=why), u) for s, u in snap.selections]
    return result


def _suppressions(template: _Template, resources: Mapping[str, object], prefix: str,
                  inventory: Inventory) -> None:
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            continue
        line = resources.line_of(logical_id) if isinstance(resources, Node) else 1
        found = resource_suppressions(resource, template.lines, line, template.rel)
        if found:
            inventory.suppressions.setdefault(prefix + str(logical_id), []).extend(found)


def _follow(template: _Template, runs: list[_Run], prefix: str, pins: Mapping[str, object],
            inventory: Inventory, cache: _Cache, root: Path,
            stack: tuple[Path, ...]) -> None:
    variants: dict[str, list[nested_stacks.NestedStack]] = {}
    for result in runs:
        for nested in result.nested:
            variants.setdefault(nested.logical_id, []).append(nested)
    pseudo = {k: v for k, v in pins.items() if k.startswith("AWS::")}
    for logical_id, found in variants.items():
        first = found[0]
        address = prefix + logical_id
        local = nested_stacks.resolve_local(first.source, template.path)
        refused = [r for v in found if isinstance(
            r := nested_stacks.resolve_local(v.source, template.path), str)]
        if refused:  # fail closed: a local template we must not or cannot read
            where = Location(template.rel, first.line, first.col)
            message = f"nested stack {address}: {refused[0]}"
            inventory.errors.append(LoadError(where, message))
            continue
        child = local if isinstance(local, Path) else None
        same = all(v.source == first.source for v in found)
        followed = child is not None and same
        why = None if followed else nested_stacks.reason_not_followed(first.source)
        if child is not None and child in stack:
            why = "it nests a template that contains it (a cycle)"
        parsed = _parse(child, root, inventory, cache) if why is None and child else None
        if parsed is None:
            why = why or "its file is not a CloudFormation template"
            inventory.notices.append(nested_stacks.not_analysed(first, address, template.rel, why))
            continue
        if cache.followed >= MAX_NESTED_STACKS or len(inventory.tables) >= MAX_TREE_TABLES:
            _too_many(first, address, template.rel, inventory)
            continue
        cache.followed += 1
        passed = nested_stacks.common_parameters(found)
        params = nested_stacks.bind_parameters(parsed.data, passed, pseudo)
        before = len(inventory.tables)
        _load(parsed, address + "/", params, inventory, cache, root, (*stack, parsed.path))
        inventory.tables[before:] = [nested_stacks.with_stack_tags(t, found, address)
                                     for t in inventory.tables[before:]]


def _too_many(stack: nested_stacks.NestedStack, address: str, rel: str,
              inventory: Inventory) -> None:
    """The first stack beyond the budget is an error (exit 2); the rest are notices."""
    why = (f"the stack tree already follows {MAX_NESTED_STACKS} nested stacks or holds "
           f"{MAX_TREE_TABLES} tables")
    if not any(e.message.startswith("nested stack") and why in e.message
               for e in inventory.errors):
        inventory.errors.append(LoadError(Location(rel, stack.line, stack.col),
                                          f"nested stack {address} is not followed: {why}"))
    inventory.notices.append(nested_stacks.not_analysed(stack, address, rel, why))
