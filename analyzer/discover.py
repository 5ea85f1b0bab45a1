"""Paths to units: the pieces each loader reads (a Terraform unit is one module directory)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Directories that hold tool state or dependencies, never the user's own infrastructure code.
SKIPPED_DIRS = frozenset({".terraform", ".git", "node_modules", "__pycache__", ".terragrunt-cache"})
TERRAFORM_SUFFIXES = (".tf", ".tf.json")


@dataclass(frozen=True, order=True)
class Unit:
    kind: str  # "terraform" | "cloudformation"
    path: Path


@dataclass
class Discovery:
    root: Path
    units: list[Unit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # arguments that do not exist


def scan_root(paths: list[Path]) -> Path:
    """The directory reported paths are relative to: the directory itself when one directory is
    scanned; otherwise the working directory when every path lies inside it (pre-commit hands
    repository-relative files), else their common parent."""
    resolved = [p.resolve() for p in paths]
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0]
    cwd = Path.cwd().resolve()
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def discover(arguments: list[str]) -> Discovery:
    paths = [Path(a) for a in arguments]
    missing = [a for a, p in zip(arguments, paths, strict=False) if not p.exists()]
    present = [p for p in paths if p.exists()]
    found = Discovery(scan_root(present) if present else Path.cwd().resolve(), missing=missing)
    directories: set[Path] = set()
    for path in present:
        if path.is_dir():
            directories.update(_walk(path.resolve()))
        elif path.name.endswith(TERRAFORM_SUFFIXES) or path.name.endswith(".tfvars"):
            directories.add(path.resolve().parent)  # a file pulls in its whole module
    terraform = sorted(d for d in directories if _has_terraform(d))
    found.units = [Unit("terraform", d) for d in judged_alone(terraform)]
    found.units += template_units(present)
    return found


def template_units(present: list[Path]) -> list[Unit]:
    """CloudFormation: one unit per template file, recognised by content whatever its
    extension (a cheap peek at its first bytes; the loader confirms). Directories are walked
    as for Terraform; a file argument is a unit when it is a template."""
    from analyzer.cloudformation.detect import may_be_template

    files: set[Path] = set()
    for path in present:
        if path.is_file():
            files.add(path.resolve())
            continue
        for directory in _walk(path.resolve()):
            try:
                files.update(Path(e.path) for e in os.scandir(directory) if e.is_file())
            except OSError:
                continue
    return [Unit("cloudformation", f) for f in sorted(files) if may_be_template(str(f))]


def judged_alone(directories: list[Path]) -> list[Path]:
    """The directories that are root modules of this scan. A directory that another scanned
    directory calls as a local module (directly or through other modules) is judged through
    its callers, with their inputs and addresses; one that nothing scanned calls is judged on
    its own. Directories that only call each other in a cycle stay (the loader reports it)."""
    from analyzer.terraform.local_calls import local_callees

    real = {os.path.realpath(d): d for d in directories}
    callees = {key: local_callees(d) & real.keys() for key, d in real.items()}
    called = {c for key, found in callees.items() for c in found if c != key}
    roots = [key for key in real if key not in called]
    reached: set[str] = set()
    pending = list(roots)
    while pending:
        for callee in callees[pending.pop()]:
            if callee not in reached:
                reached.add(callee)
                pending.append(callee)
    return sorted(d for key, d in real.items() if key in roots or key not in reached)


def _walk(top: Path) -> list[Path]:
    """Every directory under `top`, following links to directories once each (a link loop or a
    dangling link neither hangs nor fails the scan)."""
    seen: set[str] = set()
    out: list[Path] = []
    stack = [top]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in seen:
            continue
        seen.add(real)
        out.append(directory)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():  # follows links; a dangling one is not a directory
                    stack.append(Path(entry.path))
            except OSError:
                continue
    return out


def _has_terraform(directory: Path) -> bool:
    try:
        return any(
            entry.name.endswith(TERRAFORM_SUFFIXES) and entry.is_file()
            for entry in os.scandir(directory)
        )
    except OSError:
        return False
