"""`aws.explain`: why each selection does or does not select a table, on the real fixtures.

The explanation never decides: each selection's answer is the judge's, and together with PITR
they give the run's verdict (checked on every fixture). The checks name the pattern, the
condition and the tag that decided.
"""

from __future__ import annotations

import functools
import json

import pytest
from support.paths import FIXTURES

from analyzer.aws.explain import Explanation, explain, find, near
from analyzer.aws.explain_checks import NOT_A_CANDIDATE, SelectionExplanation
from analyzer.model import Status, Tri
from analyzer.pipeline import ScanResult, scan
from analyzer.report.explanation import render_json, render_text

_STATUS = {Tri.YES: Status.PROTECTED, Tri.NO: Status.UNPROTECTED, Tri.UNKNOWN: Status.UNKNOWN}


@functools.cache
def _scan(case: str) -> ScanResult:
    return scan([str(FIXTURES / case)])


def _explain(case: str, address: str) -> list[Explanation]:
    result = _scan(case)
    chosen = find(result.verdicts, address)
    assert chosen, f"{address} not in {case}"
    return [explain(result.inventory, v, result.exclusive.get(v.table.unit, frozenset()))
            for v in chosen]


def _one(case: str, address: str) -> Explanation:
    (explanation,) = _explain(case, address)
    return explanation


def _selection(explanation: Explanation, address: str) -> SelectionExplanation:
    return next(s for s in explanation.selections if s.address == address)


def test_a_failed_condition_names_the_missing_tag() -> None:
    item = _selection(_one("terraform/selection_star_condition", "aws_dynamodb_table.untagged"),
                      "aws_backup_selection.by_condition")
    assert item.result is Tri.NO
    assert item.summary == (
        'does not select it: lists the table (pattern "*"), but its condition StringEquals '
        'backup = "daily" fails: the table has no tag backup; ' + NOT_A_CANDIDATE)
    assert not item.candidate  # the index never hands it to the judge: still considered
    steps = [(c.step, c.result) for c in item.checks]
    assert steps == [("region", Tri.YES), ("resources", Tri.YES), ("condition", Tri.NO),
                     ("plan", Tri.YES)]
    assert item.plan is not None and item.plan.address == "aws_backup_plan.daily"


def test_a_failed_condition_names_the_tag_value() -> None:
    item = _one("terraform/selection_star_condition", "aws_dynamodb_table.other_value")
    (condition,) = [c for c in item.selections[0].checks if c.step == "condition"]
    assert condition.text == ('condition StringEquals backup = "daily" fails: the table\'s tag '
                              'backup is "never"')


def test_an_undecided_tag_is_unknown_with_its_reason() -> None:
    explanation = _one("terraform/selection_star_condition", "aws_dynamodb_table.tags_unknown")
    item = explanation.selections[0]
    assert item.result is Tri.UNKNOWN and item.candidate
    (condition,) = [c for c in item.checks if c.step == "condition"]
    assert condition.result is Tri.UNKNOWN
    assert "may hold: the table may have a tag backup (var.tags has no default" in condition.text
    assert explanation.verdict.status is Status.UNKNOWN


def test_not_resources_exclusion_is_shown() -> None:
    item = _one("terraform/not_resources", "aws_dynamodb_table.scratch").selections[0]
    assert item.result is Tri.NO
    assert "but excluded by not_resources reference aws_dynamodb_table.scratch.arn" in item.summary
    exclusion = [c for c in item.checks if c.step == "not_resources"]
    assert [(c.result, c.outcome) for c in exclusion] == [(Tri.YES, "excludes the table")]
    kept = _one("terraform/not_resources", "aws_dynamodb_table.orders").selections[0]
    assert [c.outcome for c in kept.checks if c.step == "not_resources"] == [
        "does not exclude it"]


def test_a_selection_of_another_region_is_said_so() -> None:
    replica = _one("terraform/replica_propagate_tags", "aws_dynamodb_table.global@us-west-2")
    by_address = {s.address: s for s in replica.selections}
    assert set(by_address) == {"aws_backup_selection.tagged", "aws_backup_selection.ireland",
                               "aws_backup_selection.oregon"}
    ireland = by_address["aws_backup_selection.ireland"]
    assert [c.step for c in ireland.checks] == ["region"]
    assert ireland.summary == ("does not select it: its Region eu-west-1 is not the table's "
                               "(us-west-2): a backup plan selects resources of its own Region "
                               "only")
    oregon = by_address["aws_backup_selection.oregon"]
    assert "selection_tag entry StringEquals backup = \"daily\" fails: the table has no tag " \
        "backup" in oregon.summary
    # the plain address names the table and each replica
    assert len(_explain("terraform/replica_propagate_tags", "aws_dynamodb_table.global")) == 3


