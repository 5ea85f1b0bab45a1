"""Alternative worlds of one configuration never protect each other's tables (hybrid.worlds)."""

from __future__ import annotations

from analyzer.hybrid.worlds import excluded, hcl_keys, plan_keys

CONFIG = {"configuration": {"root_module": {"resources": [{"address": "aws_dynamodb_table.t"}]}}}
OTHER = {"configuration": {"root_module": {"resources": [{"address": "aws_dynamodb_table.u"}]}}}


def test_plans_of_one_code_and_the_code_itself_are_one_group() -> None:
    links = {
        "infra": hcl_keys("infra"),
        "infra/tfplan.json": plan_keys(CONFIG, "infra"),
        "plans/prod.json": plan_keys(CONFIG, None),  # same code, planned in another workspace
        "plans/backup.json": plan_keys(OTHER, None),  # another root: may protect the others
        "backup": hcl_keys("backup"),
    }
    out = excluded(links)
    assert out["infra"] == {"infra/tfplan.json", "plans/prod.json"}
    assert out["plans/prod.json"] == {"infra", "infra/tfplan.json"}
    assert "plans/backup.json" not in out and "backup" not in out


def test_a_state_file_without_configuration_links_only_by_directory() -> None:
    assert plan_keys({"values": {}}, None) == frozenset()
    assert excluded({"s.json": plan_keys({"values": {}}, None), "x": hcl_keys("x")}) == {}
