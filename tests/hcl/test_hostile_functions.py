"""Hostile input to the functions added for issue 12: results beyond the work budget are
unknown with a reason naming the limit (setproduct, formatlist, indent, base64, YAML aliases,
CSV), and fileset() patterns run in linear time."""

from __future__ import annotations

import time

from analyzer.hcl.budget import MAX_ELEMENTS, MAX_TEXT_CHARS, work_budget
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.globs import compile_glob
from analyzer.hcl.parse import parse_hcl
from analyzer.model import Unknown


def ev(expr: str, scope: dict[str, object] | None = None) -> object:
    return evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, scope or {})


def reason(value: object) -> str:
    assert isinstance(value, Unknown), f"expected Unknown, got {str(value)[:80]!r}"
    return value.reason


def test_a_huge_setproduct_is_unknown_before_it_is_built() -> None:
    started = time.monotonic()
    assert str(MAX_ELEMENTS) in reason(ev("setproduct(range(1000), range(1000), range(1000))"))
    assert time.monotonic() - started < 2


def test_formatlist_and_indent_stay_within_the_limits() -> None:
    big = {"var": {"items": ["x"] * (MAX_ELEMENTS + 1), "text": "\n" * 100_000}}
    assert isinstance(ev('formatlist("%s", var.items)', big), Unknown)
    assert str(MAX_TEXT_CHARS) in reason(ev("indent(100, var.text)", big))
    nine = {"var": {"items": ["x" * 9] * 100_000}}  # 900,000 characters: 1.2 million in base64
    assert str(MAX_TEXT_CHARS) in reason(ev('base64encode(join("", var.items))', nine))


def test_yaml_aliases_cannot_multiply_the_work() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    started = time.monotonic()
    with work_budget(50_000):  # a smaller budget than a root's, to keep the test quick
        value = ev("yamldecode(var.doc)", {"var": {"doc": "\n".join(lines) + "\n"}})
    assert "work budget" in reason(value)
    assert time.monotonic() - started < 10


def test_glob_patterns_match_in_linear_time() -> None:
    glob = compile_glob("*a" * 30 + "b")
    started = time.monotonic()
    assert not glob.matches("a" * 250)
    assert time.monotonic() - started < 1


def test_csv_results_stay_within_the_limits() -> None:
    header = ",".join(f"c{i}" for i in range(1000))
    text = header + "\n" + ("," * 999 + "\n") * 200  # 200,000 fields
    assert str(MAX_ELEMENTS) in reason(ev("csvdecode(var.csv)", {"var": {"csv": text}}))
