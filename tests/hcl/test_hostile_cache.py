"""Issue 15, item 2: caches that could run code. The parser cache is plain JSON, checked (key and
payload sha256) and rebuilt when anything is off; no pickle is ever loaded, from the user cache or
the shared temporary directory; rule data is read from the package, never from a cache."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from analyzer import catalog, user_cache
from analyzer.hcl import grammar, parse

SAMPLE = 'resource "a" "b" {\n  x = 1 +\n    2\n  y = "v-${var.z}"\n}\n'


class Built(Exception):
    """Raised by a stand-in for the slow parser build: the cache was not used."""


@pytest.fixture(scope="module")
def real_parser() -> Any:
    return parse._parser()  # from the user's usual cache, before a test points it elsewhere


@pytest.fixture(autouse=True)
def no_shipped_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the user cache, which the tables shipped in the package (tested in
    test_packaged_parser.py) would bypass."""
    monkeypatch.setattr(grammar, "PACKAGED_DATA", tmp_path / "not-shipped.json")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_parser: Any) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "iac-ddb-lint"


@pytest.fixture
def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(grammar_text: str) -> Any:
        raise Built

    monkeypatch.setattr(grammar, "_build", build)


def _seed(cache: Path) -> Path:
    key = grammar._cache_key(grammar.grammar_text())
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = cache / f"hcl2-parser-{grammar._short(key)}.json"
    user_cache.write_entry(path, key, grammar._to_data(parse._parser()))
    return path


def test_entry_is_plain_json_and_loads_without_a_build(cache: Path, no_build: None) -> None:
    path = _seed(cache)
    head, _, payload = path.read_bytes().partition(b"\n")
    header = json.loads(head)
    assert header["sha256"] == hashlib.sha256(payload).hexdigest()
    assert {"analyzer", "lark", "python", "grammar"} <= set(json.loads(header["key"]))
    json.loads(payload)  # data, nothing else
    loaded = grammar.load_parser()
    assert loaded.parse(SAMPLE) == parse._parser().parse(SAMPLE)


@pytest.mark.parametrize("damage", ["payload", "key", "truncate", "garbage"])
def test_a_damaged_entry_is_rebuilt(cache: Path, no_build: None, damage: str) -> None:
    path = _seed(cache)
    raw = path.read_bytes()
    head, _, payload = raw.partition(b"\n")
    if damage == "payload":  # same header: the sha256 no longer matches
        raw = head + b"\n" + payload.replace(b"NAME", b"NAMF", 1)
    elif damage == "key":
        header = json.loads(head)
        header["key"] = header["key"].replace('"lark": "', '"lark": "0.')
        raw = json.dumps(header).encode() + b"\n" + payload
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw = b"\x80\x04not json"
    path.write_bytes(raw)
    with pytest.raises(Built):
        grammar.load_parser()


def test_a_checked_entry_that_lark_cannot_load_is_rebuilt(cache: Path, no_build: None) -> None:
    path = _seed(cache)
    key = json.loads(json.loads(path.read_bytes().partition(b"\n")[0])["key"])
    user_cache.write_entry(path, key, {"data": {"options": {}}, "memo": {}})
    with pytest.raises(Built):
        grammar.load_parser()


class _Trap:
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, ("touch TRAPPED",))


def test_no_pickle_is_ever_loaded(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  no_build: None) -> None:
    cache.mkdir(mode=0o700)
    for name in ("hcl2-parser-0db3378691e7b63d4207.pickle", "hcl2-grammar.lark"):
        (cache / name).write_bytes(pickle.dumps(_Trap()))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("pickle.load called"))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("pickle.loads called"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Built):  # no valid entry: build, never a pickle
        grammar.load_parser()
    assert not (tmp_path / "TRAPPED").exists()


def test_unusable_cache_dir_never_falls_back_to_lark_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lark's `cache=True` unpickles a file in $TMPDIR, which anyone can write."""
    import lark

    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # cannot hold a directory
    seen: list[dict[str, Any]] = []

    def init(self: object, grammar_text: object, **options: Any) -> None:
        seen.append(options)
        raise Built

    monkeypatch.setattr(lark.Lark, "__init__", init)
    with pytest.raises(Built):
        grammar.load_parser()
    assert seen and not seen[0].get("cache")


def test_cache_dir_must_be_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    assert user_cache.cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    shared = tmp_path / "iac-ddb-lint"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert user_cache.cache_dir() == shared
    assert shared.stat().st_mode & 0o077 == 0  # closed to others before use
    shared.rmdir()
    (tmp_path / "elsewhere").mkdir()
    shared.symlink_to(tmp_path / "elsewhere")
    assert user_cache.cache_dir() is None


def test_rules_come_from_the_package_not_a_cache(cache: Path) -> None:
    """Before, parsed rule files were cached as JSON keyed by file identity: editing that copy
    made DDB001 a warning, and a run with unprotected tables exited 0."""
    cache.mkdir(mode=0o700)
    for path in sorted(catalog.rules_dir().glob("*.yaml")):
        stat = path.stat()
        old_key = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
        data = {"id": path.name[:6], "name": path.stem[7:], "severity": "warning",
                "summary": "downgraded", "docs": {"why": "x", "fix": {
                    "terraform": "x", "cloudformation": "x"}}}
        (cache / f"rule-{old_key[:20]}.json").write_text(json.dumps(data))
    catalog._load_dir.cache_clear()
    try:
        rules = catalog.rules_by_id(catalog.load_rules())
    finally:
        catalog._load_dir.cache_clear()
    assert rules[catalog.UNPROTECTED_RULE].severity == "error"
    assert "downgraded" not in {rule.summary for rule in rules.values()}
    assert sorted(p.name for p in cache.iterdir() if not p.name.startswith("rule-")) == []
