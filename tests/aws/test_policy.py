"""The policy options (analyzer.aws.policy, aws.regions) on model objects built by hand: which
protection counts (`require`), the rules DDB007-DDB009, and `assume-region`. Every undecided
input stays undecided: never protected."""

from __future__ import annotations

import itertools

import pytest

from analyzer.aws import judge
from analyzer.aws.regions import valid_region
from analyzer.model import (
    SAME_REGION,
    BackupPlan,
    BackupSelection,
    Inventory,
    Location,
    Pitr,
    Policy,
    Ref,
    Status,
    Table,
    Tags,
    Tri,
    Unknown,
    Verdict,
)

LOC = Location("main.tf", 1)
PLAN = Ref("aws_backup_plan.daily", "id")
UNDECIDED = Unknown("var.x has no default")


def table(pitr: bool | Unknown = False, days: int | Unknown | None = None,
          region: str | Unknown = "us-east-1") -> Table:
    return Table("aws_dynamodb_table.t", "t", region, Tags(), Pitr(pitr, LOC, days), LOC)


def selection(selects: bool | Unknown = True, region: str | Unknown = "us-east-1",
              plan: Ref | str = PLAN) -> BackupSelection:
    resources = (Ref("aws_dynamodb_table.t", "arn"),) if selects is True else (
        (UNDECIDED,) if isinstance(selects, Unknown) else ())
    return BackupSelection("aws_backup_selection.s", plan, resources, (), (), (), LOC,
                           region=region)


def plan(retention: tuple[int | Unknown | None, ...] = (None,),
         copies: tuple[tuple[str | Unknown, ...] | Unknown, ...] | None = None,
         rules: int | Unknown | None = None) -> BackupPlan:
    count = len(retention) if rules is None else rules
    return BackupPlan("aws_backup_plan.daily", "daily", count, retention, LOC,
                      copy_regions=copies if copies is not None else ((),) * len(retention))


def verdict(policy: Policy, t: Table, sel: BackupSelection | None = None,
            p: BackupPlan | None = None) -> Verdict:
    inventory = Inventory(tables=[t], selections=[sel] if sel else [], plans=[p] if p else [])
    return judge(inventory, policy)[0]


def rule_result(v: Verdict, source: str) -> Tri:
    found = [e.applies for e in v.evidence if e.kind == "policy" and e.source == source]
    assert len(found) == 1, v.evidence
    return found[0]


@pytest.mark.parametrize(("require", "pitr", "backup", "expected"), [
    ("any", True, False, Status.PROTECTED),
    ("any", False, True, Status.PROTECTED),
    ("pitr", True, False, Status.PROTECTED),
    ("pitr", False, True, Status.UNPROTECTED),
    ("backup", True, False, Status.UNPROTECTED),
    ("backup", False, True, Status.PROTECTED),
    ("both", True, False, Status.UNPROTECTED),
    ("both", False, True, Status.UNPROTECTED),
    ("both", True, True, Status.PROTECTED),
    ("both", UNDECIDED, True, Status.UNKNOWN),
    ("both", True, UNDECIDED, Status.UNKNOWN),
    ("pitr", UNDECIDED, True, Status.UNKNOWN),
    ("backup", True, UNDECIDED, Status.UNKNOWN),
])
def test_require_decides_which_protection_counts(require, pitr, backup, expected) -> None:
    sel = selection(backup) if backup is not False else None
    v = verdict(Policy(require=require), table(pitr), sel, plan())
    assert v.status is expected
    if require != "any":
        assert v.required is expected
        said = next(e for e in v.evidence if e.source == "require")
        assert f"(require = {require})" in said.message


def test_the_default_policy_adds_nothing() -> None:
    v = verdict(Policy(), table(True))
    assert v.required is None and all(e.kind != "policy" for e in v.evidence)


@pytest.mark.parametrize(("pitr", "days", "expected"), [
    (True, None, Tri.YES),  # AWS keeps 35 days
    (True, 14, Tri.YES),
    (True, 13, Tri.NO),
    (True, UNDECIDED, Tri.UNKNOWN),
    (UNDECIDED, 7, Tri.UNKNOWN),
    (UNDECIDED, 35, Tri.YES),
    (False, 1, Tri.YES),  # nothing to check
])
def test_min_pitr_days(pitr, days, expected) -> None:
    v = verdict(Policy(min_pitr_days=14), table(pitr, days))
    assert rule_result(v, "DDB007") is expected


