"""The HCL2 Lark parser, built from python-hcl2's grammar file and cached per user.

Importing `hcl2` itself pulls in its whole serializer stack, so we only locate its grammar file.
Building the LALR tables takes seconds and even Lark's own cache costs ~150 ms to deserialize, so
the ready parser object is pickled to the user's cache directory, keyed by the grammar, the Lark
install and the Python version; any problem with that file falls back to building it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lark import Lark, Token

# Operators a newline may precede without ending the statement (HCL line continuation).
_CONTINUATION_OPERATORS = frozenset({
    "DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT",
    "DOUBLE_AMP", "DOUBLE_PIPE", "PLUS", "QMARK",
})


class NewlineMerger:
    """Lark post-lexer: a newline right before a binary operator continues the expression, which
    an LALR grammar cannot see on its own, so fold that newline into the operator token."""

    always_accept: tuple[str, ...] = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        pending = None
        for token in stream:
            if token.type == "NL_OR_COMMENT":
                if pending is not None:
                    yield pending
                pending = token
                continue
            if pending is not None:
                if token.type in _CONTINUATION_OPERATORS:
                    token = token.update(value=str(pending) + str(token))
                else:
                    yield pending
                pending = None
            yield token
        if pending is not None:
            yield pending


def _spec_file(package: str) -> Path:
    spec = importlib.util.find_spec(package)  # locates without importing
    if spec is None or spec.origin is None:  # pragma: no cover - a broken install
        raise RuntimeError(f"{package} is not installed")
    return Path(spec.origin)


def _cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "iac-ddb-lint"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return directory


def _cache_key(grammar: Path) -> str:
    lark_stat = _spec_file("lark").stat()
    digest = hashlib.sha256(grammar.read_bytes())
    digest.update(f"{lark_stat.st_size}:{lark_stat.st_mtime_ns}:{sys.version}".encode())
    return digest.hexdigest()[:20]


def lark_action(name: str) -> object:
    """Unpickling hook: Lark compares its Shift/Reduce actions by identity."""
    from lark.parsers import lalr_analysis

    return getattr(lalr_analysis, name)


class _ParserPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        import re

        from lark.parsers import lalr_analysis

        if obj is re:
            return (importlib.import_module, ("re",))
        for name in ("Shift", "Reduce"):
            if obj is getattr(lalr_analysis, name):
                return (lark_action, (name,))
        return NotImplemented


def _build(grammar: Path, cache: Path | None) -> Lark:
    from lark import Lark

    lark_cache: Any = str(cache / "hcl2-grammar.lark") if cache else True
    return Lark.open(str(grammar), parser="lalr", cache=lark_cache,
                     propagate_positions=True, postlex=NewlineMerger())


def load_parser() -> Lark:
    grammar = _spec_file("hcl2").parent / "hcl2.lark"
    cache = _cache_dir()
    path = cache / f"hcl2-parser-{_cache_key(grammar)}.pickle" if cache else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                loaded: Lark = pickle.load(handle)  # our own file, in the user's cache
                return loaded
        except Exception:
            pass
    parser = _build(grammar, cache)
    if path is not None:
        _save(parser, path)
    return parser


def _save(parser: Lark, path: Path) -> None:
    """Write atomically (a parallel run never reads half a file); the cache is only an
    optimisation, so any failure is ignored."""
    with contextlib.suppress(Exception):
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            _ParserPickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(parser)
        try:
            os.replace(handle.name, path)
        finally:
            if os.path.exists(handle.name):
                os.unlink(handle.name)
