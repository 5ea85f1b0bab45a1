"""The protection graph the Mermaid and DOT formats draw: tables, backup selections and plans,
with the edges that protect.

A selection points at its plan, and at each table whose verdict says it selects the table:
certain when the evidence says yes, maybe when it says unknown (a near miss that does not
select is no edge). Tables carry their status and PITR. Everything comes from the scan result
and the verdicts' evidence: no coverage is recomputed. Node ids are generated (`t1`, `s1`,
`p1`) in a deterministic order, so no scanned name ever becomes an identifier; labels are raw
text, each format escapes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.model import BackupPlan, BackupSelection, Evidence, Ref, Tri, Unknown, Verdict
from analyzer.report import printable, resource_name
from analyzer.report.ci import table_name
from analyzer.report.text import sorted_verdicts

if TYPE_CHECKING:
    from analyzer.pipeline import ScanResult

_PITR = {Tri.YES: "PITR on", Tri.NO: "PITR off", Tri.UNKNOWN: "PITR unknown"}


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # table | selection | plan
    lines: tuple[str, ...]  # the label, one entry per line, unescaped but printable
    style: str  # tables: protected | unprotected | unknown; else selection | plan | external


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    certain: bool  # solid when certain, dashed when it may or may not hold


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    @property
    def tables(self) -> int:
        return sum(1 for node in self.nodes if node.kind == "table")


def build(result: ScanResult) -> Graph:
    verdicts = sorted_verdicts(result.verdicts)
    selections = _unique(result.inventory.selections)
    plans = {(p.unit, p.address): p for p in sorted(
        result.inventory.plans, key=lambda p: (p.unit, p.address))}
    shared = _shared([(v.table.address, v.table.unit) for v in verdicts])
    nodes = [_table_node(f"t{i}", v, shared) for i, v in enumerate(verdicts, 1)]
    ids = {(s.unit, s.address): f"s{i}" for i, s in enumerate(selections, 1)}
    plan_ids = {key: f"p{i}" for i, key in enumerate(plans, 1)}
    shared = _shared([(s.address, s.unit) for s in selections])
    nodes += [_selection_node(ids[(s.unit, s.address)], s, shared) for s in selections]
    shared = _shared([(address, unit) for unit, address in plans])
    nodes += [_plan_node(plan_ids[key], plan, shared) for key, plan in plans.items()]
    by_address: dict[str, list[BackupSelection]] = {}
    for selection in selections:
        by_address.setdefault(selection.address, []).append(selection)
    edges: list[Edge] = []
    external: dict[str, str] = {}  # plans named but not declared in the scanned code
    for selection in selections:
        target = _plan_target(selection, plan_ids, external, nodes)
        if target is not None:
            plan = plans.get((selection.unit, _plan_address(selection)))
            sure = selection.undecided is None and (plan is None or plan.exists is None)
            edges.append(Edge(ids[(selection.unit, selection.address)], target, sure))
    for i, verdict in enumerate(verdicts, 1):
        for evidence in verdict.evidence:
            source = _selection_of(evidence, verdict, by_address, ids)
            if source is not None:
                edges.append(Edge(source, f"t{i}", evidence.applies is Tri.YES))
    return Graph(tuple(nodes), tuple(dict.fromkeys(edges)))


def _unique(selections: list[BackupSelection]) -> list[BackupSelection]:
    """One node per selection: scenario variants of one resource share it."""
    seen: dict[tuple[str, str], BackupSelection] = {}
    for selection in selections:
        seen.setdefault((selection.unit, selection.address), selection)
    return [seen[key] for key in sorted(seen)]


_EXTERNAL = "//"  # the unit of an imported or declared selection or plan (analyzer.external)


def _shared(named: list[tuple[str, str]]) -> set[str]:
    """Addresses that several units declare (pairs of address and unit): their nodes say the
    unit."""
    units = Counter(address for address, _ in dict.fromkeys(named))
    return {address for address, count in units.items() if count > 1}


def _named(name: str, address: str, unit: str, shared: set[str]) -> str:
    # the file did not already say the unit (an imported one's name says its origin)
    if address in shared and name == address and not unit.startswith(_EXTERNAL):
        name = f"{address} [{unit}]"
    return printable(name)


def _table_node(node_id: str, verdict: Verdict, shared: set[str]) -> Node:
    pitr = next((e.applies for e in verdict.evidence if e.kind == "pitr"), Tri.NO)
    table = verdict.table
    name = _named(table_name(verdict), table.address, table.unit, shared)
    lines = (name, f"{_PITR[pitr]}, {verdict.status.value}")
    return Node(node_id, "table", lines, verdict.status.value)


def _selection_node(node_id: str, selection: BackupSelection, shared: set[str]) -> Node:
    name = (selection.address if selection.unit.startswith(_EXTERNAL)  # it names its origin
            else resource_name(selection.address, selection.unit, selection.location.file))
    lines = [_named(name, selection.address, selection.unit, shared)]
    if isinstance(selection.plan, Unknown):
        lines.append("plan unknown")
    return Node(node_id, "selection", tuple(lines), "selection")


def _plan_node(node_id: str, plan: BackupPlan, shared: set[str]) -> Node:
    if plan.unit.startswith(_EXTERNAL):  # `//FILE//SOURCE:UNIT`: a plan of an exchange file
        named = f"{plan.address} (from {plan.unit[len(_EXTERNAL):].split(_EXTERNAL, 1)[0]})"
    else:
        named = resource_name(plan.address, plan.unit, plan.location.file)
    name = _named(named, plan.address, plan.unit, shared)
    count = plan.rule_count
    rules = "rules unknown" if isinstance(count, Unknown) else (
        f"{count} {'rule' if count == 1 else 'rules'}")
    return Node(node_id, "plan", (name, rules), "plan")


def _plan_address(selection: BackupSelection) -> str:
    return selection.plan.address if isinstance(selection.plan, Ref) else ""


def _plan_target(
    selection: BackupSelection, plan_ids: dict[tuple[str, str], str],
    external: dict[str, str], nodes: list[Node],
) -> str | None:
    """The plan node a selection belongs to; a plan the scan did not declare gets a node of
    its own (once per name); an unknown plan none."""
    ref = selection.plan
    if isinstance(ref, Unknown) or ref == selection.address:  # a policy holds its own plans
        return None
    if isinstance(ref, Ref) and (selection.unit, ref.address) in plan_ids:
        return plan_ids[(selection.unit, ref.address)]
    written = printable(str(ref.address if isinstance(ref, Ref) else ref))
    if written not in external:
        external[written] = f"x{len(external) + 1}"
        nodes.append(Node(external[written], "plan", (written, "not in the scanned code"),
                          "external"))
    return external[written]


def _selection_of(
    evidence: Evidence, verdict: Verdict, by_address: dict[str, list[BackupSelection]],
    ids: dict[tuple[str, str], str],
) -> str | None:
    """The node of the selection an item of evidence says selects (or may select) the table:
    by address, in the table's unit first, else in the unit whose file the evidence points at."""
    if evidence.kind == "pitr" or evidence.sums_up() or evidence.applies is Tri.NO:
        return None
    named = by_address.get(evidence.source, [])
    if not named:
        return None
    file = evidence.location.file if evidence.location else None
    chosen = next((s for s in named if s.unit == verdict.table.unit), None) or next(
        (s for s in named if s.location.file == file), named[0])
    return ids[(chosen.unit, chosen.address)]
