"""Judging per condition scenario: a table that exists in several variants (one per template
condition scenario) is judged against the selections of its own scenario, and keeps the worst
verdict, the evidence saying which case it is. A selection that differs by conditions protects
nothing for certain outside its own template: its matches are unknown, with the reason (the
stacks' parameters are independent of each other). The variants come from the loaders
(`Table.scenario`, `BackupSelection.scenario`); this module only judges them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import combinations

from analyzer.model import BackupSelection, Evidence, Inventory, Status, Table, Unknown, Verdict


def has_scenarios(inventory: Inventory) -> bool:
    return any(t.scenario is not None for t in inventory.tables) or any(
        s.scenario is not None for s in inventory.selections)


# The positions in `inventory.selections` of the selections that may select a table.
Candidates = Callable[[Table], Sequence[int]]
# Judges one table against its view of the selections, saying how many were considered.
JudgeOne = Callable[[Table, list[BackupSelection], int], Verdict]


def judge_scenarios(
    inventory: Inventory, candidates: Candidates, judge_one: JudgeOne
) -> list[Verdict]:
    """One verdict per table (variants merged), in the order of `inventory.tables`. A table's
    view of the selections is the plain ones, then the variants it sees (`_seen_from`), each
    in inventory order; `judge_one` gets the candidates among them and the view's size."""
    selections = inventory.selections
    plain = sum(1 for s in selections if s.scenario is None)
    variants = [s.scenario for s in selections if s.scenario is not None]
    per_unit = Counter(v.unit for v in variants)
    per_index = Counter((v.unit, v.index) for v in variants)
    verdicts: list[Verdict] = []
    for table in inventory.tables:
        chosen = [selections[i] for i in candidates(table)]
        seen = (_seen_from(s, table) for s in chosen if s.scenario is not None)
        view = [s for s in chosen if s.scenario is None] + [s for s in seen if s is not None]
        own = table.scenario
        hidden = 0 if own is None else per_unit[own.unit] - per_index[(own.unit, own.index)]
        verdicts.append(judge_one(table, view, plain + len(variants) - hidden))
    return _merge_verdicts(verdicts)


def _seen_from(selection: BackupSelection, table: Table) -> BackupSelection | None:
    scenario = selection.scenario
    assert scenario is not None
    own = table.scenario
    if own is not None and own.unit == scenario.unit:
        return selection if own.index == scenario.index else None
    why = f"{selection.address} {scenario.text} in {scenario.unit}"
    return replace(selection, scenario=None, undecided=selection.undecided or Unknown(why))


_RANK = {Status.UNPROTECTED: 0, Status.UNKNOWN: 1, Status.PROTECTED: 2}


def _merge_verdicts(verdicts: list[Verdict]) -> list[Verdict]:
    groups: dict[tuple[str, str | None, str], list[Verdict]] = {}
    for verdict in verdicts:
        table = verdict.table
        key = (table.address, table.replica_region, table.location.file)
        groups.setdefault(key, []).append(verdict)
    return [_merge_group(group) for group in groups.values()]


def _merge_group(group: list[Verdict]) -> Verdict:
    if len(group) == 1 and group[0].table.scenario is None:
        return group[0]
    worst = min(group, key=lambda v: _RANK[v.status])
    common = set.intersection(*(set(_ident(e) for e in v.evidence) for v in group))
    chosen = group if worst.status is Status.PROTECTED else [worst]
    evidence: list[Evidence] = []
    for verdict in chosen:
        # all protected: each run says its own case; else the fewest choices that fail
        text = _text(verdict) if worst.status is Status.PROTECTED else _case(verdict, group)
        for item in verdict.evidence:
            if _ident(item) in common or item.sums_up():
                if verdict is chosen[0]:
                    evidence.append(item)
                continue
            evidence.append(replace(item, message=f"{item.message} {text}".rstrip()))
    evidence.sort(key=lambda e: 0 if e.kind == "pitr" else 1)
    return Verdict(worst.table, worst.status, tuple(dict.fromkeys(evidence)), _required(group))


def _required(group: list[Verdict]) -> Status | None:
    """The worst answer to the policy's requirement alone (None: no policy)."""
    said = [v.required for v in group if v.required is not None]
    return min(said, key=lambda s: _RANK[s]) if said else None


def _text(verdict: Verdict) -> str:
    return verdict.table.scenario.text if verdict.table.scenario else ""


def _case(worst: Verdict, group: list[Verdict]) -> str:
    """The fewest choices that alone give the worst status: "when IsProd is false" rather than
    every choice of that run. Every run agreeing on them must have that status."""
    scenario = worst.table.scenario
    if scenario is None or not scenario.choices:
        return _text(worst)
    for size in range(len(scenario.choices) + 1):
        for subset in combinations(scenario.choices, size):
            agreeing = [v for v in group if _agrees(v, subset)]
            if all(v.status is worst.status for v in agreeing):
                said = " and ".join(f"{name} is {value}" for name, value in subset)
                return "when " + said if said else ""
    return scenario.text


def _agrees(verdict: Verdict, subset: tuple[tuple[str, str], ...]) -> bool:
    # A run that never read a choice may have either value: it agrees.
    scenario = verdict.table.scenario
    choices = dict(scenario.choices) if scenario else {}
    return all(choices.get(name, value) == value for name, value in subset)


def _ident(evidence: Evidence) -> tuple[object, ...]:
    return (evidence.kind, evidence.applies, evidence.message, evidence.source, evidence.location)
