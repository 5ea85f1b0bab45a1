"""Issue 15, item 9: regex() and regexall() use RE2, Terraform's dialect. A pattern RE2 rejects
is not evaluated with Python's meaning (an unknown value with the reason, never a verdict), and a
pattern that backtracks exponentially in Python's `re` runs in linear time."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.paths import REPO

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import parse_hcl
from analyzer.model import Unknown


def ev(expr: str) -> object:
    return evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, {})


@pytest.mark.parametrize(
    "pattern",
    [
        "^(?=prod)",  # look-ahead
        "(?<!dev)-eu",  # look-behind
        "(a)\\\\1",  # backreference
        "(?>a+)",  # atomic group
        "a++",  # possessive
        "\\\\Z",  # Python-only anchor
        "\\\\C",  # C++ RE2 only: Go rejects it
    ],
)
def test_pattern_re2_rejects_is_unknown_with_reason(pattern: str) -> None:
    for expr in (f'regex("{pattern}", "prod-eu")', f'can(regex("{pattern}", "prod-eu"))',
                 f'regexall("{pattern}", "prod-eu")'):
        value = ev(expr)
        assert isinstance(value, Unknown), (expr, value)
        assert "not evaluated here" in value.reason


def test_rejection_writes_nothing_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    ev('can(regex("(?=x)y", "y"))')
    assert capfd.readouterr().err == ""


def test_re2_syntax_terraform_accepts() -> None:
    assert ev('regex("^(?P<env>[[:alpha:]]+)-\\\\pL+$", "prod-eu")') == {"env": "prod"}


CATASTROPHIC = (
    "from analyzer.hcl.expressions import evaluate\n"
    "from analyzer.hcl.parse import parse_hcl\n"
    "text = 'x = can(regex(\"^(a+)+$\", \"' + 'a' * 5000 + '!\"))\\n'\n"
    "print(evaluate(parse_hcl(text).attributes['x'].expr, {}))\n"
)


def test_catastrophic_backtracking_pattern_finishes() -> None:
    # Python's `re` takes 34 s at 30 characters (and doubles per character); RE2 is linear.
    run = subprocess.run([sys.executable, "-c", CATASTROPHIC], capture_output=True, text=True,
                         timeout=120, check=True, cwd=REPO)
    assert run.stdout.strip() == "False"
