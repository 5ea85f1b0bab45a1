"""`aws_dynamodb_tag` read from a real plan (tests/fixtures/terraform/dynamodb_tag_resource, made
by `terraform plan`): the table a tag lands on, and what stays undecided when the plan shows
only the references of `resource_arn`. A tag that may land on a table never protects it."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.paths import REPO

from analyzer.model import Status
from analyzer.pipeline import scan

PLAN = REPO / "tests" / "fixtures" / "terraform" / "dynamodb_tag_resource" / "plan.json"
GLOBAL, REPLICA = ("aws_dynamodb_table.global", None), ("aws_dynamodb_table.global", "eu-west-1")
ORDERS, USERS = ("aws_dynamodb_table.orders", None), ("aws_dynamodb_table.users", None)
Key = tuple[str, str | None]
Plan = dict[str, Any]


def _scan(path: Path) -> tuple[dict[Key, Status], dict[Key, str]]:
    verdicts = scan([str(path)]).verdicts
    return ({(v.table.address, v.table.replica_region): v.status for v in verdicts},
            {(v.table.address, v.table.replica_region): " ".join(e.message for e in v.evidence)
             for v in verdicts})


def _mutated(tmp_path: Path, mutate: Callable[[Plan], None]) -> dict[Key, Status]:
    data = json.loads(PLAN.read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    mutate(changed)
    assert changed != data
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    return _scan(path)[0]


def _ireland_tag(data: Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """(its resource change, its configuration) of aws_dynamodb_tag.carts_ireland."""
    change = next(rc for rc in data["resource_changes"]
                  if rc["address"] == "aws_dynamodb_tag.carts_ireland")
    config = next(r for r in data["configuration"]["root_module"]["resources"]
                  if r["address"] == "aws_dynamodb_tag.carts_ireland")
    return change, config


def test_the_real_plan(tmp_path: Path) -> None:
    """`aws_dynamodb_table.orders.arn` names the table; `replace(global.arn, <Region>,
    <Region>)` with the Ireland provider can land only on the Ireland replica (not on the
    table in us-east-1, nor on users), and whether it does the references do not tell (the
    plan alone: beside its configuration, tests/hybrid/test_tag_targets.py)."""
    shutil.copy(PLAN, tmp_path / "tfplan.json")
    status, evidence = _scan(tmp_path / "tfplan.json")
    assert status == {ORDERS: Status.PROTECTED, USERS: Status.UNPROTECTED,
                      GLOBAL: Status.UNPROTECTED, REPLICA: Status.UNKNOWN}
    assert "aws_dynamodb_tag.carts_ireland may add a tag to this table" in evidence[REPLICA]


def test_in_the_table_region_the_tag_may_land_on_the_table_not_on_the_replica(
        tmp_path: Path) -> None:
    def home_provider(data: Plan) -> None:
        _ireland_tag(data)[1]["provider_config_key"] = "aws"

    status = _mutated(tmp_path, home_provider)
    assert status[GLOBAL] is Status.UNKNOWN and status[REPLICA] is Status.UNPROTECTED


def test_references_the_plan_cannot_follow_may_tag_any_table(tmp_path: Path) -> None:
    def through_a_local(data: Plan) -> None:
        _ireland_tag(data)[1]["expressions"]["resource_arn"] = {"references": ["local.arn"]}

    status = _mutated(tmp_path, through_a_local)
    assert status[USERS] is Status.UNKNOWN and status[GLOBAL] is Status.UNKNOWN
    assert Status.PROTECTED not in (status[USERS], status[GLOBAL], status[REPLICA])


def test_a_known_arn_names_its_table_in_its_region(tmp_path: Path) -> None:
    def known(arn: str) -> Callable[[Plan], None]:
        def mutate(data: Plan) -> None:
            change = _ireland_tag(data)[0]["change"]
            change["after"]["resource_arn"] = arn
            change["after_unknown"].pop("resource_arn")
        return mutate

    replica = _mutated(tmp_path, known("arn:aws:dynamodb:eu-west-1:123456789012:table/carts"))
    assert replica[REPLICA] is Status.PROTECTED and replica[GLOBAL] is Status.UNPROTECTED
    stream = _mutated(tmp_path, known("arn:aws:dynamodb:eu-west-1:123456789012:stream/x"))
    assert stream[REPLICA] is Status.UNPROTECTED and stream[USERS] is Status.UNPROTECTED
