"""`aws_dynamodb_tag` read from a plan with its configuration (plan.hcl_view.HclView): the
table HCL mode decides a `resource_arn` known only after apply names takes the place of the
plan's references, only when the plan agrees. On the real plan of
tests/fixtures/terraform/dynamodb_tag_resource, `replace(global.arn, <current Region>, <Ireland>)`
then protects the Ireland replica; a configuration that does not decide the ARN, or decides one
the plan contradicts, never makes the plan's verdict protected."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.paths import FIXTURES

from analyzer.model import Status
from analyzer.pipeline import scan

CASE = FIXTURES / "terraform" / "dynamodb_tag_resource"
WRITTEN = ("replace(aws_dynamodb_table.global.arn, data.aws_region.current.name, "
           "data.aws_region.ireland.name)")
GLOBAL, REPLICA = ("aws_dynamodb_table.global", None), ("aws_dynamodb_table.global", "eu-west-1")
Key = tuple[str, str | None]
Plan = dict[str, Any]


def _scan(tmp_path: Path, arn: str = WRITTEN, text: Callable[[str], str] = lambda s: s,
          plan: Callable[[Plan], None] = lambda d: None) -> dict[Key, Status]:
    """The verdicts of the fixture's plan beside its configuration, with the tag's
    `resource_arn` written as `arn` (and the files and the plan edited alike), asserting the
    configuration is used: the plan's configuration still lists its blocks."""
    root = tmp_path / "infra"
    shutil.copytree(CASE, root, ignore=shutil.ignore_patterns("expected.yaml"))
    main = root / "main.tf"
    source = main.read_text(encoding="utf-8")
    assert WRITTEN in source
    main.write_text(text(source.replace(WRITTEN, arn)), encoding="utf-8")
    data = json.loads((root / "plan.json").read_text(encoding="utf-8"))
    plan(data)
    (root / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    result = scan([str(root / "plan.json")])
    assert not result.warnings, result.warnings
    assert {v.table.location.file for v in result.verdicts} == {"main.tf"}
    return {(v.table.address, v.table.replica_region): v.status for v in result.verdicts}


def _tag(data: Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """(its resource change, its configuration) of aws_dynamodb_tag.carts_ireland."""
    change = next(rc for rc in data["resource_changes"]
                  if rc["address"] == "aws_dynamodb_tag.carts_ireland")
    config = next(r for r in data["configuration"]["root_module"]["resources"]
                  if r["address"] == "aws_dynamodb_tag.carts_ireland")
    return change, config


def test_the_configuration_decides_the_replica(tmp_path: Path) -> None:
    status = _scan(tmp_path)
    assert status[REPLICA] is Status.PROTECTED and status[GLOBAL] is Status.UNPROTECTED


def test_an_arn_the_configuration_does_not_decide_stays_a_maybe(tmp_path: Path) -> None:
    """Same objects referred to (the plan cannot tell), but a value HCL does not know."""
    status = _scan(tmp_path, "replace(aws_dynamodb_table.global.arn, "
                   "data.aws_region.current.name, lower(data.aws_region.ireland.description))")
    assert status[REPLICA] is Status.UNKNOWN and status[GLOBAL] is Status.UNPROTECTED


def test_references_other_than_the_plans_are_not_taken(tmp_path: Path) -> None:
    """The code changed since the plan was made: it now names the Region literally."""
    status = _scan(tmp_path, 'replace(aws_dynamodb_table.global.arn, "us-east-1", '
                   "data.aws_region.ireland.name)")
    assert status[REPLICA] is Status.UNKNOWN


def test_regions_the_other_way_round_name_no_replica(tmp_path: Path) -> None:
    """`us-east-1` is not in an Ireland ARN: the ARN stays the table's, in another Region than
    the tag resource calls."""
    status = _scan(tmp_path, "replace(aws_dynamodb_table.global.arn, "
                   "data.aws_region.ireland.name, data.aws_region.current.name)")
    assert status[REPLICA] is Status.UNKNOWN and status[GLOBAL] is Status.UNPROTECTED


def test_a_tag_resource_in_the_tables_region_does_not_tag_the_replica(tmp_path: Path) -> None:
    """HCL mode names the replica whatever Region the tag resource calls; the plan's own
    reading rules the replica out (the endpoint tags only its Region's tables)."""
    def home(data: Plan) -> None:
        _tag(data)[1]["provider_config_key"] = "aws"

    status = _scan(tmp_path, text=lambda s: s.replace("provider     = aws.ireland\n  resource_arn",
                                                      "resource_arn"), plan=home)
    assert status[REPLICA] is not Status.PROTECTED and status[GLOBAL] is not Status.PROTECTED


def test_a_table_name_holding_the_region_is_replaced_too(tmp_path: Path) -> None:
    """`replace()` changes every `us-east-1` in the ARN: `carts-us-east-1` becomes another
    table's name, not the replica's."""
    def renamed(data: Plan) -> None:
        for change in data["resource_changes"]:
            if change["address"] == "aws_dynamodb_table.global":
                change["change"]["after"]["name"] = "carts-us-east-1"

    status = _scan(tmp_path, text=lambda s: s.replace('"carts"', '"carts-us-east-1"'),
                   plan=renamed)
    assert status[REPLICA] is Status.UNKNOWN and status[GLOBAL] is Status.UNPROTECTED
