"""Module calls: each instance of a `module` block is a ModuleContext of its own.

A call is evaluated with the inputs its caller passes (evaluated lazily, in the caller's scope
with that instance's `each`/`count`), under the address `module.<name>[key].`, with the
caller's default provider (or the `providers` map). Where the module's code comes from is
decided by `module_sources`: a local folder, `.terraform/modules/modules.json`, built-in knowledge
of a registry module, or nothing (then a DDB005 notice, and its outputs are unknown).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Block
from analyzer.model import LoadError, Location, Suppression, Unknown
from analyzer.terraform.existence import block_existence, join
from analyzer.terraform.files import TfFile
from analyzer.terraform.lazy import CycleSafeCache, LazyMap, traversal_text
from analyzer.terraform.module_tree import (
    MAX_MODULE_INSTANCES,
    Target,
    expansion_reporter,
    record_error,
)
from analyzer.terraform.typed_variables import declare, typed_value

if TYPE_CHECKING:
    from analyzer.terraform.context import ModuleContext, Provider


class ModuleCalls:
    """The module blocks of one module: their instances, built on first use, and their value
    as `module.<name>` sees it."""

    def __init__(self, module: ModuleContext) -> None:
        self.module = module
        self.blocks: dict[str, tuple[TfFile, Block]] = {}
        for file, block in module.source.blocks("module"):
            if block.labels:
                self.blocks.setdefault(block.labels[0], (file, block))
        self._expanded: CycleSafeCache[str, tuple[list[ModuleContext], Unknown | None]] = (
            CycleSafeCache())

    def values(self) -> LazyMap:
        return LazyMap(sorted(self.blocks), self._value, self._describe)

    def _describe(self, name: str) -> str:
        return f"{self.module.prefix}module.{name}"

    def children(self) -> list[ModuleContext]:
        return [child for name in sorted(self.blocks) for child in self.expand(name)[0]]

    def _value(self, name: str) -> object:
        children, undecided = self.expand(name)
        if undecided is not None:
            return undecided
        attributes = self.blocks[name][1].body.attributes
        if "count" in attributes:
            return [child.outputs for child in children]
        if "for_each" in attributes:
            return {child.key: child.outputs for child in children}
        return children[0].outputs

    def expand(self, name: str) -> tuple[list[ModuleContext], Unknown | None]:
        """The instances of one call. Undecided count/for_each: one instance with the
        unindexed address stands for all; its outputs are then unknown."""
        # A cycle: count/for_each that reads this module's own outputs.
        return self._expanded.get(
            name,
            lambda: self._expand(name),
            lambda: ([], Unknown(f"{self._describe(name)} depends on itself")),
        )

    def _expand(self, name: str) -> tuple[list[ModuleContext], Unknown | None]:
        from analyzer.terraform.expand import instance_scopes, undecided_scopes
        from analyzer.terraform.module_sources import resolve  # it reads modules: lazily

        file, block = self.blocks[name]
        target = resolve(self.module, name, file, block)
        if isinstance(target, Unknown):
            return [], target
        over = self._over_budget(file, block, name, None)
        if over is None:
            scopes, undecided = instance_scopes(
                block, self.module.scope, expansion_reporter(self.module, file))
            over = self._over_budget(file, block, name, len(scopes))
        if over is not None:
            scopes, undecided = undecided_scopes(self.module.scope, block, over), over
        from analyzer.terraform.suppress import block_suppressions

        ignores = (*self.module.suppressions, *block_suppressions(file.body, block, file.rel))
        # The one child of an undecided call stands for all of them, and maybe for none.
        exists = join(self.module.exists, block_existence(
            file, block, f"{self._describe(name)}", undecided))
        children = [
            self._child(name, target, block, (suffix, key, scope), ignores, exists)
            for suffix, key, scope in scopes
        ]
        return children, undecided

    def _over_budget(
        self, file: TfFile, block: Block, name: str, count: int | None
    ) -> Unknown | None:
        """Why this call is not expanded: the root's module instances are spent (see
        MAX_MODULE_INSTANCES); the call that crosses the limit is an error, once per root.
        `count`: the instances this call adds, None to check before expanding it."""
        tree = self.module.tree
        if tree is None:
            return None
        reason = Unknown(f"more than {MAX_MODULE_INSTANCES} module instances in this root: "
                         f"{self._describe(name)} is not expanded")
        if count is None:
            return reason if tree.module_instances > MAX_MODULE_INSTANCES else None
        tree.module_instances += count
        if tree.module_instances <= MAX_MODULE_INSTANCES:
            return None
        tree.module_instances = MAX_MODULE_INSTANCES + 1
        return record_error(self.module, Location(file.rel, block.line, 1), reason.reason)

    def _child(
        self, name: str, target: Target, block: Block,
        instance: tuple[str, object, Mapping[str, object]], ignores: tuple[Suppression, ...],
        exists: Unknown | None,
    ) -> ModuleContext:
        parent = self.module
        suffix, key, scope = instance
        prefix = f"{parent.prefix}module.{name}{suffix}."
        file = self.blocks[name][0]
        inputs = input_values(target, (file, block), scope, prefix[:-1],
                              lambda error: record_error(parent, error.location, error.message))
        return parent.call_instance(
            target.source, prefix, inputs,
            call_name=name, identity=target.identity,
            inherited=_passed_providers(parent, block), key=key, suppressions=ignores,
            exists=exists,
        )


def input_values(
    target: Target, call_block: tuple[TfFile, Block], scope: Mapping[str, object], address: str,
    report: Callable[[LoadError], object] | None = None,
) -> LazyMap:
    """var.* of one module instance: the argument of the call converted to the variable's type,
    else the default, else unknown (Terraform requires it); knowledge may add values the module
    computes. A value that does not convert, an invalid type or default, is told to `report`
    (at the argument, or in the module's file) and the variable is unknown."""
    declared = {b.labels[0]: (f, b) for f, b in target.source.blocks("variable") if b.labels}
    tell = report or (lambda error: None)
    file, call = call_block

    def compute(name: str) -> object:
        if name not in declared:
            return target.computed[name]
        decl = declare(*declared[name])
        for problem in decl.errors:
            tell(problem)
        argument = call.body.attributes.get(name)
        if argument is None:
            if decl.has_default:
                return decl.default
            return Unknown(f"{address}: the required input var.{name} is not set by the call")
        where = Location(file.rel, argument.line, argument.col)
        value, error = typed_value(
            decl, evaluate(argument.expr, scope), where, f"{address}.var.{name}")
        if error is not None:
            tell(error)
        return value

    names = sorted(set(declared) | set(target.computed))
    return LazyMap(names, compute, f"{address}: var.{{}}".format)


def output_map(module: ModuleContext) -> LazyMap:
    """output.* of a module, as its callers read them (`module.x.<name>`)."""
    exprs = {}
    for _, block in module.source.blocks("output"):
        value = block.body.attributes.get("value")
        if block.labels and value is not None:
            exprs[block.labels[0]] = value.expr
    where = module.prefix[:-1] or "the root module"
    return LazyMap(sorted(exprs), lambda name: evaluate(exprs[name], module.scope),
                   f"{where}.{{}}".format)


def _passed_providers(parent: ModuleContext, block: Block) -> dict[str, Provider]:
    """The default aws provider passes down implicitly; a `providers` map replaces that
    inheritance entirely (Terraform's rule)."""
    attribute = block.body.attributes.get("providers")
    if attribute is None:
        return {"aws": parent.provider_named("aws")}
    passed: dict[str, Provider] = {}
    for key_node, value_node in _object_items(attribute.expr):
        child_key, parent_key = traversal_text(key_node), traversal_text(value_node)
        if child_key and parent_key:
            passed[child_key] = parent.provider_named(parent_key)
    return passed


def _object_items(expr: object) -> list[tuple[object, object]]:
    """(key, value) expression pairs of an object constructor, as written."""
    from analyzer.hcl.syntax_tree import Tree

    node = expr
    while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if not isinstance(node, Tree) or node.data != "object":
        return []
    pairs: list[tuple[object, object]] = []
    for elem in node.children:
        if isinstance(elem, Tree) and elem.data == "object_elem":
            parts = [c for c in elem.children if isinstance(c, Tree)
                     and c.data != "new_line_or_comment"]
            if len(parts) >= 2:
                key = parts[0].children[0] if parts[0].data == "object_elem_key" else parts[0]
                pairs.append((key, parts[1]))
    return pairs
