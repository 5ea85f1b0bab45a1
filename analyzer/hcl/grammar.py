"""The HCL2 Lark parser, built from python-hcl2's grammar file and cached per user as plain data.

Importing `hcl2` itself pulls in its whole serializer stack, so we only locate its grammar file.
Building the LALR tables takes seconds, so the built parser is kept in the user's cache as JSON
(Lark's own plain-data serialization, never a pickle: a cache must not be able to run code),
keyed by the analyzer and Lark versions, the grammar's sha256 and the Python version. Anything
wrong with that entry, or no private cache directory, means building the parser again; Lark's own
`cache=True` is never used, as it unpickles a file in the shared temporary directory.

No cold-start build: the package ships the same data as `hcl_parser.json` (written by
scripts/gen_parser_data.py), keyed by the grammar and the Lark version only, and `load_parser`
takes it first when its key matches the installed grammar and Lark; another python-hcl2 or Lark
falls back to the user cache, then to a build.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.user_cache import cache_dir, entry_bytes, parse_entry, prune, read_entry, write_entry

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


# Bump when the build options or the encoding below change.
_FORMAT = "2"
# JSON has string keys only; Lark's parse tables and memo are keyed by int.
_INT_KEYS = "\u0000int-keys"
# Options that are code: set when loading, never stored.
_CODE_OPTIONS = ("postlex", "_plugins")


def _encode(value: object) -> object:
    if isinstance(value, dict):
        if value and all(type(key) is int for key in value):
            return {_INT_KEYS: [[key, _encode(item)] for key, item in value.items()]}
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


def _decode_hook(mapping: dict[str, Any]) -> dict[Any, Any]:
    pairs = mapping.get(_INT_KEYS)
    if pairs is not None and len(mapping) == 1:
        return {int(key): item for key, item in pairs}
    return mapping


_LARK_VERSION = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.MULTILINE)


def _lark_version() -> str:
    """Lark's version, read from its `__init__.py` without importing it: a warm run, whose trees
    all come from the cache, needs the key but not the parser (importing Lark costs more than a
    small run's evaluation)."""
    try:
        found = _LARK_VERSION.search(_spec_file("lark").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        found = None
    if found is not None:
        return found.group(1)
    import lark  # a Lark that states its version some other way

    return str(lark.__version__)


def _cache_key(grammar_text: bytes) -> dict[str, str]:
    import hashlib

    from analyzer import __version__

    return {
        "format": _FORMAT,
        "analyzer": __version__,
        "lark": _lark_version(),
        "python": sys.version,
        "grammar": hashlib.sha256(grammar_text).hexdigest(),
    }


def _build(grammar_text: str) -> Lark:
    from lark import Lark

    return Lark(grammar_text, parser="lalr", propagate_positions=True, postlex=NewlineMerger())


def _from_data(data: object) -> Lark | None:
    """The parser from cached data, or None when the data is not a parser Lark can load."""
    from lark import Lark

    if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
        return None
    options = data["data"].get("options")
    if not isinstance(options, dict):
        return None
    # Code, so never part of the data: our post-lexer, and the parse-table reader below.
    options["postlex"] = NewlineMerger()
    options["_plugins"] = {"LALR_Parser": _table_reader()}
    try:
        return Lark.load(data)  # a dict: Lark's plain-data path, no unpickling
    except Exception:  # malformed data of the right shape
        return None


@functools.lru_cache(maxsize=1)
def _table_reader() -> type:
    """Lark's LALR parser, reading the compact table `_to_data` writes: Lark's own format costs
    a generic deserialization call per action, most of a warm start."""
    from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
    from lark.parsers.lalr_parser import LALR_Parser, _Parser

    base: Any = LALR_Parser  # lark's stubs type the base's deserialize differently

    class CompactTableParser(base):
        @classmethod
        def deserialize(
            cls, data: dict[str, Any], memo: dict[int, Any], callbacks: Any, debug: bool = False
        ) -> Any:
            tokens = data["tokens"]
            states = {}
            for state, flat in data["states"]:
                triples = iter(flat)  # token index, 1 for reduce, rule memo id | next state
                states[state] = {
                    tokens[token]: (Reduce, memo[arg]) if kind else (Shift, arg)
                    for token, kind, arg in zip(triples, triples, triples, strict=True)
                }
            inst = cls.__new__(cls)
            inst._parse_table = IntParseTable(states, data["start_states"], data["end_states"])
            inst.parser = _Parser(inst._parse_table, callbacks, debug)
            return inst

    return CompactTableParser


def _to_data(parser: Lark) -> object:
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _CODE_OPTIONS}
    table = data["parser"]["parser"]
    data["parser"]["parser"] = {
        "tokens": [table["tokens"][index] for index in range(len(table["tokens"]))],
        "states": [
            [state, [x for token, (kind, arg) in actions.items()
                     for x in (token, kind, arg["@"] if kind else arg)]]
            for state, actions in table["states"].items()
        ],
        "start_states": table["start_states"],
        "end_states": table["end_states"],
    }
    return _encode({"data": data, "memo": memo})


# Terraform 1.8+ also names built-in functions `core::name(...)`; python-hcl2's grammar only has
# the three-part `provider::name::function(...)`.
_THREE_PART_CALL = b"identifier (COLONS identifier COLONS identifier)? LPAR"
_NAMESPACED_CALL = b"identifier (COLONS identifier (COLONS identifier)?)? LPAR"


def grammar_text() -> bytes:
    """python-hcl2's grammar, with two-part function names (`core::upper`) allowed."""
    raw = (_spec_file("hcl2").parent / "hcl2.lark").read_bytes()
    return raw.replace(_THREE_PART_CALL, _NAMESPACED_CALL)


@functools.lru_cache(maxsize=1)
def grammar_key() -> dict[str, str]:
    """What a parse tree depends on besides the text: the grammar and the versions."""
    return _cache_key(grammar_text())


# The parser data shipped in the package; the same header-and-payload form as a user cache entry.
PACKAGED_DATA = Path(__file__).with_name("hcl_parser.json")


def packaged_key(grammar_text: bytes) -> dict[str, str]:
    """What the shipped data depends on: the encoding, Lark and the grammar (not the Python or
    analyzer version, so one file serves every install of a release)."""
    key = _cache_key(grammar_text)
    return {name: key[name] for name in ("format", "lark", "grammar")}


def packaged_entry(parser: Lark, grammar_text: bytes) -> bytes:
    """The bytes of `hcl_parser.json` for this parser (scripts/gen_parser_data.py)."""
    return entry_bytes(packaged_key(grammar_text), _to_data(parser)) or b""


def _packaged_parser(raw: bytes) -> Lark | None:
    try:
        entry = PACKAGED_DATA.read_bytes()
    except OSError:  # not shipped (a source tree before the script ran): build as before
        return None
    return _from_data(parse_entry(entry, packaged_key(raw), object_hook=_decode_hook))


def load_parser() -> Lark:
    raw = grammar_text()
    packaged = _packaged_parser(raw)
    if packaged is not None:
        return packaged
    key = _cache_key(raw)
    cache = cache_dir()
    path = cache / f"hcl2-parser-{_short(key)}.json" if cache else None
    if path is not None:
        parser = _from_data(read_entry(path, key, object_hook=_decode_hook))
        if parser is not None:
            return parser
    parser = _build(raw.decode("utf-8"))
    if path is not None:
        write_entry(path, key, _to_data(parser))
        prune(path.parent, "hcl2-parser-*.json", keep=4)
    return parser


def _short(key: dict[str, str]) -> str:
    import hashlib

    return hashlib.sha256(repr(sorted(key.items())).encode()).hexdigest()[:12]
