"""Organizations backup policies read from real plans (the committed fixture `plan.json`s, made
by `terraform plan`): the same selections and evidence as HCL mode, and no table protected
through a policy whose type, content or attachment the plan leaves unknown."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.paths import REPO

from analyzer.model import Status, Tri
from analyzer.pipeline import scan

FIXTURES = REPO / "tests" / "fixtures" / "terraform"
POLICY_CASES = sorted(p.parent.name for p in FIXTURES.glob("*/plan.json")
                      if '"aws_organizations_policy"' in p.read_text(encoding="utf-8"))
JSONENCODE = FIXTURES / "org_backup_policy_jsonencode" / "plan.json"
Plan = dict[str, Any]


def _policy_evidence(paths: list[str]) -> dict[tuple[str, str | None], list[str]]:
    """Per table, the policy matches that decide it (applies: yes)."""
    return {(v.table.address, v.table.replica_region): sorted(
        e.message for e in v.evidence if e.kind == "backup_policy" and e.applies is Tri.YES)
        for v in scan(paths).verdicts}


def test_policy_fixtures_are_found() -> None:
    assert len(POLICY_CASES) >= 5, POLICY_CASES


@pytest.mark.parametrize("case", POLICY_CASES)
def test_plan_mode_gives_the_policy_evidence_of_hcl_mode(case: str) -> None:
    """Where both modes decide a table, the plan names the same policy matches in the same
    words."""
    hcl = _verdicts([str(FIXTURES / case)])
    plan = _verdicts([str(FIXTURES / case / "plan.json")])
    hcl_evidence = _policy_evidence([str(FIXTURES / case)])
    plan_evidence = _policy_evidence([str(FIXTURES / case / "plan.json")])
    assert set(plan) == set(hcl), case
    compared = [key for key, status in hcl.items()
                if status is not Status.UNKNOWN and plan[key] is status and hcl_evidence[key]]
    for key in compared:
        assert plan_evidence[key] == hcl_evidence[key], (case, key)
    if case == JSONENCODE.parent.name:
        assert compared, "the attached policy protects tables in both modes"


def _verdicts(paths: list[str]) -> dict[tuple[str, str | None], Status]:
    return {(v.table.address, v.table.replica_region): v.status for v in scan(paths).verdicts}


def _changes(data: Plan, kind: str) -> list[dict[str, Any]]:
    return [rc for rc in data["resource_changes"] if rc["type"] == kind]


def _content_unknown(data: Plan) -> None:
    for rc in _changes(data, "aws_organizations_policy"):
        rc["change"]["after"].pop("content")
        rc["change"]["after_unknown"]["content"] = True


def _type_unknown(data: Plan) -> None:
    for rc in _changes(data, "aws_organizations_policy"):
        rc["change"]["after"].pop("type")
        rc["change"]["after_unknown"]["type"] = True


def _no_attachment(data: Plan) -> None:
    data["resource_changes"] = [rc for rc in data["resource_changes"]
                                if rc["type"] != "aws_organizations_policy_attachment"]


def _attachment_deleted(data: Plan) -> None:
    for rc in _changes(data, "aws_organizations_policy_attachment"):
        rc["change"]["actions"] = ["delete"]


def _policy_id_through_a_local(data: Plan) -> None:
    for res in data["configuration"]["root_module"]["resources"]:
        if res["type"] == "aws_organizations_policy_attachment":
            res["expressions"]["policy_id"] = {"references": ["local.policy"]}


def _policy_id_of_another_policy(data: Plan) -> None:
    for rc in _changes(data, "aws_organizations_policy_attachment"):
        rc["change"]["after"]["policy_id"] = "p-0123456789"
        rc["change"]["after_unknown"].pop("policy_id")


def _attachment_not_shown(data: Plan) -> None:
    """The configuration does not show the attachment (e.g. a trimmed plan)."""
    root = data["configuration"]["root_module"]
    root["resources"] = [r for r in root["resources"]
                         if r["type"] != "aws_organizations_policy_attachment"]


MUTATIONS: list[Callable[[Plan], None]] = [
    _content_unknown, _type_unknown, _no_attachment, _attachment_deleted,
    _policy_id_through_a_local, _policy_id_of_another_policy, _attachment_not_shown]


def _scan_mutated(tmp_path: Path, mutate: Callable[[Plan], None]) -> dict[
        tuple[str, str | None], Status]:
    data = json.loads(JSONENCODE.read_text(encoding="utf-8"))
    mutated = copy.deepcopy(data)
    mutate(mutated)
    assert mutated != data
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(mutated), encoding="utf-8")
    return _verdicts([str(path)])


def test_the_real_plan_protects_through_its_attached_policy() -> None:
    """The baseline the mutations weaken: three tables protected through the policy alone."""
    found = _verdicts([str(JSONENCODE)])
    assert sorted(k for k, s in found.items() if s is Status.PROTECTED) == [
        ("aws_dynamodb_table.daily", None), ("aws_dynamodb_table.global", None),
        ("aws_dynamodb_table.hourly", None)]


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda m: m.__name__.strip("_"))
def test_no_table_protected_through_what_the_plan_leaves_unknown(
        tmp_path: Path, mutate: Callable[[Plan], None]) -> None:
    """No PITR in this plan: a table is protected only through the policy, and once its type,
    content or attachment is unknown (or gone), none is; an unprotected table never turns
    protected."""
    found = _verdicts([str(JSONENCODE)])
    mutated = _scan_mutated(tmp_path, mutate)
    assert set(mutated) == set(found)
    assert not [k for k, s in mutated.items() if s is Status.PROTECTED], mutate.__name__
    tagged = ("aws_dynamodb_table.daily", None)
    assert mutated[tagged] is Status.UNKNOWN, mutate.__name__


def test_a_literal_policy_id_attaches_the_policy_the_plan_keeps_with_that_id(
        tmp_path: Path) -> None:
    """An existing policy (its id known) attached by that id: attached, so it protects."""
    def existing(data: Plan) -> None:
        for rc in _changes(data, "aws_organizations_policy"):
            rc["change"]["actions"] = ["no-op"]
            rc["change"]["after"]["id"] = "p-0123456789"
            rc["change"]["after_unknown"].pop("id")
        _policy_id_of_another_policy(data)

    found = _scan_mutated(tmp_path, existing)
    assert found[("aws_dynamodb_table.daily", None)] is Status.PROTECTED
    assert found[("aws_dynamodb_table.untagged", None)] is Status.UNPROTECTED
