"""Merging the verdicts of several --workspace runs (aws.workspaces): the worst status wins,
protected only when protected wherever the table exists, and the evidence names the
workspaces; a verdict the same in every run is kept as it is."""

from __future__ import annotations

from support.hand_built import NO_PITR, pitr, verdict

from analyzer.aws.workspaces import merge_workspaces
from analyzer.model import Status, Tri

ON = pitr("aws_dynamodb_table.t", Tri.YES, "point-in-time recovery is enabled", 1)
OFF = pitr("aws_dynamodb_table.t", Tri.NO, NO_PITR, 1)
MAYBE = pitr("aws_dynamodb_table.t", Tri.UNKNOWN, "point-in-time recovery is unknown", 1)


def _merge(*runs: tuple[str, Status, object]) -> list:
    return merge_workspaces([(name, [verdict("aws_dynamodb_table.t", status, 1, evidence)])
                             for name, status, evidence in runs])


def test_unprotected_in_any_workspace_is_unprotected_and_says_where() -> None:
    (merged,) = _merge(("prod", Status.PROTECTED, ON), ("dev", Status.UNPROTECTED, OFF),
                       ("test", Status.UNPROTECTED, OFF))
    assert merged.status is Status.UNPROTECTED
    assert [e.message for e in merged.evidence] == [f'{NO_PITR} (in workspaces "dev" and "test")']


def test_unknown_in_one_workspace_is_not_protected() -> None:
    (merged,) = _merge(("prod", Status.PROTECTED, ON), ("dev", Status.UNKNOWN, MAYBE))
    assert merged.status is Status.UNKNOWN
    assert merged.evidence[0].message.endswith('(in workspace "dev")')


def test_protected_everywhere_keeps_each_workspaces_evidence() -> None:
    (merged,) = _merge(("prod", Status.PROTECTED, ON), ("dev", Status.PROTECTED, ON))
    assert merged.status is Status.PROTECTED
    assert merged.evidence == (ON,)  # the same verdict in every run: kept as it is


def test_a_table_of_one_workspace_only_is_judged_there() -> None:
    only = merge_workspaces([("prod", [verdict("aws_dynamodb_table.t", Status.PROTECTED, 1, ON)]),
                             ("dev", [])])
    assert [(v.status, v.evidence[0].message) for v in only] == [
        (Status.PROTECTED, 'point-in-time recovery is enabled (in workspace "prod")')]