def test_opt_out_is_the_step_that_stops_a_tag_only_selection() -> None:
    explanation = _one("terraform/region_opt_out", "aws_dynamodb_table.by_tag_only")
    settings, opt_in = explanation.region
    assert (settings.result, settings.text) == (
        Tri.NO, "aws_backup_region_settings.this (us-east-1) opts DynamoDB out")
    assert opt_in.result is Tri.NO
    item = _selection(explanation, "aws_backup_selection.by_tag")
    assert [c.step for c in item.checks if c.result is Tri.NO] == ["opt_in"]
    pattern = _selection(explanation, "aws_backup_selection.by_table_pattern")
    assert "opt_in" not in [c.step for c in pattern.checks]  # it names tables: opt-in moot
    assert pattern.checks[1].outcome.startswith("does not match the table's ARN arn:aws:dynamodb:"
                                                "us-east-1:?:table/")


def test_cloudformation_conditions_and_labels() -> None:
    item = _one("cloudformation/selection_conditions", "ProdNoBackup").selections[0]
    assert item.summary.startswith('does not select it: lists the table (pattern "*"), but its '
                                   'condition StringNotEquals backup != "no" fails: the table\'s '
                                   'tag backup is "no"')
    (audit,) = _explain("cloudformation/cdk_out", "ShopData/AuditLog")  # a CDK path label
    assert audit.verdict.table.address == "AuditLog" + "A5B7094E"
    assert len(audit.selections) == 2  # one of its own stack, one of another template


def test_a_selection_of_another_unit_is_considered() -> None:
    explanation = _one("terraform/central_backup_root", "aws_dynamodb_table.untagged")
    (item,) = explanation.selections
    assert item.unit != explanation.verdict.table.unit
    assert "the table has no tag backup-plan" in item.summary
    tagged = _one("terraform/central_backup_root", "aws_dynamodb_table.tagged")
    assert tagged.selections[0].result is Tri.YES and tagged.selections[0].candidate


def test_units_with_one_address_are_told_apart() -> None:
    both = _explain("terraform/roots_same_address", "aws_dynamodb_table.orders")
    assert sorted(e.verdict.table.unit for e in both) == ["envs/dev", "envs/prod"]
    (prod,) = _explain("terraform/roots_same_address", "envs/prod:aws_dynamodb_table.orders")
    assert prod.verdict.status is Status.PROTECTED
    dev = next(e for e in both if e.verdict.table.unit == "envs/dev")
    assert dev.selections[0].unit == "envs/prod" and dev.selections[0].result is Tri.NO
    (pattern,) = [c for c in dev.selections[0].checks if c.step == "resources"]
    assert pattern.outcome == ("names aws_dynamodb_table.orders of its own unit: a reference "
                               "never names a table of another unit")


def test_near_names_for_a_typo() -> None:
    result = _scan("terraform/roots_same_address")
    assert near(result.verdicts, "aws_dynamodb_table.order") == [
        "aws_dynamodb_table.orders", "envs/dev:aws_dynamodb_table.orders",
        "envs/prod:aws_dynamodb_table.orders"]
    assert find(result.verdicts, "aws_dynamodb_table.order") == []


def _cases() -> list[str]:
    return sorted(
        f"{p.parent.parent.name}/{p.parent.name}"
        for kind in ("terraform", "cloudformation")
        for p in (FIXTURES / kind).glob("*/expected.yaml"))


@pytest.mark.parametrize("case", _cases())
def test_explanations_agree_with_the_verdict(case: str) -> None:
    """On every fixture, every table is explained (text and JSON), and the selections' answers
    and PITR give the run's verdict wherever it is one judgement (no scenarios, no unread
    input)."""
    result = _scan(case)
    for verdict in result.verdicts:
        for evidence in verdict.evidence:
            assert evidence.source, evidence  # every item names what it is about
        left_out = result.exclusive.get(verdict.table.unit, frozenset())
        explanation = explain(result.inventory, verdict, left_out)
        assert render_text([(explanation, [])]) and json.loads(render_json([(explanation, [])]))
        if result.inventory.unreadable or verdict.table.scenario is not None or any(
                s.scenario for s in result.inventory.selections):
            continue  # unknown by an unread input alone; or merged over scenarios
        overall = explanation.pitr.applies
        for item in explanation.selections:
            overall = overall | item.result
        assert _STATUS[overall] is verdict.status, (verdict.table.address, explanation)
