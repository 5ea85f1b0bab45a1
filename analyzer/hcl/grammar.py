"""The HCL2 Lark parser, built from python-hcl2's grammar file and cached per user.

Importing `hcl2` itself pulls in its whole serializer stack, so we only locate its grammar file.
Building the LALR tables takes seconds and even Lark's own cache costs ~150 ms to deserialize, so
the ready parser object is pickled to the user's cache directory, keyed by the grammar, the Lark
install and the Python version; any problem with that file falls back to building it again.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.user_cache import cache_dir, file_key, prune, write_atomically

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


def _cache_key(grammar: Path) -> str:
    return file_key(grammar, _spec_file("lark"), extra=sys.version)


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
    cache = cache_dir()
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
    import io

    with contextlib.suppress(Exception):  # an unpicklable parser just goes uncached
        buffer = io.BytesIO()
        _ParserPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parser)
        write_atomically(path, buffer.getvalue())
        prune(path.parent, "hcl2-parser-*.pickle", keep=4)
