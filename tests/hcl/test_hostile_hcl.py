"""Hostile HCL (issue 15): what Terraform rejects is a syntax error at its position, and work
beyond the evaluator's limits is unknown with a reason naming the limit, never a hang."""

from __future__ import annotations

import pytest

from analyzer.hcl.budget import MAX_ELEMENTS, MAX_TEXT_CHARS, work_budget
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import MAX_LITERAL_CHARS, HclSyntaxError, check_depth, parse_hcl
from analyzer.model import Unknown


def ev(expr: str, scope: dict[str, object] | None = None) -> object:
    return evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, scope or {})


def reason(value: object) -> str:
    assert isinstance(value, Unknown), f"expected Unknown, got {str(value)[:80]!r}"
    return value.reason


def test_an_argument_set_twice_is_an_error_at_the_second() -> None:
    with pytest.raises(HclSyntaxError) as error:
        parse_hcl('resource "a" "b" {\n  name = "a"\n  other = 1\n  name = "b"\n}\n')
    assert (error.value.line, error.value.col) == (4, 3)
    assert 'argument "name" was already set at line 2' in error.value.message


def test_the_same_name_in_two_blocks_is_fine() -> None:
    body = parse_hcl('a {\n  name = 1\n}\nb {\n  name = 2\n}\n')
    assert [len(b.body.attributes) for b in body.blocks] == [1, 1]


@pytest.mark.parametrize("template", ['x = "{}"\n', "x = <<EOT\n{}\nEOT\n"])
def test_an_over_long_literal_is_an_error_at_its_position(template: str) -> None:
    with pytest.raises(HclSyntaxError) as error:
        parse_hcl("\n" + template.format("a" * (MAX_LITERAL_CHARS + 1)))
    assert error.value.line == 2
    assert str(MAX_LITERAL_CHARS) in error.value.message


@pytest.mark.parametrize("open_, close", [("(", ")"), ("[", "]"), ("f(", ")")])
def test_deep_nesting_is_an_error_at_its_position(open_: str, close: str) -> None:
    body = parse_hcl("y = 1\nx = " + open_ * 5000 + "1" + close * 5000 + "\n")
    with pytest.raises(HclSyntaxError) as error:
        check_depth(body)
    assert error.value.line == 2 and error.value.col > 1


def test_ordinary_nesting_passes_the_depth_check() -> None:
    check_depth(parse_hcl('x = {a = [for v in [1, 2] : {b = "${v}"}]}\nblock { y = f(g(1)) }\n'))


@pytest.mark.parametrize("expr", [
    "[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]",
    "length(flatten([for a in range(1000) : [for b in range(1000) : b]]))",
    "jsonencode([for a in range(1000) : [for b in range(1000) : [for c in range(99) : c]]])",
    '"%{for a in range(1000)}%{for b in range(1000)}%{for c in range(9)}x%{endfor}'
    '%{endfor}%{endfor}"',
])
def test_huge_loops_spend_the_budget(expr: str) -> None:
    assert "work budget" in reason(ev(expr))


@pytest.mark.parametrize("expr", [
    'format("%99999999999d", 1)',
    'format("%2000000s", "x")',
    'join(",", [for a in range(1000) : format("%2000s", "x")])',
    'replace(format("%100000s", "x"), " ", format("%100s", "y"))',
    'replace(format("%100000s", "x"), "/ /", format("%100s", "y"))',
    '"${format("%800000s", "x")}${format("%800000s", "y")}"',
])
def test_huge_strings_are_unknown(expr: str) -> None:
    assert str(MAX_TEXT_CHARS) in reason(ev(expr))


def test_huge_collections_are_unknown() -> None:
    big = list(range(MAX_ELEMENTS // 2 + 1))
    assert str(MAX_ELEMENTS) in reason(ev("concat(var.l, var.l)", {"var": {"l": big}}))
    assert str(MAX_ELEMENTS) in reason(ev("flatten([var.l, var.l])", {"var": {"l": big}}))


def test_range_stays_within_terraforms_limit() -> None:
    assert "1024" in reason(ev("range(100000)"))


def test_a_spent_budget_leaves_literals_alone() -> None:
    with work_budget(10):
        assert "work budget" in reason(ev("[for a in range(100) : a]"))
        assert ev('"literal"') == "literal"
        assert ev("1 + 2") == 3


def test_within_the_limits_values_are_exact() -> None:
    assert ev('join("-", [for a in range(3) : format("%03d", a)])') == "000-001-002"
    assert ev('replace("a.b.c", ".", "::")') == "a::b::c"
    assert ev('replace("a1b2", "/([0-9])/", "<$1>")') == "a<1>b<2>"
