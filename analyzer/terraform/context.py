"""One evaluated Terraform module: its variables, locals, providers and resource instances.

A `ModuleContext` is the seam for module calls and count/for_each: the root module is a context
with the address prefix "" and variables from defaults and tfvars; each instance of a called
module is a context with the prefix `module.x.` (`module.x["k"].`) and the caller's inputs
(see terraform.module_calls).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.file_functions import FILE_ACCESS
from analyzer.hcl.parse import Block
from analyzer.model import Location, Suppression, Unknown
from analyzer.terraform.existence import block_existence, in_module, join
from analyzer.terraform.file_access import RepositoryFiles
from analyzer.terraform.files import TfFile, TfModuleSource
from analyzer.terraform.lazy import LazyMap, traversal_text
from analyzer.terraform.objects import DataObject, ResourceObject

if TYPE_CHECKING:
    from analyzer.terraform.module_calls import ModuleCalls
    from analyzer.terraform.module_tree import ModuleTree


# A repository is planned in many workspaces: unknown unless --workspace names them.
WORKSPACE_UNKNOWN = Unknown("terraform.workspace is chosen at run time (name it with --workspace)")


@dataclass
class Provider:
    region: object
    default_tags: object  # a map value, or None
    location: Location | None


@dataclass
class Instance:
    """One instance of a resource block: its address and the scope its arguments see."""

    address: str
    type: str
    block: Block
    file: TfFile
    scope: Mapping[str, object]
    provider: Provider
    key: object = None  # each.key or count.index of this instance

    def location(self) -> Location:
        return Location(self.file.rel, self.block.line)

    def attr(self, name: str) -> object:
        attribute = self.block.body.attributes.get(name)
        return None if attribute is None else evaluate(attribute.expr, self.scope)


@dataclass
class ModuleContext:
    source: TfModuleSource
    prefix: str  # "" for a root module, "module.x." inside a call
    variables: Mapping[str, object]
    providers: dict[str, Provider] = field(default_factory=dict)
    scope: Mapping[str, object] = field(default_factory=dict)
    instances: dict[str, list[Instance]] = field(default_factory=dict)  # by type.name
    tree: ModuleTree | None = None  # shared by every module of one root; None: no module calls
    call_path: tuple[str, ...] = ()  # module call names from the root, e.g. ("orders", "inner")
    chain: tuple[str, ...] = ()  # real paths of the directories being evaluated, root first
    inherited: dict[str, Provider] = field(default_factory=dict)  # providers the caller passes
    # `iac-ddb-lint:ignore` comments above or inside the module blocks that called this
    # instance (all the way up): they apply to every table it declares.
    suppressions: tuple[Suppression, ...] = ()
    key: object = None  # each.key or count.index of this module instance
    outputs: Mapping[str, object] = field(default_factory=dict)
    # Why this module instance may not exist (a call above it with an undecided count/for_each):
    # then neither may anything it declares. None: it exists whenever its root does.
    exists: Unknown | None = None
    workspace: object = WORKSPACE_UNKNOWN  # terraform.workspace, the same in every module

    def build(self) -> None:
        resources = {f"{b.labels[0]}.{b.labels[1]}": (f, b) for f, b in self._labelled("resource")}
        data = {f"{b.labels[0]}.{b.labels[1]}": (f, b) for f, b in self._labelled("data")}
        root: dict[str, object] = {
            "var": self.variables,
            "local": self._locals(),
            "path": {"module": self._path_module(), "root": ".",
                     "cwd": Unknown("path.cwd is the directory Terraform runs in")},
            FILE_ACCESS: RepositoryFiles(self.tree.root_dir, self.tree.root) if self.tree
            else RepositoryFiles(self.source.directory),
            "terraform": {"workspace": self.workspace},
            "module": self._module_calls(),
            "data": _by_type(data, lambda key: DataObject(key, data[key][1], self)),
        }
        root.update(_by_type(resources, self._resource_value))
        self.scope = root
        self.providers = self._providers()
        self._resources = resources

    def _path_module(self) -> object:
        """As Terraform has it: the module's directory relative to the root module's ("." for
        the root). A module known from the registry knowledge has no directory of its own."""
        if self.tree is None or (self.chain and self.chain[-1].startswith("known:")):
            return "." if not self.prefix else Unknown("path.module of this module is not known")
        return Path(os.path.relpath(self.source.directory, self.tree.root_dir)).as_posix()

    def _labelled(self, kind: str) -> list[tuple[TfFile, Block]]:
        return [(f, b) for f, b in self.source.blocks(kind) if len(b.labels) >= 2]

    def _locals(self) -> LazyMap:
        exprs = {}
        for _, block in self.source.blocks("locals"):
            for name, attribute in block.body.attributes.items():
                exprs[name] = attribute.expr
        return LazyMap(sorted(exprs), lambda k: evaluate(exprs[k], self.scope), "local.{}".format)

    def _module_calls(self) -> LazyMap:
        from analyzer.terraform.module_calls import ModuleCalls, output_map

        self.calls: ModuleCalls = ModuleCalls(self)
        self.outputs = output_map(self)
        return self.calls.values()

    def call_instance(
        self, source: TfModuleSource, prefix: str, variables: Mapping[str, object], *,
        call_name: str, identity: str, inherited: dict[str, Provider], key: object,
        suppressions: tuple[Suppression, ...], exists: Unknown | None = None,
    ) -> ModuleContext:
        """One instance of a module this one calls, built (see module_calls); `exists` says why
        it may not exist (its own call's and every caller's count/for_each)."""
        child = ModuleContext(
            source, prefix, variables, tree=self.tree, call_path=(*self.call_path, call_name),
            chain=(*self.chain, identity), inherited=inherited, key=key,
            suppressions=suppressions, exists=exists, workspace=self.workspace,
        )
        child.build()
        return child

    def children(self) -> list[ModuleContext]:
        """Every instance of every module this one calls, in call-name order."""
        return self.calls.children()

    def _providers(self) -> dict[str, Provider]:
        found: dict[str, Provider] = dict(self.inherited)
        for file, block in self.source.blocks("provider"):
            if block.labels != ["aws"]:
                continue
            body = block.body
            alias = body.attributes.get("alias")
            key = "aws"
            if alias is not None:
                key = f"aws.{evaluate(alias.expr, self.scope)}"
            region = body.attributes.get("region")
            tags: object = None
            for tag_block in body.blocks_of("default_tags"):
                attribute = tag_block.body.attributes.get("tags")
                tags = None if attribute is None else evaluate(attribute.expr, self.scope)
            found[key] = Provider(
                evaluate(region.expr, self.scope) if region else Unknown(
                    "the provider sets no region (the environment decides)"),
                tags,
                Location(file.rel, block.line),
            )
        return found

    def provider_for(self, block: Block) -> Provider:
        attribute = block.body.attributes.get("provider")
        return self.provider_named(traversal_text(attribute.expr) if attribute else "aws")

    def provider_named(self, key: str | None) -> Provider:
        if key in self.providers:
            return self.providers[key or "aws"]
        if key == "aws":
            return Provider(Unknown("no aws provider block (the environment decides)"), None, None)
        return Provider(Unknown(f"provider {key} is not configured here"), None, None)

    def _resource_value(self, key: str) -> object:
        file, block = self._resources[key]
        instances, undecided = self.expand(file, block)
        if undecided is not None:
            return undecided
        if "count" in block.body.attributes:
            return [ResourceObject(i) for i in instances]
        if "for_each" in block.body.attributes:
            return {i.key: ResourceObject(i) for i in instances}
        return ResourceObject(instances[0])

    def expand(self, file: TfFile, block: Block) -> tuple[list[Instance], Unknown | None]:
        """The instances of a resource block. When count/for_each is not decided, one instance
        with the unindexed address stands for all, and the reason comes second."""
        from analyzer.terraform.expand import instance_scopes
        from analyzer.terraform.module_tree import expansion_reporter

        base = f"{self.prefix}{block.labels[0]}.{block.labels[1]}"
        provider = self.provider_for(block)
        scopes, undecided = instance_scopes(block, self.scope, expansion_reporter(self, file))
        return [
            Instance(base + suffix, block.labels[0], block, file, scope, provider, key)
            for suffix, key, scope in scopes
        ], undecided

    def instances_of(self, resource_type: str) -> list[tuple[Instance, Unknown | None]]:
        """Every instance of every resource block of a type, in file and line order, with why
        it may not exist (its count/for_each, or this module instance's): None if it does."""
        out: list[tuple[Instance, Unknown | None]] = []
        for file, block in self._labelled("resource"):
            if block.labels[0] == resource_type:
                instances, undecided = self.expand(file, block)
                out.extend(
                    (inst, join(block_existence(file, block, inst.address, undecided),
                                in_module(inst.address, self.exists)))
                    for inst in instances)
        return out


def _by_type(found: dict[str, tuple[TfFile, Block]], make: object) -> dict[str, LazyMap]:
    """Group `type.name` keys into {type: LazyMap(name -> value)}."""
    types: dict[str, list[str]] = {}
    for key in sorted(found):
        rtype, name = key.split(".", 1)
        types.setdefault(rtype, []).append(name)
    out: dict[str, LazyMap] = {}
    for rtype, names in types.items():
        out[rtype] = LazyMap(
            names,
            lambda name, rtype=rtype: make(f"{rtype}.{name}"),  # type: ignore[operator,misc]
            lambda name, rtype=rtype: f"{rtype}.{name}",  # type: ignore[misc]
        )
    return out

