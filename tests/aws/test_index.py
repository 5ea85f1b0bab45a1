"""The selection index (analyzer.aws.index, reach) changes nothing: on random tables and
selections, judging each table against its candidates gives the same verdicts, with the same
evidence in the same order, as judging every table against every selection. The pieces are few
and close to each other (names that are prefixes of others, patterns one character apart,
colons in odd places, references across units, splats, tags with unknown values), so that
near misses are common."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.aws.coverage import judge, judge_all_pairs
from analyzer.aws.index import SelectionIndex
from analyzer.aws.reach import MAX_INDEXED_ATOMS, pattern_keys
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Inventory,
    Location,
    Partial,
    Pitr,
    Ref,
    RegionSettings,
    Scenario,
    Table,
    TagCondition,
    Tags,
    Unknown,
)

UNITS = ["a", "b", "c//x"]
NAMES = ["orders", "orders-1", "orders-10", "logs", "o", "", "a:b", "tenant-a", "x/y", "*"]
REGIONS = ["us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1", "a:b"]
ADDRESSES = [
    "aws_dynamodb_table.orders", "aws_dynamodb_table.orders[0]", "aws_dynamodb_table.orders[\"k\"]",
    "aws_dynamodb_table.ordersx", "module.m.aws_dynamodb_table.this", "Orders", "OrdersTable",
    "aws_dynamodb_table.logs",
]
REF_ADDRESSES = [
    *ADDRESSES, "aws_dynamodb_table.orders[*]", "module.m", "data.aws_dynamodb_table.t",
    "aws_s3_bucket.b", "a//aws_dynamodb_table.orders", "module.m.aws_dynamodb_table.this[*]",
]
ATTRS = ["arn", "name", "id", "stream_arn", "Arn", "ref", "table_arn", "other"]
PIECES = [
    "arn:", "aws", ":", "dynamodb", "s3", "*", "table/", "orders", "orders-", "-1", "us-east-1",
    "eu-west-1", "111122223333", "arn:aws:dynamodb:*:*:table/", "arn:aws:dynamodb:", "tab", "/",
    "arn:aws:dynamodb:us-east-1:111122223333:table/", "/stream/*", "arn:aws-cn:dynamodb:", "x",
]
TAG_KEYS = ["backup", "aws:ResourceTag/backup", "env", "Backup"]
TAG_VALUES = ["daily", "weekly", "", "dai*", "*", "d?ily"]
OPS = ["StringEquals", "STRINGEQUALS", "string_like", "StringNotEquals", "StringNotLike", "Bogus"]
LOC = Location("f.tf", 1)

unknowns = st.builds(Unknown, st.sampled_from(["u1", "data.aws_region.current.name", "u2"]))


def maybe_unknown(values: list[str]) -> st.SearchStrategy[str | Unknown]:
    return st.one_of(st.sampled_from(values), unknowns)


refs = st.builds(Ref, st.sampled_from(REF_ADDRESSES), st.sampled_from(ATTRS),
                 st.one_of(st.none(), st.sampled_from([*NAMES, "orders*", "arn:aws:dynamodb:*"])))
glob_text = st.lists(st.sampled_from(PIECES), min_size=0, max_size=6).map("".join)
partials = st.lists(st.one_of(glob_text, refs, unknowns), min_size=1, max_size=5).map(
    lambda parts: Partial(tuple(parts)))
patterns = st.one_of(glob_text, refs, partials, unknowns)
tag_conditions = st.builds(TagCondition, st.sampled_from(OPS), maybe_unknown(TAG_KEYS),
                           maybe_unknown(TAG_VALUES), st.just(LOC))
locations = st.builds(Location, st.sampled_from(["a.tf", "b.tf"]), st.integers(1, 3))
scenarios = st.one_of(st.none(), st.builds(
    Scenario, st.sampled_from(UNITS[:2]), st.integers(0, 1), st.sampled_from(["when A", "when B"]),
    st.just((("IsProd", "true"),))))


def tuple_or_unknown(items: st.SearchStrategy, size: int) -> st.SearchStrategy:
    return st.one_of(st.lists(items, max_size=size).map(tuple), unknowns)


selections = st.builds(
    BackupSelection,
    address=st.sampled_from(["aws_backup_selection.s", "aws_backup_selection.t", "Sel"]),
    plan=st.sampled_from([Ref("aws_backup_plan.p", "id"), "plan-id", Unknown("p")]),
    resources=tuple_or_unknown(patterns, 3),
    not_resources=tuple_or_unknown(patterns, 2),
    list_of_tags=tuple_or_unknown(tag_conditions, 2),
    conditions=tuple_or_unknown(tag_conditions, 2),
    location=locations,
    region=maybe_unknown(REGIONS),
    kind=st.sampled_from(["aws_backup_selection", "AWS::Backup::BackupSelection"]),
    undecided=st.one_of(st.none(), unknowns),
    scenario=scenarios,
    unit=st.sampled_from(UNITS),
)
tags = st.builds(Tags, st.dictionaries(st.sampled_from(["backup", "env", "Backup"]),
                                       maybe_unknown(TAG_VALUES), max_size=2),
                 st.one_of(st.none(), unknowns))
tables = st.builds(
    Table,
    address=st.sampled_from(ADDRESSES),
    name=maybe_unknown(NAMES),
    region=maybe_unknown(REGIONS),
    tags=tags,
    pitr=st.builds(Pitr, st.one_of(st.booleans(), unknowns)),
    location=locations,
    replica_region=st.one_of(st.none(), st.sampled_from(REGIONS[:2])),
    maybe_primary=st.booleans(),
    scenario=scenarios,
    unit=st.sampled_from(UNITS),
)
plans = st.builds(BackupPlan, st.just("aws_backup_plan.p"), st.just("p"),
                  st.one_of(st.integers(0, 1), unknowns), st.just((35,)), st.just(LOC),
                  st.sampled_from(UNITS), st.one_of(st.none(), unknowns))
region_settings = st.builds(RegionSettings, st.just("aws_backup_region_settings.r"),
                            maybe_unknown(REGIONS), st.one_of(st.none(), st.booleans(), unknowns),
                            st.just(LOC), st.sampled_from(UNITS))
inventories = st.builds(
    Inventory,
    tables=st.lists(tables, max_size=5),
    selections=st.lists(selections, max_size=6),
    plans=st.lists(plans, max_size=2),
    region_settings=st.lists(region_settings, max_size=1),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories)
def test_indexed_judge_equals_all_pairs(inventory: Inventory) -> None:
    assert judge(inventory) == judge_all_pairs(inventory)


@settings(max_examples=300, deadline=None)
@given(st.lists(tables, min_size=1, max_size=4), st.lists(selections, min_size=1, max_size=4))
def test_skipped_pairs_are_not_selected(found: list[Table], chosen: list[BackupSelection]) -> None:
    """Without scenarios or plans in the way: a pair the index skips is one the judge answers
    with no evidence at all (the sharper property behind the one above)."""
    chosen = [s for s in chosen if s.scenario is None]
    found = [t for t in found if t.scenario is None]
    index = SelectionIndex(chosen)
    for table in found:
        kept = set(index.candidates(table))
        for position, selection in enumerate(chosen):
            if position in kept:
                continue
            alone = judge_all_pairs(Inventory(tables=[table], selections=[selection]))
            assert [e.kind for e in alone[0].evidence[1:]] == ["backup_selection"], (selection,)
            assert alone[0].evidence[1].summary  # only "no AWS Backup selection selects it"


def test_the_index_skips_what_cannot_match() -> None:
    """The index does prune: a reference, a name prefix and another service."""
    assert pattern_keys(Ref("aws_dynamodb_table.x", "arn"), "a")[0].kind == "ident"
    assert pattern_keys("arn:aws:dynamodb:*:*:table/orders-*", "a")[0].text == "orders-"
    assert pattern_keys("arn:aws:s3:::bucket/*", "a") == []
    sub = Partial(("arn:", Unknown("p"), ":dynamodb:", Unknown("r"), ":", Unknown("a"),
                   ":table/", Ref("Orders", "Ref")))
    assert [k.kind for k in pattern_keys(sub, "t.yaml")] == ["ident"]
    assert pattern_keys("arn:aws:dynamodb:*:*:table/" + "x" * MAX_INDEXED_ATOMS, "a")[0].kind == (
        "every")


def test_a_huge_name_costs_no_more_than_a_short_one() -> None:
    """Issue 15's work budget: a megabyte-long table name (hostile input) is looked up by the
    prefixes up to the longest key only, not by each of its million prefixes."""
    huge = "orders-" + "x" * (1 << 20)
    table = Table("aws_dynamodb_table.t", huge, Unknown("r"), Tags(), Pitr(False), LOC, unit="a")
    prefix = BackupSelection("aws_backup_selection.s", "p",
                             ("arn:aws:dynamodb:*:*:table/orders-*",), (), (), (), LOC, unit="a")
    data = Ref("data.aws_dynamodb_table.d", "arn", "orders-" + "y" * (1 << 20))
    by_data = BackupSelection("aws_backup_selection.u", "p", (data,), (), (), (), LOC, unit="a")
    assert SelectionIndex([prefix, by_data]).candidates(table) == [0, 1]
