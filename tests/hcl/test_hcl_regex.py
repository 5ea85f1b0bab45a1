"""regex() and regexall() as Terraform (go-cty) evaluates them."""

from __future__ import annotations

import pytest

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import parse_hcl
from analyzer.model import Unknown


def ev(expr: str) -> object:
    return evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, {})


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('regex("^prod", "prod-eu")', "prod"),
        ('regex("^(\\\\w+)-(\\\\w+)$", "prod-eu")', ["prod", "eu"]),
        ('regex("^(?P<env>[a-z]+)-(?P<n>\\\\d+)", "prod-12")', {"env": "prod", "n": "12"}),
        ('regex("(a)(b)?", "a")', ["a", None]),
        ('regexall("[0-9]", "a1b2")', ["1", "2"]),
        ('length(regexall("x", "abc")) > 0', False),
        ('can(regex("^prod", "prod-eu"))', True),
        ('can(regex("^dev", "prod-eu"))', False),
        ('try(regex("z", "a"), "none")', "none"),
    ],
)
def test_regex(expr: str, expected: object) -> None:
    assert ev(expr) == expected


def test_pattern_python_rejects_is_unknown_not_false() -> None:
    assert isinstance(ev('can(regex("[", "a"))'), Unknown)
