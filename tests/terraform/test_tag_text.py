"""A number as a tag value is the text Terraform converts it to (512-bit numbers, no exponent)."""

from __future__ import annotations

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import parse_hcl
from analyzer.terraform.tags import tag_text


def _tag(expr: str) -> object:
    return tag_text(evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, {}))


def test_numbers_become_terraforms_text() -> None:
    assert _tag("0.1 + 0.2") == "0.3"
    assert _tag("1e-7") == "0.0000001"
    assert _tag("2.0") == "2"
    assert _tag("pow(2, 100)") == "1267650600228229400000000000000"
    assert _tag("true") == "true"
