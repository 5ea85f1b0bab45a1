"""Fuzzing Organizations backup policies and aws_dynamodb_tag in plan JSON: a real plan
(tests/fixtures/terraform/org_backup_policy_jsonencode) whose policy content, attachment and tag
values are replaced by generated JSON of any shape, known or unknown. Properties: see
fuzz_harness; and the untagged table without PITR is never protected (no tag test can select a
table without tags, whatever the document says)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fuzz_harness import check_scan, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st
from support.paths import REPO

from analyzer.model import Status

pytestmark = pytest.mark.fuzz

PLAN = json.loads((REPO / "tests" / "fixtures" / "terraform" / "org_backup_policy_jsonencode"
                   / "plan.json").read_text(encoding="utf-8"))
WORDS = st.sampled_from(["plans", "daily", "regions", "rules", "selections", "tags", "resources",
                         "tag_key", "tag_value", "@@assign", "@@append", "backup", "us-east-1",
                         "eu-west-1", "BACKUP_POLICY", "aws_organizations_policy.backup.id"])
LEAF = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), WORDS, st.text(max_size=4))
JSONISH = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(WORDS, inner, max_size=4)), max_leaves=25)


@st.composite
def documents(draw: st.DrawFn) -> object:
    """A policy document: the real one with one part replaced, or anything at all."""
    real = json.loads(next(rc for rc in PLAN["resource_changes"] if rc["type"] ==
                           "aws_organizations_policy")["change"]["after"]["content"])
    if draw(st.booleans()):
        return draw(JSONISH)
    plan = real["plans"]["daily"]
    part = draw(st.sampled_from(["regions", "rules", "selections"]))
    plan[part] = draw(JSONISH)
    return real


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    data = json.loads(json.dumps(PLAN))
    for rc in data["resource_changes"]:
        after, unknown = rc["change"]["after"], rc["change"]["after_unknown"]
        if rc["type"] == "aws_organizations_policy":
            content = draw(documents())
            after["content"] = content if draw(st.booleans()) else json.dumps(content)
            if draw(st.booleans()):
                unknown[draw(WORDS)] = draw(JSONISH)
            if draw(st.booleans()):
                after["type"] = draw(JSONISH)
        if rc["type"] == "aws_organizations_policy_attachment":
            for field in ("policy_id", "target_id"):
                if draw(st.booleans()):
                    after[field] = draw(JSONISH)
                    unknown[field] = draw(JSONISH)
    return data


@given(plans())
@fuzz_settings(ci_examples=40)
def test_fuzzed_policies_in_a_plan(data: dict[str, Any]) -> None:
    result = check_scan({"tfplan.json": json.dumps(data).encode()})
    if result is None:
        return
    untagged = [v for v in result.verdicts if v.table.address == "aws_dynamodb_table.untagged"]
    assert untagged and untagged[0].status is not Status.PROTECTED
