"""Condition scenarios: a template is judged under every combination of the choices its
coverage depends on, and a table is protected only if it is protected in each one it exists in.

Design. A *choice* is a condition whose value the code does not decide (it depends on a
parameter that is not pinned and has no AllowedValues: both truth values) or a parameter with
several AllowedValues (each value). Choices are found lazily: the template's tables, selections
and plans are evaluated; reading an unassigned choice raises `NeedChoice`, and the run forks
once per option. Only choices that matter are enumerated, so a template without conditions
costs one run.

Each run yields model objects. A table or selection that is the same in every run is emitted
once, plainly. One that differs (or exists only sometimes) is emitted once per run with a
`Scenario` (template, run index, "when IsProd is false"); `judge_all` then judges each variant
of a table against the selections of the same run only, and keeps the worst verdict with its
evidence (that judging is coverage's: `analyzer.aws.scenarios`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from analyzer.cloudformation.intrinsics import Context, NeedChoice
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Inventory,
    Scenario,
    Table,
    Unknown,
)

MAX_SCENARIOS = 256
T = TypeVar("T")


@dataclass
class Snapshot:
    """What one run produced: each object with the choices read while evaluating it."""

    tables: list[tuple[Table, frozenset[str]]] = field(default_factory=list)
    selections: list[tuple[BackupSelection, frozenset[str]]] = field(default_factory=list)
    plans: list[BackupPlan] = field(default_factory=list)


def enumerate_runs(
    run: Callable[[Context], T], template: dict[str, object], pinned: dict[str, object]
) -> list[tuple[dict[str, str], T]] | None:
    """Every (assignment, result); None when there are more than MAX_SCENARIOS."""
    pending: list[dict[str, str]] = [{}]
    done: list[tuple[dict[str, str], T]] = []
    while pending:
        assignment = pending.pop(0)
        try:
            done.append((assignment, run(Context(template, pinned, assignment))))
        except NeedChoice as need:
            pending.extend({**assignment, need.var: option} for option in need.options)
        if len(done) + len(pending) > MAX_SCENARIOS:
            return None
    return done


def describe(assignment: dict[str, str], used: frozenset[str]) -> str:
    said = [f"{var.split(':', 1)[1]} is {val}" for var, val in assignment.items() if var in used]
    return "when " + " and ".join(said) if said else "in one combination of conditions"


def merge(runs: list[tuple[dict[str, str], Snapshot]], rel: str, into: Inventory) -> None:
    """Add the runs' objects to the inventory: once when the same in every run, else per run."""
    if len(runs) == 1:
        snap = runs[0][1]
        into.tables.extend(t for t, _ in snap.tables)
        into.selections.extend(s for s, _ in snap.selections)
        into.plans.extend(snap.plans)
        return
    sel_vary = _varying([[(s.address, s) for s, _ in snap.selections] for _, snap in runs])
    sel_vars = frozenset().union(*(
        used for _, snap in runs for s, used in snap.selections if s.address in sel_vary))
    table_vary = _varying([[((t.address, t.replica_region), t) for t, _ in snap.tables]
                           for _, snap in runs])
    for index, (assignment, snap) in enumerate(runs):
        for sel, used in snap.selections:
            if sel.address not in sel_vary:
                if index == 0:
                    into.selections.append(sel)
                continue
            text = "exists " + describe(assignment, used) if used else describe(assignment, used)
            into.selections.append(replace(sel, scenario=Scenario(rel, index, text)))
        for table, used in snap.tables:
            if not sel_vary and (table.address, table.replica_region) not in table_vary:
                if index == 0:
                    into.tables.append(table)
                continue
            relevant = used | sel_vars
            choices = tuple((k.split(":", 1)[1], v) for k, v in assignment.items() if k in relevant)
            scenario = Scenario(rel, index, describe(assignment, relevant), choices)
            into.tables.append(replace(table, scenario=scenario))
    into.plans.extend(_plans(runs))


def _varying(runs: list[list[tuple[object, object]]]) -> set[object]:
    """Keys whose object is missing from some run or differs between runs."""
    keys = {key for items in runs for key, _ in items}
    out = set()
    for key in keys:
        seen = [[obj for k, obj in items if k == key] for items in runs]
        if any(len(objs) != 1 for objs in seen) or any(objs != seen[0] for objs in seen):
            out.add(key)
    return out


def _plans(runs: list[tuple[dict[str, str], Snapshot]]) -> list[BackupPlan]:
    by_address: dict[str, BackupPlan] = {}
    for _, snap in runs:
        for plan in snap.plans:
            first = by_address.setdefault(plan.address, plan)
            if first != plan and isinstance(first.rule_count, int):
                why = Unknown(f"the rules of {plan.address} differ by template conditions")
                by_address[plan.address] = replace(first, rule_count=why)
    return list(by_address.values())
