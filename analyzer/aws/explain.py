"""`iac-ddb-lint explain ADDRESS`: for one table, every selection considered and why it does or
does not select the table, its plan, the Region settings, PITR and the verdict. Pure: records
out of the inventory and the verdict the run gave; `report/explanation.py` words them.

"Considered" is every selection, whatever its unit or Region, including those the index
(`index.py`) never hands the judge because they cannot name the table ("not a candidate"); only
when other units hold more than MAX_REMOTE such selections are those counted instead. The
verdict is the run's own, never recomputed here.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from analyzer.aws.coverage import region_opt_in
from analyzer.aws.evidence import pitr_evidence
from analyzer.aws.explain_checks import Check, SelectionExplanation, explain_selection, table_arn
from analyzer.aws.index import SelectionIndex, foreign_address
from analyzer.aws.scenarios import _seen_from
from analyzer.aws.selection import Plans
from analyzer.model import (
    BackupSelection,
    Evidence,
    Inventory,
    RegionSettings,
    Table,
    Tri,
    Unknown,
    Verdict,
)

# Selections of other units that cannot name the table are shown up to this many (a central
# backup repository may hold hundreds); beyond it they are counted.
MAX_REMOTE = 50


@dataclass(frozen=True)
class Explanation:
    verdict: Verdict  # the run's verdict: status and evidence as every report shows them
    arn: str  # the table's ARN as far as the code decides it
    pitr: Evidence
    region: tuple[Check, ...]  # Region settings that apply to the table, then the opt-in
    selections: tuple[SelectionExplanation, ...]
    notes: tuple[str, ...]  # what else bears on the verdict (scenarios, units not considered)


def explain(
    inventory: Inventory, verdict: Verdict, left_out: frozenset[str] = frozenset()
) -> Explanation:
    """`left_out`: units judged apart from the table's (other worlds of its configuration)."""
    table = verdict.table
    plans: Plans = {(plan.unit, plan.address): plan for plan in inventory.plans}
    settings = [s for s in inventory.region_settings if s.unit not in left_out]
    opt_in = region_opt_in(table, settings)
    index = SelectionIndex(inventory.selections)
    kept = set(index.candidates(table))
    foreign = replace(table, address=foreign_address(table))
    found: list[SelectionExplanation] = []
    unseen = apart = elsewhere = 0
    remote = sum(1 for i, s in enumerate(inventory.selections)
                 if s.unit != table.unit and i not in kept and s.unit not in left_out)
    for position, selection in enumerate(inventory.selections):
        if selection.unit in left_out:
            apart += 1
            continue
        if remote > MAX_REMOTE and selection.unit != table.unit and position not in kept:
            elsewhere += 1
            continue
        view = _view(selection, table)
        if view is None:
            unseen += 1
            continue
        seen = table if selection.unit == table.unit else foreign
        found.append(explain_selection(view, seen, opt_in, plans, position in kept))
    region = (*_settings_checks(table, settings), _opt_in_check(opt_in.res.tri, opt_in.text))
    notes = _notes(table, unseen, apart, elsewhere)
    # the verdict's own PITR item: it says in which scenario or workspace it holds
    pitr = next((e for e in verdict.evidence if e.kind == "pitr"), None) or pitr_evidence(table)
    return Explanation(verdict, table_arn(table), pitr, region, tuple(found), notes)


def _view(selection: BackupSelection, table: Table) -> BackupSelection | None:
    """The selection as the table's variant sees it (scenarios.py); None for a variant of
    another scenario of the table's own template."""
    if selection.scenario is None:
        return selection
    return _seen_from(selection, table)


def _settings_checks(table: Table, settings: Sequence[RegionSettings]) -> list[Check]:
    checks = []
    for item in settings:
        if isinstance(item.region, str) and isinstance(table.region, str) and (
                item.region != table.region):
            continue
        region = item.region if isinstance(item.region, str) else "its Region unknown"
        subject = f"{item.address} ({region})"
        value = item.dynamodb_opt_in
        if isinstance(value, Unknown):
            tri, said = Tri.UNKNOWN, f"may opt DynamoDB out ({value.reason})"
        elif value is None:
            tri, said = Tri.YES, "does not mention DynamoDB (opted in by default)"
        else:
            tri, said = Tri.of(value), "opts DynamoDB in" if value else "opts DynamoDB out"
        if item.exists is not None:
            said += f"; it may not exist ({item.exists.reason})"
        checks.append(Check("region_settings", tri, subject, said, item.location))
    return checks


def _opt_in_check(tri: Tri, text: str) -> Check:
    subject = "AWS Backup manages DynamoDB in the table's Region"
    if tri is Tri.YES:
        return Check("opt_in", tri, subject, "(the default, or opted in)")
    return Check("opt_in", tri, subject, f"is not certain: {text}" if tri is Tri.UNKNOWN
                 else f"is false: {text}")


def _notes(table: Table, unseen: int, apart: int, elsewhere: int) -> tuple[str, ...]:
    notes = []
    if table.scenario is not None:
        notes.append(f"the table differs by template conditions: shown is its variant "
                     f"{table.scenario.text}, the one that gives the verdict")
    if unseen:
        notes.append(f"{_count(unseen)} of other condition scenarios of the template not shown")
    if apart:
        notes.append(f"{_count(apart)} of other worlds of this configuration (plan or "
                     "workspace) not considered: they never protect this table")
    if elsewhere:
        notes.append(f"{_count(elsewhere)} of other units not shown: their tags and patterns "
                     "cannot name this table")
    return tuple(notes)


def _count(n: int) -> str:
    return f"{n} {'selection' if n == 1 else 'selections'}"


# --- finding the table a user names ------------------------------------------------------------


def _plain(table: Table) -> list[str]:
    """Its address and label (CDK path); a replica also as `address@region`."""
    found = [table.address, *([table.label] if table.label else [])]
    return found + [f"{name}@{table.replica_region}" for name in found if table.replica_region]


def names(table: Table) -> list[str]:
    """The ways a user may name a table: its address, its label (CDK path), a replica as
    `address@region`, each also with its unit in front (`unit:address`), for an address that
    several units declare."""
    plain = _plain(table)
    return plain + [f"{table.unit}:{name}" for name in plain]


def find(verdicts: Sequence[Verdict], wanted: str) -> list[Verdict]:
    """The verdicts of the tables `wanted` names: by address or label (a global table's
    replicas too), else `address@region` or `unit:address`."""
    plain = [v for v in verdicts if wanted in (v.table.address, v.table.label)]
    return plain or [v for v in verdicts if wanted in names(v.table)]


def near(verdicts: Sequence[Verdict], wanted: str, count: int = 5) -> list[str]:
    """The names closest to `wanted`, for a usage error (difflib's ratio); `unit:address`
    only for an address that several units declare."""
    units: dict[str, set[str]] = {}
    for verdict in verdicts:
        units.setdefault(verdict.table.address, set()).add(verdict.table.unit)
    every: set[str] = set()
    for verdict in verdicts:
        table = verdict.table
        every.update(names(table) if len(units[table.address]) > 1 else _plain(table))
    return difflib.get_close_matches(wanted, sorted(every), n=count, cutoff=0.5)
