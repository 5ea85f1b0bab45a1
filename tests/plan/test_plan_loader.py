"""The plan loader on small hand-written plan JSON, and plan discovery."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analyzer.discover import discover
from analyzer.model import Ref, Status, Unknown
from analyzer.pipeline import scan
from analyzer.plan.changes import module_of
from analyzer.plan.loader import load_plan_unit

TABLE_UNKNOWN = {"arn": True, "point_in_time_recovery": True, "tags_all": True}


def plan(changes: list[dict[str, Any]], resources: list[dict[str, Any]] = (),
         region: str = "eu-west-1", **extra: Any) -> dict[str, Any]:
    return {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
                "region": {"constant_value": region}}}},
                "root_module": {"resources": list(resources)}}, **extra}


def rc(address: str, after: dict[str, Any], unknown: dict[str, Any] | None = None,
       actions: tuple[str, ...] = ("create",)) -> dict[str, Any]:
    module = module_of(address)
    kind, name = address[len(module):].lstrip(".").split("[")[0].split(".")
    out = {"address": address, "mode": "managed", "type": kind, "name": name,
           "change": {"actions": list(actions), "after": after, "after_unknown": unknown or {}}}
    if module:
        out["module_address"] = module
    return out


def config(address: str, expressions: dict[str, Any]) -> dict[str, Any]:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_config_key": "aws", "expressions": expressions}


def write(tmp_path: Path, data: object, name: str = "tfplan.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_tables_pitr_tags_region_and_replicas(tmp_path: Path) -> None:
    path = write(tmp_path, plan([
        rc('module.app["x"].aws_dynamodb_table.t[0]', {
            "name": "orders", "point_in_time_recovery": [{"enabled": True}],
            "tags_all": {"team": "a"}, "replica": [
                {"region_name": "us-east-1", "point_in_time_recovery": False}]}),
        rc("aws_dynamodb_table.off", {"name": "off", "tags": None}, dict(TABLE_UNKNOWN)),
        rc("aws_dynamodb_table.gone", {"name": "gone"}, actions=("delete",)),
    ], [config("aws_dynamodb_table.off", {})]))
    inv = load_plan_unit(path, tmp_path)
    tables = {(t.address, t.replica_region): t for t in inv.tables}
    assert set(tables) == {('module.app["x"].aws_dynamodb_table.t[0]', None),
                           ('module.app["x"].aws_dynamodb_table.t[0]', "us-east-1"),
                           ("aws_dynamodb_table.off", None)}
    main = tables[('module.app["x"].aws_dynamodb_table.t[0]', None)]
    assert main.pitr.enabled is True and main.tags.known == {"team": "a"}
    assert isinstance(main.region, Unknown) and main.unit == "tfplan.json"  # not configured
    assert main.location.file == "tfplan.json" and main.location.line == 1
    assert tables[('module.app["x"].aws_dynamodb_table.t[0]', "us-east-1")].pitr.enabled is False
    off = tables[("aws_dynamodb_table.off", None)]
    assert off.pitr.enabled is False and off.tags.known == {} and off.tags.more is None
    assert off.region == "eu-west-1"  # its provider configuration


def test_pitr_unknown_after_apply(tmp_path: Path) -> None:
    path = write(tmp_path, plan([rc("aws_dynamodb_table.t", {
        "name": "t", "point_in_time_recovery": [{}]},
        {"point_in_time_recovery": [{"enabled": True}]})]))
    assert isinstance(load_plan_unit(path, tmp_path).tables[0].pitr.enabled, Unknown)


def test_unknown_resources_resolve_through_configuration(tmp_path: Path) -> None:
    selection = {"name": "s", "selection_tag": []}
    unknown = {"resources": True, "not_resources": True, "condition": True, "plan_id": True}
    path = write(tmp_path, plan(
        [rc('aws_dynamodb_table.fe["users"]', {"name": "users"}, dict(TABLE_UNKNOWN)),
         rc('aws_dynamodb_table.fe["other"]', {"name": "other"}, dict(TABLE_UNKNOWN)),
         rc("aws_backup_plan.p", {"name": "p", "rule": [{"lifecycle": [{"delete_after": 35}]}]}),
         rc("aws_backup_selection.s", selection, unknown)],
        [config("aws_backup_selection.s", {
            "plan_id": {"references": ["aws_backup_plan.p.id", "aws_backup_plan.p"]},
            "resources": {"references": ['aws_dynamodb_table.fe["users"].arn',
                                         'aws_dynamodb_table.fe["users"]',
                                         "aws_dynamodb_table.fe"]}})]))
    inv = load_plan_unit(path, tmp_path)
    (sel,) = inv.selections
    # The references alone do not say what the expression does with them (an index pattern
    # or replace() look the same): unknown, naming them, until the configuration is known.
    assert isinstance(sel.resources, Unknown)
    assert 'aws_dynamodb_table.fe["users"].arn' in sel.resources.reason
    assert "--tf-dir" in sel.resources.reason
    assert sel.not_resources == () and sel.conditions == ()
    assert sel.plan == Ref("aws_backup_plan.p", "id")  # a plan id derived from p's is p's
    assert inv.plans[0].rule_count == 1 and inv.plans[0].retention_days == (35,)
    status = {v.table.address: v.status for v in scan([str(path)]).verdicts}
    assert status == {'aws_dynamodb_table.fe["users"]': Status.UNKNOWN,
                      'aws_dynamodb_table.fe["other"]': Status.UNKNOWN}


def test_a_whole_resource_reference_stays_unknown(tmp_path: Path) -> None:
    path = write(tmp_path, plan(
        [rc("aws_backup_selection.s", {"name": "s"}, {"resources": True})],
        [config("aws_backup_selection.s",
                {"resources": {"references": ["aws_dynamodb_table.x"]}})]))
    resources = load_plan_unit(path, tmp_path).selections[0].resources
    assert isinstance(resources, Unknown) and "whole resource" in resources.reason


def test_state_json_gives_deployed_tables(tmp_path: Path) -> None:
    state = {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {
        "resources": [{"address": "aws_dynamodb_table.t", "mode": "managed",
                       "type": "aws_dynamodb_table", "name": "t", "values": {
                           "name": "t", "arn": "arn:aws:dynamodb:us-west-2:1:table/t",
                           "point_in_time_recovery": [{"enabled": True}]}}]}}}
    (table,) = load_plan_unit(write(tmp_path, state), tmp_path).tables
    assert table.region == "us-west-2" and table.pitr.enabled is True


def test_errors_name_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "tfplan.json"
    bad.write_text('{"format_version": "1.2",\n "terraform_version": ', encoding="utf-8")
    (error,) = load_plan_unit(bad, tmp_path).errors
    assert error.location.file == "tfplan.json" and error.location.line == 2
    future = write(tmp_path, {**plan([]), "format_version": "2.0"}, "future.json")
    (error,) = load_plan_unit(future, tmp_path).errors
    assert "format_version 2.0" in error.message
    errored = write(tmp_path, plan([], errored=True), "errored.json")
    assert "errored" in load_plan_unit(errored, tmp_path).errors[0].message
    result = scan([str(future)])
    assert result.inventory.errors


@pytest.mark.parametrize(("changes", "message"), [
    ([1], "resource_changes[0] is not an object"),
    ([{"address": "aws_dynamodb_table.t", "change": "x"}], "has no change object"),
    ({"a": 1}, "resource_changes is not a list"),
])
def test_a_plan_of_the_wrong_shape_is_an_error(tmp_path: Path, changes: Any, message: str
                                               ) -> None:
    (error,) = load_plan_unit(write(tmp_path, plan(changes)), tmp_path).errors
    assert message in error.message


def test_a_truncated_plan_named_as_a_path_is_an_error(tmp_path: Path) -> None:
    """Sorted keys put both markers past the cut: the file is not recognised as a plan, and
    still never a silent pass."""
    whole = json.dumps(plan([]), sort_keys=True, indent=1)
    cut = tmp_path / "tfplan.json"
    cut.write_text(whole[:len(whole) // 3], encoding="utf-8")
    result = scan([str(cut)])
    (error,) = result.inventory.errors
    assert error.location.file == "tfplan.json" and error.location.line > 1
    assert "malformed JSON" in error.message


def test_discovery_rule(tmp_path: Path) -> None:
    """A plan is a unit when passed as a path or found in a directory with no Terraform files;
    a plan next to `.tf` files is left to the configuration unless named."""
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text("", encoding="utf-8")
    beside = write(tmp_path / "root", plan([]), "plan.json")
    (tmp_path / "plans").mkdir()
    alone = write(tmp_path / "plans", plan([]), "prod.json")
    write(tmp_path / "plans", {"name": "not a plan"}, "other.json")
    kinds = {(u.kind, u.path) for u in discover([str(tmp_path)]).units}
    assert ("plan", alone.resolve()) in kinds and ("plan", beside.resolve()) not in kinds
    assert ("terraform", (tmp_path / "root").resolve()) in kinds
    named = discover([str(beside)])
    assert [(u.kind, u.path) for u in named.units] == [("plan", beside.resolve())]
    assert named.unread == []
