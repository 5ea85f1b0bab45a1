"""The verdict per table: PITR or any backup selection protects it, three-valued, with evidence."""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.aws.evidence import no_selection_evidence, order_key, pitr_evidence
from analyzer.aws.outcome import YES, Res, unknown
from analyzer.aws.scenarios import has_scenarios, judge_scenarios
from analyzer.aws.selection import OptIn, judge_selection
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Inventory,
    RegionSettings,
    Status,
    Table,
    Tri,
    Unknown,
    Verdict,
)

_STATUS = {Tri.YES: Status.PROTECTED, Tri.NO: Status.UNPROTECTED, Tri.UNKNOWN: Status.UNKNOWN}


def judge(inventory: Inventory) -> list[Verdict]:
    """One verdict per table of the inventory, in the same order. Tables and selections that
    exist in several variants (template condition scenarios) are judged per scenario, and each
    table's variants merge into one verdict (its `table` is then the first variant)."""
    if has_scenarios(inventory):
        return judge_scenarios(inventory, _judge_plain)
    return _judge_plain(inventory)


def _judge_plain(inventory: Inventory) -> list[Verdict]:
    plans = {plan.address: plan for plan in inventory.plans}
    return [
        _verdict(table, inventory.selections, inventory.region_settings, plans)
        for table in inventory.tables
    ]


def _verdict(
    table: Table,
    selections: Sequence[BackupSelection],
    settings: Sequence[RegionSettings],
    plans: dict[str, BackupPlan],
) -> Verdict:
    opt_in = region_opt_in(table, settings)
    pitr = pitr_evidence(table)
    overall = pitr.applies
    found = []
    for selection in selections:
        tri, item = judge_selection(selection, table, opt_in, plans)
        overall = overall | tri
        if item is not None:
            found.append(item)
    if all(e.applies is Tri.NO for e in found):
        found.append(no_selection_evidence(len(selections)))
    return Verdict(table, _STATUS[overall], (pitr, *sorted(found, key=order_key)))


def region_opt_in(table: Table, settings: Sequence[RegionSettings]) -> OptIn:
    """Opted out if any settings resource that applies in the table's Region says so; unknown if
    one is undecided; opted in otherwise (the default). A settings resource applies when its
    Region is the table's, or when either is unknown (then we say we assumed it)."""
    applying = [s for s in settings if _same_region(s.region, table.region)]
    for item in applying:
        if item.dynamodb_opt_in is False:
            text = f"AWS Backup is opted out of DynamoDB in this Region ({item.address})"
            return OptIn(Res(Tri.NO), text + _assumed(item, table))
    for item in applying:
        if isinstance(item.dynamodb_opt_in, Unknown):
            why = f"{item.address}: {item.dynamodb_opt_in.reason}{_assumed(item, table)}"
            text = f"whether AWS Backup manages DynamoDB in this Region is unknown ({why})"
            return OptIn(unknown(text + "; tag-only assignments protect only if it does"), text)
    return OptIn(YES)


def _same_region(a: str | Unknown, b: str | Unknown) -> bool:
    return not (isinstance(a, str) and isinstance(b, str) and a != b)


def _assumed(item: RegionSettings, table: Table) -> str:
    if isinstance(item.region, str) and isinstance(table.region, str):
        return ""
    return ", assuming it applies in the table's Region"
