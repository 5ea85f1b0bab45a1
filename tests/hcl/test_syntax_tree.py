"""`hcl.syntax_tree`: Lark's parse tree turned into the analyzer's own classes loses nothing (rule
names, token types, texts, all six positions, on every fixture file), the classes behave as
Lark's do where the readers rely on it, and a warm run (every tree from the cache) never
imports Lark (issue 13: importing it cost more than a small run's evaluation)."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest
from support.paths import FIXTURES, REPO
from support.runs import run_imports
from support.trees import tree_shape as shape

from analyzer.hcl import parse
from analyzer.hcl.syntax_tree import Meta, Token, Tree, from_lark

TF_FILES = sorted(FIXTURES.rglob("*.tf"))


def test_there_are_files_to_compare() -> None:
    assert len(TF_FILES) > 100


@pytest.mark.parametrize("path", TF_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_converted_tree_is_lark_s_tree(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff") + "\n"
    try:
        lark_tree = parse._parser().parse(text)
    except Exception:  # a fixture of a syntax error: nothing to convert
        return
    ours = from_lark(lark_tree)
    assert shape(ours) == shape(lark_tree)
    assert isinstance(ours, Tree)
    assert all(type(token) is Token for token in ours.scan_values(lambda _: True))


def test_tokens_compare_as_lark_s_do() -> None:
    plus = Token("PLUS", "+", 3, 1, 4, 1, 5, 4)
    assert plus == "+" and plus == "+" and hash(plus) == hash("+")
    assert plus == Token("PLUS", "+")  # positions do not matter
    assert plus != Token("OTHER", "+")  # the type does
    assert repr(plus) == "Token('PLUS', '+')"
    moved = plus.update(value=" +")
    assert (moved.type, str(moved), moved.line, moved.column) == ("PLUS", " +", 1, 4)


def test_trees_compare_by_rule_and_children() -> None:
    one = Tree("expr_term", [Token("INT", "1")])
    assert one == Tree("expr_term", [Token("INT", "1")])
    assert one != Tree("expr_term", [Token("INT", "2")])
    assert one != Tree("other", [Token("INT", "1")])
    assert hash(one) == hash(Tree("expr_term", [Token("INT", "1")]))
    assert one != "expr_term"


def test_an_empty_meta_has_no_positions() -> None:
    tree = Tree("body", [])
    assert tree.meta.empty and not hasattr(tree.meta, "line")
    assert getattr(tree.meta, "line", 7) == 7
    meta = Meta()
    meta.empty, meta.line = False, 3
    assert Tree("body", [], meta).meta.line == 3


def test_trees_and_tokens_survive_pickling() -> None:
    """The parsing workers send parsed bodies back to the parent pickled."""
    text = (FIXTURES / "terraform").rglob("*.tf").__next__().read_text(encoding="utf-8")
    tree = from_lark(parse._parser().parse(text + "\n"))
    again = pickle.loads(pickle.dumps(tree))
    assert shape(again) == shape(tree)


def test_scan_values_is_ordered_and_iterative() -> None:
    deep: Tree = Tree("leaf", [Token("A", "a")])
    for _ in range(sys.getrecursionlimit() * 2):
        deep = Tree("wrap", [deep, Token("B", "b")])
    values = list(deep.scan_values(lambda token: token.type == "A"))
    assert values == ["a"]
    assert "".join(deep.scan_values(lambda _: True)).startswith("abb")


def test_a_warm_run_imports_no_lark(tmp_path: Path) -> None:
    """The first run parses and fills the cache; the second finds every tree there and
    must not import Lark (nor python-hcl2)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "IAC_DDB_LINT_PARSE_JOBS": "1"}
    target = [str(REPO / "examples" / "app")]
    (cold_out, cold), (warm_out, warm) = (run_imports(target, ("lark", "hcl2"), env)
                                          for _ in range(2))
    assert "lark" in cold  # the first run did parse
    assert warm == []
    assert cold_out == warm_out
