"""The evaluator's work budget (issue 15): sizes and steps beyond which a value is Unknown.

No real configuration comes near these limits; a hostile one (a pull request from a fork) could
otherwise make one expression take hours or gigabytes. Beyond a limit the value is
`Unknown(reason naming the limit)`, so nothing it feeds is ever decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from analyzer.hcl.values import Undecided
from analyzer.model import Unknown

# Characters in one string value (a template, join(), replace(), format(), jsonencode()...).
MAX_TEXT_CHARS = 1 << 20
# Elements in one list or map a function builds (flatten(), concat(), a `for` result...).
MAX_ELEMENTS = 100_000
# Steps (`for` iterations, elements built, nodes encoded) of one budget: by default one
# top-level evaluation; the Terraform loader gives each root module one budget for all of it.
MAX_STEPS = 2_000_000


@dataclass
class Budget:
    size: int
    remaining: int


_CURRENT: ContextVar[Budget | None] = ContextVar("hcl_work_budget", default=None)


class OverBudget(Undecided):
    """A limit was reached: the value being computed is unknown (caught where `Undecided` is)."""


@contextmanager
def work_budget(steps: int = MAX_STEPS) -> Iterator[Budget]:
    """One budget for everything evaluated inside (nested budgets are not opened)."""
    current = _CURRENT.get()
    if current is not None:
        yield current
        return
    budget = Budget(steps, steps)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def spend(steps: int = 1) -> None:
    """Charge work to the current budget; once it is spent, every further charge fails."""
    budget = _CURRENT.get()
    if budget is None or steps <= 0:
        return
    budget.remaining -= steps
    if budget.remaining < 0:
        budget.remaining = -1
        raise OverBudget(Unknown(f"not evaluated: the work budget of {budget.size} evaluation "
                                 "steps is spent (a loop or function too large to evaluate)"))


def check_text(size: int, what: str) -> None:
    if size > MAX_TEXT_CHARS:
        raise OverBudget(Unknown(f"{what} would be {size} characters long, more than the "
                                 f"{MAX_TEXT_CHARS} this analyzer evaluates"))


def check_elements(size: int, what: str) -> None:
    if size > MAX_ELEMENTS:
        raise OverBudget(Unknown(f"{what} would have {size} elements, more than the "
                                 f"{MAX_ELEMENTS} this analyzer evaluates"))
