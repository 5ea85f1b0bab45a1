"""The cache of parsed HCL files (analyzer.hcl.tree_cache, issue 13 lever 2): a cached tree is
the parsed tree exactly (every node, token type, value and position), a warm parse runs no
parser, and an entry that is corrupt, truncated, of another key or of the wrong shape is ignored
and rebuilt; `--no-cache` reads and writes nothing. Entries are plain JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES
from support.trees import tree_shape as dump

from analyzer import user_cache
from analyzer.cli import main
from analyzer.hcl import parse, tree_cache
from analyzer.hcl.grammar import grammar_key
from analyzer.hcl.syntax_tree import from_lark
from analyzer.terraform import files

SAMPLE = 'resource "a" "b" {\n  x = 1 +\n    2\n  # note\n  y = "v-${var.z}"\n}\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    parse._parser()  # the parser from the usual cache, before pointing it elsewhere
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tree_cache.set_enabled(True)
    return tmp_path / "iac-ddb-lint" / "hcl-trees"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Any:
        raise AssertionError("parsed although the tree was cached")

    monkeypatch.setattr(parse, "_parser", refuse)


@pytest.mark.parametrize("case", sorted({p.parent for p in FIXTURES.rglob("*.tf")})[:40],
                         ids=lambda p: p.name)
def test_a_cached_tree_is_the_parsed_tree(case: Path) -> None:
    for file in sorted(case.glob("*.tf")):
        text = file.read_text(errors="replace") + "\n"
        try:
            tree = from_lark(parse._parser().parse(text))
        except Exception:  # a syntax-error fixture: nothing to cache
            continue
        decoded = tree_cache._decode(json.loads(json.dumps(tree_cache._encode(tree))))
        assert decoded is not None and dump(decoded) == dump(tree), file


def test_warm_parse_reads_the_entry(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = parse.parse_hcl(SAMPLE)
    assert len(entries(cache)) == 1
    json.loads(entries(cache)[0].read_bytes().partition(b"\n")[2])  # data, nothing else
    no_parser(monkeypatch)
    again = parse.parse_hcl(SAMPLE)
    assert again.comments == first.comments
    assert dump(again.blocks[0].body.attributes["y"].expr) == dump(
        first.blocks[0].body.attributes["y"].expr)


@pytest.mark.parametrize("spoil", ["garbage", "truncated", "other key", "wrong shape"])
def test_a_bad_entry_is_ignored_and_rebuilt(cache: Path, spoil: str) -> None:
    expected = dump(parse._parser().parse(SAMPLE + "\n"))
    parse.parse_hcl(SAMPLE)
    path = entries(cache)[0]
    raw = path.read_bytes()
    if spoil == "garbage":
        path.write_bytes(b"\x80not json at all")
    elif spoil == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    else:
        key = json.loads(json.loads(raw.partition(b"\n")[0])["key"])
        if spoil == "other key":
            user_cache.write_entry(path, {**key, "analyzer": "0.0.0"}, json.loads(
                raw.partition(b"\n")[2]))
        else:  # a checked entry whose payload is not a tree
            user_cache.write_entry(path, key, ["T", "start", None, [["K", 1]]])
    text = SAMPLE + "\n"
    rebuilt = tree_cache.cached_tree(text, lambda t: from_lark(parse._parser().parse(t)),
                                     grammar_key)
    assert dump(rebuilt) == expected
    assert path.read_bytes() == raw  # rewritten as it should be


def test_syntax_errors_are_not_cached(cache: Path) -> None:
    with pytest.raises(parse.HclSyntaxError):
        parse.parse_hcl('resource "a" {\n  x = \n')
    assert entries(cache) == []


def test_no_cache_reads_and_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "app"

    def scan(*options: str) -> Any:
        monkeypatch.setattr(files, "_BODIES", {})  # the process's own memo of parsed files
        return CliRunner().invoke(main, [*options, str(example)])

    try:
        run = scan("--no-cache")
        assert run.exit_code in (0, 1), run.output
        assert entries(cache) == []
        run = scan()
        assert entries(cache)
        with_cache = run.output
        for path in entries(cache):
            path.write_bytes(b"spoiled")
        assert scan("--no-cache").output == with_cache
        assert all(p.read_bytes() == b"spoiled" for p in entries(cache))
    finally:
        tree_cache.set_enabled(True)
