"""The Terraform configuration a plan was made from, read with the HCL loader and the plan's
root variable values: where each resource block is written (with the `iac-ddb-lint:ignore`
comments that apply to it), the HCL record of every backup selection, and what the
`resource_arn` of every `aws_dynamodb_tag` instance decidedly is.

Whether a directory is that configuration is checked, not assumed: its resource, data and
module blocks must be the ones the plan's `configuration` lists, module by module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.hcl.budget import work_budget
from analyzer.hybrid.references import written_objects
from analyzer.model import BackupSelection, Inventory, LoadError, Location, Suppression, Unknown
from analyzer.provider.dynamodb_tags import TagTarget
from analyzer.terraform.collect import collect
from analyzer.terraform.context import ModuleContext
from analyzer.terraform.files import read_module
from analyzer.terraform.inputs import InputLayers, root_variables
from analyzer.terraform.module_tree import ModuleTree
from analyzer.terraform.suppress import block_suppressions
from analyzer.terraform.tag_resources import decided_target

Json = Any
BlockKey = tuple[tuple[str, ...], str]  # (module call names from the root, "type.name")
SHOWN = 3  # names listed when a configuration differs from the plan's


# arguments whose references are compared
CHECKED = ("resources", "not_resources", "plan_id", "resource_arn")


@dataclass(frozen=True)
class WrittenBlock:
    location: Location
    suppressions: tuple[Suppression, ...]  # its own comments and its module calls'
    references: Mapping[str, frozenset[str]] = field(default_factory=dict)  # by argument


@dataclass
class Configured:
    directory: Path
    shown: str  # the directory as the user knows it (relative to the scan root)
    blocks: dict[BlockKey, WrittenBlock] = field(default_factory=dict)
    selections: dict[str, BackupSelection] = field(default_factory=dict)  # by HCL address
    replicas: dict[tuple[str, str], Location] = field(default_factory=dict)  # (table, Region)
    tag_targets: dict[str, TagTarget | Unknown] = field(default_factory=dict)  # by instance
    errors: list[LoadError] = field(default_factory=list)
    mismatch: str | None = None  # why this is not the plan's configuration


def read_configuration(directory: Path, root: Path, shown: str,
                       plan: Mapping[str, Json]) -> Configured:
    """The configuration in `directory`, evaluated with the plan's variable values (they are
    the values Terraform used: they override defaults and .tfvars)."""
    with work_budget():  # one HCL evaluation budget, as for a Terraform unit
        return _read(directory, root, shown, plan)


def _read(directory: Path, root: Path, shown: str, plan: Mapping[str, Json]) -> Configured:
    out = Configured(directory, shown)
    source = read_module(directory, root)
    given = _mapping(plan.get("variables"))
    layers = InputLayers(cli=[{str(k): _mapping(v).get("value") for k, v in given.items()}])
    variables, errors = root_variables(source, directory, root, layers)
    tree = ModuleTree(root, directory)
    module = ModuleContext(source, "", variables, tree=tree,
                           chain=(os.path.realpath(directory),))
    module.build()
    out.errors = [*source.errors, *errors, *tree.errors]
    configuration = _mapping(_mapping(plan.get("configuration")).get("root_module"))
    out.mismatch = (None if out.errors else "the plan shows no configuration" if not
                    configuration else _differs(configuration, module, "the root module"))
    if out.errors or out.mismatch:
        return out
    pending = [module]
    while pending:
        current = pending.pop()
        _index(current, out)
        pending.extend(current.children())
    out.errors.extend(e for e in tree.errors if e not in out.errors)
    return out


def _index(module: ModuleContext, out: Configured) -> None:
    for file, block in module.source.blocks("resource"):
        if len(block.labels) >= 2:
            key = (module.call_path, f"{block.labels[0]}.{block.labels[1]}")
            if key in out.blocks:
                continue
            attributes = block.body.attributes
            out.blocks[key] = WrittenBlock(
                Location(file.rel, block.line),
                (*module.suppressions, *block_suppressions(file.body, block, file.rel)),
                {name: written_objects(attributes[name].expr) for name in CHECKED
                 if name in attributes})
    found = Inventory()
    collect(module, found)  # as HCL mode: the same records, with the plan's variable values
    for selection in found.selections:
        out.selections.setdefault(selection.address, selection)
    for inst, exists in module.instances_of("aws_dynamodb_tag"):
        out.tag_targets.setdefault(inst.address, exists or decided_target(inst))
    for table in found.tables:  # a `replica {}` block is a table of its own, at its block
        if table.replica_region is not None:
            out.replicas.setdefault((table.address, table.replica_region), table.location)


def _differs(planned: Mapping[str, Json], module: ModuleContext, where: str) -> str | None:
    """Why the HCL module is not the one the plan's configuration shows (None: it is)."""
    written = {f"{'data.' if kind == 'data' else ''}{b.labels[0]}.{b.labels[1]}"
               for kind in ("resource", "data") for _, b in module.source.blocks(kind)
               if len(b.labels) >= 2}
    listed = {str(r.get("address")) for r in planned.get("resources") or []
              if isinstance(r, Mapping) and r.get("mode", "managed") in ("managed", "data")}
    calls = _mapping(planned.get("module_calls"))
    named = {b.labels[0] for _, b in module.source.blocks("module") if b.labels}
    declared = {b.labels[0] for _, b in module.source.blocks("variable") if b.labels}
    for what, theirs, ours in (("resources", listed, written), ("module calls", set(calls), named),
                               ("variables", set(_mapping(planned.get("variables"))), declared)):
        if theirs != ours:
            return (f"{where} differs in its {what}: only the plan has "
                    f"{_few(theirs - ours)}; only the files have {_few(ours - theirs)}")
    seen: set[str] = set()
    for child in module.children():  # every instance of a call has the same code: one each
        name = child.call_path[-1]
        if name in seen or name not in calls or child.chain[-1].startswith("known:"):
            continue  # "known:": the built-in model of a registry module, not its code
        seen.add(name)
        inner = _mapping(_mapping(calls[name]).get("module"))
        found = _differs(inner, child, f"{where.removeprefix('the root module')}.module.{name}"
                         .lstrip("."))
        if found is not None:
            return found
    return None


def _few(names: set[str]) -> str:
    shown = sorted(names)
    more = f" and {len(shown) - SHOWN} more" if len(shown) > SHOWN else ""
    return (", ".join(shown[:SHOWN]) + more) if shown else "nothing"


def _mapping(value: Json) -> Mapping[str, Json]:
    return value if isinstance(value, Mapping) else {}
