"""Where a module call's code comes from.

A local path (`./x`, `../x`) is read from disk; a remote source (registry, git, ...) through
`.terraform/modules/modules.json` when `terraform init` has been run, else from the built-in
knowledge of popular modules (terraform.registry), else it is reported (DDB005) and left unknown.
Recursion and missing folders are load errors: Terraform itself rejects them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import boundary
from analyzer.catalog import NOT_ANALYSED_RULE
from analyzer.hcl.parse import Block
from analyzer.model import Location, Notice, Unknown
from analyzer.terraform.files import TfFile, TfModuleSource, read_module, relative
from analyzer.terraform.module_tree import MAX_DEPTH, ModuleTree, Target, record_error

if TYPE_CHECKING:
    from analyzer.terraform.context import ModuleContext



def is_local(source: str) -> bool:
    """Terraform's rule: a local path starts with ./ or ../ (anything else is fetched)."""
    return source.startswith(("./", "../", ".\\", "..\\"))


def resolve(module: ModuleContext, name: str, file: TfFile, block: Block) -> Target | Unknown:
    attribute = block.body.attributes.get("source")
    where = Location(file.rel, attribute.line if attribute else block.line)
    address = f"{module.prefix}module.{name}"
    source = attribute.expr if attribute else None
    from analyzer.hcl.expressions import evaluate

    text = evaluate(source, {}) if source is not None else None
    if not isinstance(text, str):
        return record_error(module, where, f"{address}: source must be a literal string")
    if len(module.chain) > MAX_DEPTH:
        return record_error(module, where, f"{address}: modules nested deeper than {MAX_DEPTH}")
    if is_local(text):
        try:
            return _local(module, address, module.source.directory / text, where, text)
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long for the system
            return record_error(module, where, f'{address}: module source "{text}" is not a '
                                f"usable path ({exc})")
    return _remote(module, name, address, text, where, block)


def _local(
    module: ModuleContext, address: str, directory: Path, where: Location, text: str
) -> Target | Unknown:
    tree = _tree(module)
    directory = Path(os.path.normpath(directory))
    if not boundary.inside(directory):
        return record_error(module, where, f'{address}: module source "{text}" '
                            f"{boundary.outside_reason(directory, relative(directory, tree.root))}")
    if not directory.is_dir():
        shown = relative(directory, tree.root)
        return record_error(module, where, f'{address}: module source "{text}" is not a '
                            f"directory ({shown} does not exist)")
    identity = os.path.realpath(directory)
    if identity in module.chain:
        return record_error(module, where, f'{address}: module source "{text}" is a module that '
                            "is calling it (module recursion: Terraform rejects it)")
    return Target(_read(tree, directory), identity)


def _remote(
    module: ModuleContext, name: str, address: str, text: str, where: Location, block: Block
) -> Target | Unknown:
    tree = _tree(module)
    key = ".".join((*module.call_path, name))
    installed = _manifest(tree).get(key)
    if installed is not None:
        directory = Path(os.path.normpath(tree.root_dir / installed))
        if (directory.is_dir() and boundary.inside(directory)
                and os.path.realpath(directory) not in module.chain):
            return Target(_read(tree, directory), os.path.realpath(directory))
    from analyzer.terraform.registry import known_module

    known: Target | None = known_module(
        text, Location(where.file, block.line), module.source.directory)
    if known is not None:
        return known
    reason = (f'{address} comes from "{text}", which was not analysed: run `terraform init` '
              "so that .terraform/modules/modules.json points at its code")
    tree.notices.append(Notice(NOT_ANALYSED_RULE, address, Location(where.file, block.line),
                               reason, group=text))
    return Unknown(reason)


def _tree(module: ModuleContext) -> ModuleTree:
    if module.tree is None:  # a context built without a tree (tests): a private one
        module.tree = ModuleTree(module.source.directory, module.source.directory)
    return module.tree


def _read(tree: ModuleTree, directory: Path) -> TfModuleSource:
    """Parse a module directory once per root, however many times it is called; its parse
    errors are reported once."""
    key = str(directory)
    if key not in tree.sources:
        source = read_module(directory, tree.root)
        tree.errors.extend(source.errors)
        tree.sources[key] = source
    return tree.sources[key]


def _manifest(tree: ModuleTree) -> dict[str, str]:
    """modules.json written by `terraform init`: module call key -> directory (relative to
    the root module). Absent or unreadable: nothing is installed."""
    if tree.manifest is None:
        tree.manifest = {}
        path = tree.root_dir / ".terraform" / "modules" / "modules.json"
        try:
            data = json.loads(boundary.read_text(path))
        except (OSError, ValueError):
            return tree.manifest
        for entry in data.get("Modules", []) if isinstance(data, dict) else []:
            if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(
                    entry.get("Dir"), str) and entry["Key"]:
                tree.manifest[entry["Key"]] = entry["Dir"]
    return tree.manifest