@pytest.mark.parametrize(("retention", "rules", "expected"), [
    ((35,), None, Tri.YES),
    ((None,), None, Tri.YES),  # kept until deleted by hand
    ((7, 90), None, Tri.YES),  # one rule that keeps long enough
    ((7,), None, Tri.NO),
    ((7, UNDECIDED), None, Tri.UNKNOWN),
    ((35,), UNDECIDED, Tri.UNKNOWN),  # the rules may differ from the ones read
])
def test_min_retention_days(retention, rules, expected) -> None:
    v = verdict(Policy(min_retention_days=30), table(), selection(), plan(retention, rules=rules))
    assert rule_result(v, "DDB008") is expected


def test_retention_of_a_plan_not_in_the_code_is_undecided() -> None:
    v = verdict(Policy(min_retention_days=30), table(), selection(plan="plan-id"))
    assert rule_result(v, "DDB008") is Tri.UNKNOWN and v.status is Status.UNKNOWN


def test_retention_of_a_selection_that_may_select_is_never_a_certain_failure() -> None:
    v = verdict(Policy(min_retention_days=30), table(True), selection(UNDECIDED), plan((7,)))
    assert rule_result(v, "DDB008") is Tri.UNKNOWN


@pytest.mark.parametrize(("copies", "sel_region", "table_region", "expected"), [
    ((("us-west-2",),), "us-east-1", "us-east-1", Tri.YES),
    ((("us-east-1",),), "us-east-1", "us-east-1", Tri.NO),
    (((SAME_REGION,),), UNDECIDED, UNDECIDED, Tri.NO),
    (((),), "us-east-1", "us-east-1", Tri.NO),
    ((("us-west-2",),), UNDECIDED, "eu-west-1", Tri.YES),  # selects it: in the table's Region
    ((("us-west-2",),), UNDECIDED, UNDECIDED, Tri.UNKNOWN),  # may be us-west-2 itself
    (((UNDECIDED,),), "us-east-1", "us-east-1", Tri.UNKNOWN),
    ((UNDECIDED,), "us-east-1", "us-east-1", Tri.UNKNOWN),
])
def test_copy_to_another_region(copies, sel_region, table_region, expected) -> None:
    v = verdict(Policy(copy_to_another_region=True), table(region=table_region),
                selection(region=sel_region), plan((None,), copies))
    assert rule_result(v, "DDB009") is expected


def test_pitr_alone_never_copies_to_another_region() -> None:
    v = verdict(Policy(copy_to_another_region=True), table(True))
    assert rule_result(v, "DDB009") is Tri.NO and v.status is Status.UNPROTECTED
    assert v.required is Status.PROTECTED  # DDB001 does not fire, DDB009 does


def test_protected_only_when_every_part_certainly_holds() -> None:
    """Soundness over every combination of decided and undecided inputs: the table is
    protected only if each input the policy reads is decided and passes."""
    policy = Policy(require="both", min_pitr_days=14, min_retention_days=30,
                    copy_to_another_region=True)
    choices = {"pitr": (True, UNDECIDED), "days": (20, UNDECIDED), "selects": (True, UNDECIDED),
               "retention": (35, UNDECIDED), "copy": ("us-west-2", UNDECIDED)}
    for values in itertools.product(*choices.values()):
        pitr, days, selects, retention, copy = values
        v = verdict(policy, table(pitr, days), selection(selects), plan((retention,), ((copy,),)))
        decided = not any(isinstance(value, Unknown) for value in values)
        assert (v.status is Status.PROTECTED) is decided, values


def test_assume_region_judges_an_open_region_and_says_so() -> None:
    eu_only = BackupSelection("aws_backup_selection.eu", PLAN,
                              ("arn:aws:dynamodb:eu-west-1:*:table/*",), (), (), (), LOC)
    t = table(region=Unknown("the provider sets no region"))
    without = judge(Inventory(tables=[t], selections=[eu_only]))[0]
    assert without.status is Status.PROTECTED  # assumed to be in eu-west-1, as the pattern says
    assumed = judge(Inventory(tables=[t], selections=[eu_only]),
                    Policy(assume_region="us-east-1"))[0]
    assert assumed.status is Status.UNPROTECTED
    assert any(e.source == "assume-region" and "us-east-1" in e.message for e in assumed.evidence)


@pytest.mark.parametrize("name", ["us-east-1", "eu-central-1", "us-gov-west-1", "cn-north-1",
                                  "ap-southeast-2", "il-central-1", "us-iso-east-1"])
def test_region_names(name: str) -> None:
    assert valid_region(name)


@pytest.mark.parametrize("name", ["", "us-east", "US-EAST-1", "us_east_1", "useast1",
                                  "us-east-1a", "us-east-1 ", "*"])
def test_not_region_names(name: str) -> None:
    assert not valid_region(name)
