"""Issue 13, lever 4: no cold-start build. The parser tables ship in the package
(analyzer/hcl/hcl_parser.json, written by scripts/gen_parser_data.py); they must be fresh, parse
like a freshly built parser, and anything wrong with them means the user cache or a build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lark import Token
from lark.exceptions import LarkError

from analyzer import user_cache
from analyzer.hcl import grammar

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path for base in ("tests/fixtures", "examples") for path in (ROOT / base).rglob("*.tf")
)


class Built(Exception):
    """Raised by a stand-in for the slow parser build."""


@pytest.fixture
def no_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def build(grammar_text: str) -> Any:
        raise Built

    monkeypatch.setattr(grammar, "_build", build)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _header(entry: bytes) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(entry.partition(b"\n")[0])
    return header


def test_shipped_data_is_fresh() -> None:
    key = json.loads(_header(grammar.PACKAGED_DATA.read_bytes())["key"])
    assert key == grammar.packaged_key(grammar.grammar_text()), (
        "analyzer/hcl/hcl_parser.json is stale: run python scripts/gen_parser_data.py"
    )


def test_first_run_builds_nothing_and_writes_no_cache(no_build: None, tmp_path: Path) -> None:
    parser = grammar.load_parser()
    assert parser.parse('x = 1 +\n  2\n') is not None
    assert not any((tmp_path / "cache").rglob("hcl2-parser-*"))


def _outcome(parser: Any, text: str) -> object:
    try:
        tree = parser.parse(text)
    except LarkError as exc:  # the hostile fixtures: the same error at the same place
        return (type(exc).__name__, getattr(exc, "line", None), getattr(exc, "column", None))
    # Trees compare tokens as strings: compare their types and positions too.
    tokens = [(token.type, token.line, token.column, token.end_pos)
              for token in tree.scan_values(lambda value: isinstance(value, Token))]
    return tree, tokens


def test_shipped_parser_parses_every_fixture_like_a_fresh_build() -> None:
    raw = grammar.grammar_text()
    fresh = grammar._build(raw.decode("utf-8"))
    shipped = grammar._from_data(
        user_cache.parse_entry(grammar.PACKAGED_DATA.read_bytes(), grammar.packaged_key(raw),
                               object_hook=grammar._decode_hook))
    assert shipped is not None
    assert len(SOURCES) > 100
    for path in SOURCES:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _outcome(shipped, text) == _outcome(fresh, text), path


@pytest.mark.parametrize("damage", ["payload", "key", "truncate", "garbage", "missing"])
def test_damaged_shipped_data_falls_back_to_a_build(
    no_build: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    raw = grammar.PACKAGED_DATA.read_bytes()
    head, _, payload = raw.partition(b"\n")
    if damage == "payload":  # same header: the sha256 no longer matches
        raw = head + b"\n" + payload.replace(b"NAME", b"NAMF", 1)
    elif damage == "key":  # another Lark's tables
        header = _header(raw)
        header["key"] = header["key"].replace('"lark": "', '"lark": "0.')
        raw = json.dumps(header).encode() + b"\n" + payload
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw = b"\x80\x04not json"
    copy = tmp_path / "hcl_parser.json"
    if damage != "missing":
        copy.write_bytes(raw)
    monkeypatch.setattr(grammar, "PACKAGED_DATA", copy)
    with pytest.raises(Built):
        grammar.load_parser()


def test_checked_data_lark_cannot_load_falls_back(
    no_build: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "hcl_parser.json"
    key = grammar.packaged_key(grammar.grammar_text())
    copy.write_bytes(user_cache.entry_bytes(key, {"data": {"options": {}}, "memo": {}}) or b"")
    monkeypatch.setattr(grammar, "PACKAGED_DATA", copy)
    with pytest.raises(Built):
        grammar.load_parser()
