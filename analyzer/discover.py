"""Paths to units: the pieces each loader reads (a Terraform unit is one module directory)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import boundary
from analyzer.model import LoadError, Location

# Directories that hold tool state or dependencies, never the user's own infrastructure code.
SKIPPED_DIRS = frozenset({".terraform", ".git", "node_modules", "__pycache__", ".terragrunt-cache"})
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
TERRAGRUNT_FILE = "terragrunt.hcl"  # a Terragrunt unit (analyzer.terragrunt)


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
    shared_configs: set[str] = field(default_factory=set)  # real paths Terragrunt units include


_REPORTED_FROM: ContextVar[Path | None] = ContextVar("reported_from", default=None)


@contextmanager
def reported_from(directory: Path) -> Iterator[None]:
    """Within it, scans report paths relative to `directory` whenever every scanned path lies
    inside it. The command line passes its working directory, so that a terminal, an editor or
    a CI system opens `examples/app/main.tf:51` as printed (issue 14 item 13)."""
    token = _REPORTED_FROM.set(directory.resolve())
    try:
        yield
    finally:
        _REPORTED_FROM.reset(token)


def scan_root(paths: list[Path]) -> Path:
    """The directory reported paths are relative to: the `reported_from` directory when every
    path lies inside it; else the directory itself when one directory is scanned; otherwise the
    working directory when every path lies inside it (pre-commit hands repository-relative
    files), else their common parent."""
    resolved = [p.resolve() for p in paths]
    preferred = _REPORTED_FROM.get()
    if preferred is not None and all(p == preferred or preferred in p.parents for p in resolved):
        return preferred
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0]
    cwd = Path.cwd().resolve()
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def discover(arguments: list[str], also_shown: list[str] | None = None) -> Discovery:
    """`also_shown`: directories read for the scan without being scanned (--tf-dir): reported
    paths are relative to a root that holds them too."""
    paths = [Path(a) for a in arguments]
    missing = [a for a, p in zip(arguments, paths, strict=False) if not p.exists()]
    present = [p for p in paths if p.exists()]
    shown = [*present, *(Path(a) for a in also_shown or [] if Path(a).exists())]
    found = Discovery(scan_root(shown) if present else Path.cwd().resolve(), missing=missing)
    # One walk: every directory under the directory arguments with the files it holds.
    listing: dict[Path, list[Path]] = {}
    for path in present:
        if path.is_dir():
            listing.update(_walk(path.resolve(), found))
    file_args = [p.resolve() for p in present if p.is_file()]
    directories = set(listing) | {f.parent for f in file_args if _terraform_file(f)}
    terraform = sorted(d for d in directories if _has_terraform(d, listing.get(d)))
    grunt, sourced, found.shared_configs = _terragrunt(directories, listing, found.root)
    terraform = [d for d in terraform if d not in grunt]  # its .tf files are the unit's module
    found.units = [Unit("terraform", d) for d in judged_alone(terraform, sourced)]
    found.units += [Unit("terragrunt", d) for d in sorted(grunt)]
    plans = plan_units(file_args, listing)
    read = {unit.path for unit in plans}
    found.units += [u for u in template_units(file_args, listing, found) if u.path not in read]
    found.units += plans
    read |= {unit.path for unit in found.units if unit.kind == "cloudformation"}
    unread = [(a, p) for a, p in zip(arguments, paths, strict=True)
              if p.is_file() and not _terraform_file(p) and p.resolve() not in read]
    malformed = {a: _malformed_json(p.resolve(), found.root) for a, p in unread}
    found.errors += [e for e in malformed.values() if e is not None]
    found.unread = [a for a, _ in unread if malformed[a] is None]
    return found


def _malformed_json(path: Path, root: Path) -> LoadError | None:
    """A `.json` file named as a PATH that is not JSON at all (a truncated plan loses the
    markers that tell it is one): an error at the position JSON gives, never a silent skip."""
    if not path.name.lower().endswith(".json") or not boundary.inside(path):
        return None
    import json

    try:
        json.loads(boundary.read_text(path))
    except json.JSONDecodeError as exc:
        where = _error(path, root, "")
        return LoadError(Location(where.location.file, exc.lineno, exc.colno),
                         f"malformed JSON ({exc.msg}): a plan or template passed as a path "
                         "must be complete")
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None  # unreadable: the read error is reported where it is read
    return None


def _terraform_file(path: Path) -> bool:
    return (path.name.endswith(TERRAFORM_SUFFIXES) or path.name.endswith(".tfvars")
            or path.name == TERRAGRUNT_FILE)


def _terragrunt(directories: set[Path], listing: dict[Path, list[Path]], root: Path
                ) -> tuple[set[Path], set[str], set[str]]:
    """Terragrunt units (directories with a terragrunt.hcl that no other unit includes), the
    real paths of the local module folders they run (judged through them), and of the files
    they include."""
    candidates = sorted(d for d in directories if _holds_config(d, listing.get(d)))
    if not candidates:
        return set(), set(), set()
    from analyzer.terragrunt.discovery import terragrunt_units

    units, sourced, included = terragrunt_units(candidates, root)
    return set(units), sourced, included


def template_units(
    file_args: list[Path], listing: dict[Path, list[Path]], found: Discovery
) -> list[Unit]:
    """CloudFormation: one unit per template file, recognised by content whatever its
    extension (a cheap peek at its first bytes; the loader confirms): every file of a walked
    directory, and a file argument when it is a template."""
    from analyzer.cloudformation.detect import may_be_template

    files = sorted({*file_args, *(f for listed in listing.values() for f in listed)})
    inside: list[Path] = []
    outside: list[Path] = []  # (one pass: a membership test per file was quadratic)
    for f in files:
        (inside if boundary.inside(f) else outside).append(f)
    found.errors += [_error(f, found.root, boundary.outside_reason(f, f.name))
                     for f in outside if _may_be_iac(f)]
    return [Unit("cloudformation", f) for f in inside if may_be_template(str(f))]


def plan_units(file_args: list[Path], listing: dict[Path, list[Path]]) -> list[Unit]:
    """Terraform plan (or state) JSON, recognised by content: a file argument, or a `.json`
    file of a walked directory that holds no Terraform files. A plan next to `.tf` files is
    judged only when passed as a path: scanning a root judges its configuration (README,
    "Terraform plan JSON"). Hidden directories (`.plans/`) are skipped as for code."""
    from analyzer.plan.detect import may_be_plan

    files = set(file_args)
    for directory, listed in listing.items():
        if not _has_terraform(directory, listed):
            files.update(f for f in listed if f.name.endswith(".json"))
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


def _holds_config(directory: Path, listed: list[Path] | None) -> bool:
    """Does the directory hold a terragrunt.hcl? (`listed`: its files, when the walk has
    them; a directory that cannot be looked into holds none: the walk reports it.)"""
    config = directory / TERRAGRUNT_FILE
    if listed is not None:
        return config in listed
    try:
        return config.is_file()
    except OSError:
        return False


def judged_alone(directories: list[Path], sourced: set[str] | None = None) -> list[Path]:
    """The directories that are root modules of this scan. A directory that another scanned
    directory calls as a local module (directly or through other modules) is judged through
    its callers, with their inputs and addresses; one that nothing scanned calls is judged on
    its own. Directories that only call each other in a cycle stay (the loader reports it).
    `sourced`: real paths of the modules Terragrunt units run (judged through the units)."""
    if not directories:
        return []  # a template-only scan: no HCL parser imported
    from analyzer.terraform.local_calls import local_callees
    from analyzer.terraform.parallel_parse import prefetch

    prefetch(directories)  # many files to parse: across cores, before anything reads them
    real = {os.path.realpath(d): d for d in directories}
    callees = {key: local_callees(d) & real.keys() for key, d in real.items()}
    called = {c for key, found in callees.items() for c in found if c != key}
    called |= sourced or set()
    roots = [key for key in real if key not in called]
    reached: set[str] = set(sourced or ())
    pending = [*roots, *(key for key in sourced or () if key in real)]
    while pending:
        for callee in callees[pending.pop()]:
            if callee not in reached:
                reached.add(callee)
                pending.append(callee)
    return sorted(d for key, d in real.items() if key not in called or key not in reached)


def _walk(top: Path, found: Discovery) -> dict[Path, list[Path]]:
    """Every directory under `top` with its files, following links to directories once each (a
    link loop or a dangling link neither hangs nor fails the scan) while they stay inside the
    repository; a link out of it, or a directory that cannot be listed, is an error (fail
    closed)."""
    seen: set[str] = set()
    out: dict[Path, list[Path]] = {}
    stack = [top]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in seen:
            continue
        seen.add(real)
        out[directory] = files = []
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            found.errors.append(_error(directory, found.root, "cannot list directory: "
                                       f"{exc.strerror or exc}"))
            continue
        if entries and not os.access(directory, os.X_OK):  # listed, but its files unreadable
            found.errors.append(_error(directory, found.root,
                                       "cannot enter directory: Permission denied"))
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # follows links; a dangling one is not a directory
                is_file = not is_dir and entry.is_file()
            except OSError as exc:  # e.g. in a directory we may list but not enter
                if not entry.name.startswith("."):
                    found.errors.append(_error(Path(entry.path), found.root, "cannot read: "
                                               f"{exc.strerror or exc}"))
                continue
            if is_file or (not is_dir and _terraform_file(Path(entry.path))):
                files.append(Path(entry.path))  # a FIFO or dangling link named x.tf: the
                # loader's error (never a directory whose only .tf is skipped in silence)
            elif not is_dir or entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            elif not boundary.inside(entry.path):
                found.errors.append(_error(Path(entry.path), found.root,
                                           boundary.outside_reason(entry.path, entry.name)))
            else:
                stack.append(Path(entry.path))
    return out


def _has_terraform(directory: Path, listed: list[Path] | None = None) -> bool:
    """Does the directory hold a `.tf`/`.tf.json` file Terraform reads? (`listed`: its files,
    when the walk has them.)"""
    from analyzer.terraform.files import is_ignored_file

    if listed is None:
        try:
            listed = [Path(e.path) for e in os.scandir(directory) if e.is_file()]
        except OSError:
            return False
    return any(f.name.endswith(TERRAFORM_SUFFIXES) and not is_ignored_file(f.name)
               for f in listed)
