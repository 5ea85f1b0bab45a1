"""Backup constructs that may not exist (undecided count/for_each, here or on a module call above)
can only weaken a verdict. The fixtures `existence_*` show the verdicts; these tests pin the
deciding variable each way and check the soundness rule itself: a table judged protected (or
unprotected) with the variable unset is so in every world the code leaves open, and unknown
means the worlds disagree or some world is itself unknown."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import FIXTURES

from analyzer.hcl.parse import parse_hcl
from analyzer.inputs import TerraformInputs
from analyzer.model import Status
from analyzer.pipeline import scan
from analyzer.terraform.existence import _tokens_text

CASES = FIXTURES / "terraform"

# case -> the values its undecided variable may take (each one world)
WORLDS: dict[str, list[str]] = {
    "existence_selection_count_undecided": ["backups_enabled=true", "backups_enabled=false"],
    # backups_enabled=false is no world: Terraform rejects aws_backup_plan.daily[0] of count 0.
    "existence_plan_count_undecided": ["backups_enabled=true"],
    "existence_module_count_undecided": ["backups_enabled=true", "backups_enabled=false"],
    "existence_selection_for_each_undecided": ['backup_sets={a = "x"}', "backup_sets={}"],
    "existence_region_opt_out_undecided": ["opt_out=true", "opt_out=false"],
    "existence_org_policy_count_undecided": ["org_backups=true", "org_backups=false"],
    "existence_tag_resource_count_undecided": ["tag_for_backup=true", "tag_for_backup=false"],
}


def _verdicts(case: str, var: str | None = None) -> dict[str, Status]:
    inputs = TerraformInputs(cli=[("var", var)]) if var else None
    return {v.table.address: v.status for v in scan([str(CASES / case)], inputs).verdicts}


@pytest.mark.parametrize("case", sorted(WORLDS))
def test_unset_is_protected_only_if_every_world_is(case: str) -> None:
    unset = _verdicts(case)
    worlds = [_verdicts(case, var) for var in WORLDS[case]]
    assert all(world.keys() == unset.keys() for world in worlds)
    for address, status in unset.items():
        seen = {world[address] for world in worlds}
        if status is not Status.UNKNOWN:
            assert seen == {status}, (address, status, seen)
        elif len(worlds) > 1:  # and unknown only where the worlds disagree (or are unknown)
            assert len(seen) > 1 or seen == {Status.UNKNOWN}, (address, seen)


@pytest.mark.parametrize(("var", "status"), [
    ("backups_enabled=true", Status.PROTECTED), ("backups_enabled=false", Status.UNPROTECTED)])
def test_a_decided_count_is_as_it_says(var: str, status: Status) -> None:
    assert _verdicts("existence_selection_count_undecided", var)[
        "aws_dynamodb_table.orders"] is status


def test_the_reason_names_the_expression_and_the_variable() -> None:
    result = scan([str(CASES / "existence_selection_count_undecided")])
    verdict = next(v for v in result.verdicts if v.table.address == "aws_dynamodb_table.orders")
    text = " ".join(e.message for e in verdict.evidence)
    assert ("aws_backup_selection.orders exists only if count = var.backups_enabled ? 1 : 0 "
            "is not 0 (var.backups_enabled has no default and no value is set)") in text


def test_a_json_syntax_count_is_named_by_its_tokens(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text("""{
      "variable": {"on": {"type": "bool"}},
      "resource": {
        "aws_dynamodb_table": {"t": {"name": "t", "hash_key": "id"}},
        "aws_backup_selection": {"s": {
          "count": "${var.on ? 1 : 0}", "name": "s", "plan_id": "p", "iam_role_arn": "r",
          "resources": ["${aws_dynamodb_table.t.arn}"]}}
      }
    }""")
    verdict = scan([str(tmp_path)]).verdicts[0]
    assert verdict.status is Status.UNKNOWN
    assert any("aws_backup_selection.s exists only if count = var.on ? 1 : 0 is not 0" in e.message
               for e in verdict.evidence), verdict.evidence


@pytest.mark.parametrize(("text", "shown"), [
    ('terraform.workspace == "prod" ? 1 : 0', 'terraform.workspace == "prod" ? 1 : 0'),
    ("toset([\"a\", \"b\"])", 'toset(["a", "b"])'),
    ("module.x[0].y", "module.x[0].y"),
])
def test_tokens_text(text: str, shown: str) -> None:
    assert _tokens_text(parse_hcl(f"x = {text}").attributes["x"].expr) == shown
