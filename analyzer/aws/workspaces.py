"""Verdicts judged once per Terraform workspace (`--workspace NAME`, repeatable) merged into one
per table: unprotected if it is unprotected in any workspace, protected only if it is protected
in every workspace where it exists, else unknown. Evidence says which workspaces a reason holds
in. Each workspace is one world: every root planned in it, judged against the selections of
that world (the pipeline loads the Terraform roots once per workspace and judges each)."""

from __future__ import annotations

from dataclasses import replace

from analyzer.model import Evidence, Status, Verdict

_RANK = {Status.UNPROTECTED: 0, Status.UNKNOWN: 1, Status.PROTECTED: 2}
TableKey = tuple[str, str, str | None, str, int]


def merge_workspaces(runs: list[tuple[str, list[Verdict]]]) -> list[Verdict]:
    """One verdict per table across the runs `(workspace, verdicts)`, in first-seen order. A
    table judged the same in every run (a template, a root that never reads
    terraform.workspace) keeps its verdict as it is."""
    groups: dict[TableKey, list[tuple[str, Verdict]]] = {}
    for workspace, verdicts in runs:
        for verdict in verdicts:
            groups.setdefault(_key(verdict), []).append((workspace, verdict))
    return [_merge(group, len(runs)) for group in groups.values()]


def _key(verdict: Verdict) -> TableKey:
    table = verdict.table
    return (table.unit, table.address, table.replica_region, table.location.file,
            table.location.line)


def _merge(group: list[tuple[str, Verdict]], runs: int) -> Verdict:
    first = group[0][1]
    if len(group) == runs and all(
            v.status is first.status and v.evidence == first.evidence for _, v in group):
        return first
    worst = min(_RANK[v.status] for _, v in group)
    chosen = [(w, v) for w, v in group if _RANK[v.status] == worst]
    said: dict[Evidence, list[str]] = {}
    for workspace, verdict in chosen:
        for item in verdict.evidence:
            said.setdefault(item, []).append(workspace)
    evidence = [replace(item, message=f"{item.message} {_where(names)}")
                for item, names in said.items()]
    evidence.sort(key=lambda e: 0 if e.kind == "pitr" else 1)  # PITR first, as every verdict
    answers = [v.required for _, v in group if v.required is not None]
    required = min(answers, key=lambda s: _RANK[s]) if answers else None  # policy's `require`
    return Verdict(chosen[0][1].table, chosen[0][1].status, tuple(evidence), required)


def _where(names: list[str]) -> str:
    quoted = [f'"{name}"' for name in names]
    if len(quoted) == 1:
        return f"(in workspace {quoted[0]})"
    return f"(in workspaces {', '.join(quoted[:-1])} and {quoted[-1]})"
