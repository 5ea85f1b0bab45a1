"""The verdict per table: PITR or any backup selection protects it, three-valued, with evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from analyzer.aws.evidence import no_selection_evidence, order_key, pitr_evidence
from analyzer.aws.index import SelectionIndex
from analyzer.aws.outcome import YES, Res, unknown
from analyzer.aws.policy import judge_policy
from analyzer.aws.regions import TableKey, assume_region, assumed_region_evidence
from analyzer.aws.scenarios import Candidates, has_scenarios, judge_scenarios
from analyzer.aws.selection import OptIn, Plans, judge_selection
from analyzer.model import (
    BackupSelection,
    Evidence,
    Inventory,
    LoadError,
    Policy,
    RegionSettings,
    Status,
    Table,
    Tri,
    Unknown,
    Verdict,
)

_STATUS = {Tri.YES: Status.PROTECTED, Tri.NO: Status.UNPROTECTED, Tri.UNKNOWN: Status.UNKNOWN}


def judge(inventory: Inventory, policy: Policy | None = None) -> list[Verdict]:
    """One verdict per table of the inventory, in the same order. Tables and selections that
    exist in several variants (template condition scenarios) are judged per scenario, and each
    table's variants merge into one verdict (its `table` is then the first variant). Each table
    is judged only against the selections the index says may select it. A `policy` (aws.policy)
    decides what counts; by default PITR or any selection."""
    policy = policy or Policy()
    assumed: frozenset[TableKey] = frozenset()
    if policy.assume_region is not None:
        inventory, assumed = assume_region(inventory, policy.assume_region)
    return _judge(inventory, SelectionIndex(inventory.selections).candidates, policy, assumed)


def judge_all_pairs(inventory: Inventory) -> list[Verdict]:
    """The same verdicts, judging every table against every selection (the reference the index
    is tested against)."""
    return _judge(inventory, lambda table: range(len(inventory.selections)), Policy())


def _judge(inventory: Inventory, candidates: Candidates, policy: Policy,
           assumed: frozenset[TableKey] = frozenset()) -> list[Verdict]:
    plans: Plans = {(plan.unit, plan.address): plan for plan in inventory.plans}
    settings = inventory.region_settings

    def judge_one(table: Table, view: list[BackupSelection], considered: int) -> Verdict:
        verdict = _verdict(table, view, considered, settings, plans, policy, assumed)
        return _unreadable(verdict, inventory.unreadable.get(table.unit))

    if has_scenarios(inventory):
        return judge_scenarios(inventory, candidates, judge_one)
    selections = inventory.selections
    return [judge_one(table, [selections[i] for i in candidates(table)], len(selections))
            for table in inventory.tables]


def _unreadable(verdict: Verdict, error: LoadError | None) -> Verdict:
    """A unit with an input that could not be read decides nothing: what was not read may
    declare a selection, an opt-out or the table's own settings."""
    if error is None:
        return verdict
    why = (f"{error}; an input of {verdict.table.unit} could not be read, so what was read "
           "cannot decide this table")
    item = Evidence("input", Tri.UNKNOWN, why, verdict.table.address, error.location, summary=True)
    pitr, *rest = verdict.evidence
    required = None if verdict.required is None else Status.UNKNOWN
    return Verdict(verdict.table, Status.UNKNOWN, (pitr, item, *rest), required)


def _verdict(
    table: Table,
    selections: Sequence[BackupSelection],
    considered: int,
    settings: Sequence[RegionSettings],
    plans: Plans,
    policy: Policy,
    assumed: frozenset[TableKey],
) -> Verdict:
    """`selections` are those that may select the table, in inventory order; `considered`
    counts all that were (the others cannot select it)."""
    opt_in = region_opt_in(table, settings)
    pitr = pitr_evidence(table)
    overall = pitr.applies
    found = []
    picks = []
    foreign = replace(table, address=f"{table.unit}//{table.address}")
    for selection in selections:
        # A reference names a resource of its own unit: from another unit, the table has no
        # address a reference could name; tags and ARN patterns still reach it.
        seen = table if selection.unit == table.unit else foreign
        tri, item = judge_selection(selection, seen, opt_in, plans)
        overall = overall | tri
        picks.append((selection, tri))
        if item is not None:
            found.append(item)
    if all(e.applies is Tri.NO for e in found):
        found.append(no_selection_evidence(table, considered))
    evidence = (pitr, *sorted(found, key=order_key), *assumed_region_evidence(table, assumed))
    if not policy.checks():
        return Verdict(table, _STATUS[overall], evidence)
    required, overall, items = judge_policy(policy, table, pitr, found, picks, plans)
    return Verdict(table, _STATUS[overall], evidence + items, _STATUS[required])


def region_opt_in(table: Table, settings: Sequence[RegionSettings]) -> OptIn:
    """Opted out if any settings resource that applies in the table's Region says so; unknown if
    one is undecided; opted in otherwise (the default). A settings resource applies when its
    Region is the table's, or when either is unknown (then we say we assumed it)."""
    applying = [s for s in settings if _same_region(s.region, table.region)]
    for item in applying:
        if item.dynamodb_opt_in is False and item.exists is None:
            text = f"AWS Backup is opted out of DynamoDB in this Region ({item.address})"
            return OptIn(Res(Tri.NO), text + _assumed(item, table))
    for item in applying:
        why = _undecided_opt_in(item)
        if why is not None:
            why += _assumed(item, table)
            text = f"whether AWS Backup manages DynamoDB in this Region is unknown ({why})"
            return OptIn(unknown(text + "; tag-only assignments protect only if it does"), text)
    return OptIn(YES)


def _undecided_opt_in(item: RegionSettings) -> str | None:
    """Why this settings resource may opt DynamoDB out: an undecided value, or an opt-out that
    may not exist (undecided count/for_each). None when it certainly does not."""
    if isinstance(item.dynamodb_opt_in, Unknown):
        return f"{item.address}: {item.dynamodb_opt_in.reason}"
    if item.dynamodb_opt_in is False and item.exists is not None:
        return f"an opt-out of DynamoDB that may not exist: {item.exists.reason}"
    return None


def _same_region(a: str | Unknown, b: str | Unknown) -> bool:
    return not (isinstance(a, str) and isinstance(b, str) and a != b)


def _assumed(item: RegionSettings, table: Table) -> str:
    if isinstance(item.region, str) and isinstance(table.region, str):
        return ""
    return ", assuming it applies in the table's Region"
