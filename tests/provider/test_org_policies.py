"""provider/org_policies.py on plain policy documents: the selections a document makes, and the
attachment stance (attached: assumed in the evidence; unattached or undecided: undecided)."""

from __future__ import annotations

from analyzer.model import Location, PartialMap, TagCondition, Unknown
from analyzer.provider.org_policies import (
    KIND,
    UNATTACHED,
    document_selections,
    plain_text,
)

WHERE = Location("tfplan.json", 1)
ATTACHED = {"aws_organizations_policy.p": [("ou-abcd-12345678", None)]}


def _plan(**overrides: object) -> dict[str, object]:
    plan: dict[str, object] = {
        "regions": {"@@assign": ["us-east-1", "eu-west-1"]},
        "rules": {"daily": {"target_backup_vault_name": {"@@assign": "Default"}}},
        "selections": {"tags": {"t": {"tag_key": {"@@assign": "backup"},
                                      "tag_value": {"@@assign": ["daily", "hourly"]}}}},
    }
    plan.update(overrides)
    return {"plans": {"daily": plan}}


def test_each_tag_selection_in_each_region_when_attached() -> None:
    found = document_selections("aws_organizations_policy.p", _plan(), WHERE, ATTACHED)
    assert [s.region for s in found] == ["us-east-1", "eu-west-1"]
    for selection in found:
        assert selection.kind == KIND and selection.undecided is None
        assert selection.list_of_tags == (
            TagCondition("StringEquals", "backup", "daily", WHERE),
            TagCondition("StringEquals", "backup", "hourly", WHERE))
        assert selection.assumes[-1] == ("if the table's account is under a target of this "
                                         "policy (ou-abcd-12345678)")


def test_unattached_undecided_or_maybe_absent_decides_nothing() -> None:
    for attached in ({}, {UNATTACHED: [("ou-1", None)]},
                     {"aws_organizations_policy.p": [("ou-1", Unknown("count is undecided"))]}):
        found = document_selections("aws_organizations_policy.p", _plan(), WHERE, attached)
        assert found and all(isinstance(s.undecided, Unknown) for s in found), attached
    maybe = document_selections("aws_organizations_policy.p", _plan(), WHERE, ATTACHED,
                                Unknown("its type is known only after apply"))
    assert all(s.undecided and "type" in s.undecided.reason for s in maybe)


def test_what_the_document_does_not_say_is_unknown() -> None:
    unread = document_selections("aws_organizations_policy.p", Unknown("after apply"), WHERE,
                                 ATTACHED)
    assert len(unread) == 1 and isinstance(unread[0].list_of_tags, Unknown)
    assert isinstance(unread[0].region, Unknown)
    no_rules = document_selections("aws_organizations_policy.p", _plan(rules={}), WHERE, ATTACHED)
    assert all(s.undecided and "no rules" in s.undecided.reason for s in no_rules)
    by_resource = document_selections(
        "aws_organizations_policy.p", _plan(selections={"resources": {"r": {}}}), WHERE, ATTACHED)
    assert [isinstance(s.list_of_tags, Unknown) for s in by_resource] == [True, True]
    partial = PartialMap({"plans": PartialMap({}, Unknown("a plan"))}, Unknown("more"))
    found = document_selections("aws_organizations_policy.p", partial, WHERE, ATTACHED)
    assert found and all(s.undecided is not None for s in found)  # its Region is unknown


def test_plain_text_is_the_string_aws_sees() -> None:
    assert [plain_text(v, "v") for v in ("a", True, 7)] == ["a", "true", "7"]
    assert isinstance(plain_text({"x": 1}, "v"), Unknown)
