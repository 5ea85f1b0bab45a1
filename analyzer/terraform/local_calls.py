"""Which local module directories a Terraform directory calls (for discovery)."""

from __future__ import annotations

import os
from pathlib import Path

from analyzer import boundary
from analyzer.hcl.expressions import evaluate
from analyzer.terraform.files import configuration_files, read_module


def local_callees(directory: Path) -> set[str]:
    """Real paths of the directories `directory` calls as local modules (`source = "./x"`).
    Files that do not parse are skipped here: the loader reports them."""
    from analyzer.terraform.module_sources import is_local

    if not _mentions_module(directory):
        return set()
    out: set[str] = set()
    for _, block in read_module(directory, directory).blocks("module"):
        attribute = block.body.attributes.get("source")
        text = evaluate(attribute.expr, {}) if attribute is not None else None
        if isinstance(text, str) and is_local(text) and "\0" not in text:
            out.add(os.path.realpath(directory / text))
    return out


def _mentions_module(directory: Path) -> bool:
    """Cheap pre-check: parsing every directory twice costs; most never call a module."""
    for path in configuration_files(directory):
        try:
            if b"module" in boundary.read_bytes(path):
                return True
        except OSError:
            continue
    return False
