"""Paths to units: the pieces each loader reads (a Terraform unit is one module directory)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import boundary
from analyzer.model import LoadError, Location

# Directories that hold tool state or dependencies, never the user's own infrastructure code.
SKIPPED_DIRS = frozenset({".terraform", ".git", "node_modules", "__pycache__", ".terragrunt-cache"})
TERRAFORM_SUFFIXES = (".tf", ".tf.json")


@dataclass(frozen=True, order=True)
class Unit:
    kind: str  # "terraform" | "cloudformation" | "plan"
    path: Path


@dataclass
class Discovery:
    root: Path
    units: list[Unit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # arguments that do not exist
    unread: list[str] = field(default_factory=list)  # file arguments no loader reads
    errors: list[LoadError] = field(default_factory=list)  # what could not be walked or read


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
            directories.update(_walk(path.resolve(), found))
        elif _terraform_file(path):
            directories.add(path.resolve().parent)  # a file pulls in its whole module
    terraform = sorted(d for d in directories if _has_terraform(d))
    found.units = [Unit("terraform", d) for d in judged_alone(terraform)]
    plans = plan_units(present)
    read = {unit.path for unit in plans}
    found.units += [u for u in template_units(present, found) if u.path not in read]
    found.units += plans
    read |= {unit.path for unit in found.units if unit.kind == "cloudformation"}
    found.unread = [
        a for a, p in zip(arguments, paths, strict=True)
        if p.is_file() and not _terraform_file(p) and p.resolve() not in read
    ]
    return found


def _terraform_file(path: Path) -> bool:
    return path.name.endswith(TERRAFORM_SUFFIXES) or path.name.endswith(".tfvars")


def template_units(present: list[Path], found: Discovery | None = None) -> list[Unit]:
    """CloudFormation: one unit per template file, recognised by content whatever its
    extension (a cheap peek at its first bytes; the loader confirms). Directories are walked
    as for Terraform; a file argument is a unit when it is a template."""
    from analyzer.cloudformation.detect import may_be_template

    files: set[Path] = set()
    for path in present:
        if path.is_file():
            files.add(path.resolve())
            continue
        for directory in _walk(path.resolve(), found):
            try:
                files.update(Path(e.path) for e in os.scandir(directory) if e.is_file())
            except OSError:
                continue
    inside = [f for f in sorted(files) if boundary.inside(f)]
    if found is not None:
        found.errors += [_error(f, found.root, boundary.outside_reason(f, f.name))
                         for f in sorted(files) if f not in inside and _may_be_iac(f)]
    return [Unit("cloudformation", f) for f in inside if may_be_template(str(f))]


def plan_units(present: list[Path]) -> list[Unit]:
    """Terraform plan (or state) JSON, recognised by content: a file argument, or a `.json`
    file of a walked directory that holds no Terraform files. A plan next to `.tf` files is
    judged only when passed as a path: scanning a root judges its configuration (README,
    "Terraform plan JSON"). Hidden directories (`.plans/`) are skipped as for code."""
    from analyzer.plan.detect import may_be_plan

    files: set[Path] = set()
    for path in present:
        if path.is_file():
            files.add(path.resolve())
            continue
        for directory in _walk(path.resolve()):
            if _has_terraform(directory):
                continue
            try:
                files.update(Path(e.path) for e in os.scandir(directory)
                             if e.name.endswith(".json") and e.is_file())
            except OSError:
                continue
    return [Unit("plan", f) for f in sorted(files)
            if boundary.inside(f) and may_be_plan(str(f))]


def _may_be_iac(path: Path) -> bool:
    """A link out of the repository that could be a template (Terraform files are the
    Terraform loader's to report)."""
    return path.name.endswith((".json", ".yaml", ".yml", ".template"))


def _error(path: Path, root: Path, message: str) -> LoadError:
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    return LoadError(Location(shown, 1, 1), message)


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


def _walk(top: Path, found: Discovery | None = None) -> list[Path]:
    """Every directory under `top`, following links to directories once each (a link loop or a
    dangling link neither hangs nor fails the scan) while they stay inside the repository; a
    link out of it, or a directory that cannot be listed, is an error (fail closed)."""
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
        except OSError as exc:
            if found is not None:
                found.errors.append(_error(directory, found.root, "cannot list directory: "
                                           f"{exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows links; a dangling one is not a directory
            except OSError:
                continue
            if is_dir and not boundary.inside(entry.path):
                if found is not None:
                    found.errors.append(_error(Path(entry.path), found.root,
                                               boundary.outside_reason(entry.path, entry.name)))
            elif is_dir:
                stack.append(Path(entry.path))
    return out


def _has_terraform(directory: Path) -> bool:
    from analyzer.terraform.files import is_ignored_file

    try:
        return any(
            entry.name.endswith(TERRAFORM_SUFFIXES) and not is_ignored_file(entry.name)
            and entry.is_file()
            for entry in os.scandir(directory)
        )
    except OSError:
        return False
