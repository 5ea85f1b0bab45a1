"""Read the Terraform files of one module directory into parsed bodies, failing closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analyzer import boundary
from analyzer.hcl.parse import Block, Body, HclSyntaxError, check_depth, parse_hcl
from analyzer.model import LoadError, Location


@dataclass
class TfFile:
    path: Path
    rel: str  # relative to the scan root, '/'-separated
    body: Body


@dataclass
class TfModuleSource:
    """The parsed `.tf` and `.tf.json` files of one directory, in file-name order."""

    directory: Path
    files: list[TfFile] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    def blocks(self, block_type: str) -> list[tuple[TfFile, Block]]:
        return [(f, b) for f in self.files for b in f.body.blocks if b.type == block_type]


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, rel: str) -> tuple[str | None, LoadError | None]:
    """Decode a source file as UTF-8 (a BOM is fine); binary or undecodable input is an error."""
    try:
        data = boundary.read_bytes(path)  # inside the repository, a regular file, capped
    except OSError as exc:
        return None, LoadError(Location(rel, 1, 1), f"cannot read file: {exc.strerror or exc}")
    if b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        return None, LoadError(Location(rel, line, col), "binary file (contains a NUL byte)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        return None, LoadError(Location(rel, line, col), "not valid UTF-8 text")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


# Parsed bodies by file identity: discovery reads a directory's module calls and the loader
# reads it again, and a module several roots call is loaded once per root; parsing is the
# costly part, and bodies are never modified after parsing, so each file is parsed once.
_BODIES: dict[tuple[str, int, int], Body | HclSyntaxError] = {}


def file_key(path: Path) -> tuple[str, int, int] | None:
    """A file's identity for `_BODIES`: its real path, size and modification time."""
    try:
        stat = path.stat()
        return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return None


def is_known(key: tuple[str, int, int]) -> bool:
    return key in _BODIES


def remember(key: tuple[str, int, int], parsed: Body | HclSyntaxError) -> None:
    """A file parsed elsewhere (`parallel_parse`): `parse_file` takes it from here."""
    _BODIES[key] = parsed


def parse_file(path: Path, root: Path) -> tuple[TfFile | None, LoadError | None]:
    rel = relative(path, root)
    key = file_key(path)
    parsed = _BODIES.get(key) if key is not None else None
    if parsed is None:
        text, error = read_text(path, rel)
        if text is None:
            return None, error
        parsed = parse_text(path, text)
        if key is not None:
            _BODIES[key] = parsed
    if isinstance(parsed, HclSyntaxError):
        where = Location(rel, parsed.line, parsed.col)
        return None, LoadError(where, f"syntax error: {parsed.message}")
    return TfFile(path, rel, parsed), None


def parse_text(path: Path, text: str) -> Body | HclSyntaxError:
    """The body of a file's text (HCL or, by the name, Terraform JSON), or its syntax error."""
    parse = parse_hcl
    if path.name.endswith(".tf.json"):
        from analyzer.terraform.json_syntax.parse import (
            parse_tf_json as parse,  # Terraform's JSON syntax
        )
    try:
        body = parse(text)
        check_depth(body)
        return body
    except HclSyntaxError as exc:
        return exc
    except RecursionError:  # a safety net: the parsers refuse deep nesting themselves
        return HclSyntaxError(1, 1, "nested too deeply to parse")
    except MemoryError:
        return HclSyntaxError(1, 1, "too large to parse in memory")


def is_ignored_file(name: str) -> bool:
    """Terraform's rule for files it never reads: hidden files and editor backups (`.x.tf`,
    `x.tf~`, `#x.tf#`). A `.backup.tf` left in a directory must not protect a table."""
    return name.startswith(".") or name.endswith("~") or (
        name.startswith("#") and name.endswith("#"))


def configuration_files(directory: Path) -> list[Path]:
    """The `.tf` and `.tf.json` files Terraform reads in one directory, by name."""
    paths = [*directory.glob("*.tf"), *directory.glob("*.tf.json")]
    return sorted((p for p in paths if not is_ignored_file(p.name)), key=lambda p: p.name)


def read_module(directory: Path, root: Path) -> TfModuleSource:
    source = TfModuleSource(directory)
    paths = configuration_files(directory)
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError:  # in a directory we may list but not enter: read_text says so
            is_dir = False
        if is_dir:
            continue  # a directory named like a file; anything else that is no regular
            # file (a FIFO, a device, a dangling link) is an error from read_text
        parsed, error = parse_file(path, root)
        if parsed is not None:
            source.files.append(parsed)
        if error is not None:
            source.errors.append(error)
    return source
