"""Terraform's numbers (analyzer/hcl/numbers.py) beyond the oracle cases: a hostile size is
unknown at once, never a long computation; a 512-bit value still reads as a float where only
an approximation is needed; the text is Go's shortest at the value's precision."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from analyzer.hcl import numbers
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import parse_hcl
from analyzer.model import Unknown


def ev(text: str) -> object:
    return evaluate(parse_hcl(f"x = {text}\n").attributes["x"].expr, {})


@pytest.mark.parametrize("expr", [
    "1e999999999", "1e-999999999", "1e2000 * 1e2000", 'tonumber("1e99999999")',
    'jsondecode("1e99999999")', 'yamldecode("1e99999999")', "1" + "0" * 5000,
    'parseint("' + "9" * 5000 + '", 10)',
])
def test_a_hostile_size_is_unknown_at_once(expr: str) -> None:
    started = time.monotonic()
    assert isinstance(ev(expr), Unknown)
    assert time.monotonic() - started < 2


def test_a_real_reads_as_a_float_and_compares_exactly() -> None:
    third = ev("1/3")
    assert isinstance(third, numbers.Real) and isinstance(third, float)
    assert abs(third - 0.3333333333333333) < 1e-15  # an approximation for who needs one
    assert third != 0.3333333333333333  # but equality is exact, as in Terraform
    assert ev("0.1 + 0.2") == ev("0.3") and hash(ev("0.1 + 0.2")) == hash(ev("0.3"))


def test_text_is_gos_shortest_at_the_precision() -> None:
    assert numbers.text(ev("1/3")) == "0." + "3" * 154 + "5"
    assert numbers.text(2.0**100) == "1267650600228229400000000000000"  # float64: 53 bits
    assert numbers.text(numbers.arithmetic("+", 2**0.5, 0)) == (
        "1.4142135623730951454746218587388284504413604736328125")  # 53 bits read at 512
    assert numbers.text(numbers.parse("1e400")) == "1" + "0" * 400
    assert numbers.text(numbers.parse("-0.000001")) == "-0.000001"


def test_rounding_is_to_nearest_even_at_512_bits() -> None:
    third = numbers.rounded(Fraction(1, 3))
    assert isinstance(third, Fraction) and third.denominator == 2**513
    assert numbers.rounded(2**600 + 1) == 2**600  # past 512 bits an integer rounds too
