"""The coverage engine (analyzer.aws) on model objects built by hand: aws-semantics.md §1-3."""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.aws import judge, selection_warnings
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Evidence,
    Inventory,
    Location,
    Partial,
    Pattern,
    Pitr,
    Ref,
    RegionSettings,
    Status,
    Table,
    TagCondition,
    Tags,
    Tri,
    Unknown,
    Verdict,
)

SEL_LOC = Location("backup.tf", 10)
TAG_LOC = Location("backup.tf", 14)
ALL_TABLES = "arn:aws:dynamodb:*:*:table/*"
NO_REGION = Unknown("the provider's region")
DAILY = Ref("aws_backup_plan.daily", "id")


def table(
    name: str | Unknown = "orders",
    *,
    address: str = "aws_dynamodb_table.orders",
    pitr: bool | Unknown = False,
    pitr_line: int | None = None,
    tags: dict[str, str | Unknown] | None = None,
    more: Unknown | None = None,
    region: str | Unknown = NO_REGION,
    replica_region: str | None = None,
) -> Table:
    pitr_loc = Location("main.tf", pitr_line) if pitr_line else None
    return Table(
        address,
        name,
        region,
        Tags(tags or {}, more),
        Pitr(pitr, pitr_loc),
        Location("main.tf", 1),
        replica_region=replica_region,
    )


def selection(
    resources: tuple[Pattern, ...] | Unknown = (),
    *,
    address: str = "aws_backup_selection.s",
    not_resources: tuple[Pattern, ...] | Unknown = (),
    tags: tuple[TagCondition, ...] | Unknown = (),
    conditions: tuple[TagCondition, ...] | Unknown = (),
    region: str | Unknown = NO_REGION,
    plan: Ref | str | Unknown = DAILY,
    kind: str = "aws_backup_selection",
    notes: tuple[str, ...] = (),
) -> BackupSelection:
    return BackupSelection(
        address,
        plan,
        resources,
        not_resources,
        tags,
        conditions,
        SEL_LOC,
        region=region,
        kind=kind,
        notes=notes,
    )


def tag(key: str | Unknown, value: str | Unknown, op: str = "StringEquals") -> TagCondition:
    return TagCondition(op, key, value, TAG_LOC)


def opt_in(value: bool | Unknown | None, region: str | Unknown = NO_REGION) -> RegionSettings:
    return RegionSettings("aws_backup_region_settings.this", region, value, Location("rs.tf", 1))


def run(
    t: Table,
    *selections: BackupSelection,
    settings: Sequence[RegionSettings] = (),
    plans: Sequence[BackupPlan] = (),
) -> Verdict:
    inventory = Inventory([t], list(selections), list(plans), list(settings))
    (verdict,) = judge(inventory)
    return verdict


def backup_evidence(verdict: Verdict) -> list[Evidence]:
    return [e for e in verdict.evidence if e.kind != "pitr"]


def only_backup(verdict: Verdict) -> Evidence:
    (evidence,) = backup_evidence(verdict)
    return evidence


# --- PITR ------------------------------------------------------------------------------------


def test_pitr_enabled_protects_and_no_selection_is_said() -> None:
    verdict = run(table(pitr=True, pitr_line=7))
    assert verdict.status is Status.PROTECTED
    pitr, none = verdict.evidence
    assert (pitr.kind, pitr.applies, pitr.message) == (
        "pitr",
        Tri.YES,
        "point-in-time recovery is enabled",
    )
    assert pitr.location == Location("main.tf", 7)
    assert pitr.source == "aws_dynamodb_table.orders"
    assert (none.applies, none.message, none.source, none.location, none.summary) == (
        Tri.NO,
        "no AWS Backup selection selects it",
        "aws_dynamodb_table.orders",  # the evidence names what it is about: the table
        None,
        True,
    )


def test_pitr_absent_is_unprotected_and_names_the_missing_block() -> None:
    verdict = run(table(), selection(("arn:aws:s3:::bucket",)))
    assert verdict.status is Status.UNPROTECTED
    pitr = verdict.evidence[0]
    assert pitr.message == "point-in-time recovery is not enabled (no point_in_time_recovery block)"
    assert pitr.location == Location("main.tf", 1)  # the table's own place when nothing sets it
    assert (
        only_backup(verdict).message
        == "no AWS Backup selection selects it (1 selection considered)"
    )


def test_pitr_absent_in_cloudformation_names_the_property() -> None:
    verdict = run(table(address="OrdersTable"))
    assert "PointInTimeRecoverySpecification" in verdict.evidence[0].message


def test_pitr_set_false_is_disabled() -> None:
    verdict = run(table(pitr=False, pitr_line=4))
    assert verdict.status is Status.UNPROTECTED
    assert verdict.evidence[0].message == "point-in-time recovery is disabled"
    assert verdict.evidence[0].location == Location("main.tf", 4)


def test_pitr_unknown_is_unknown_unless_a_selection_protects() -> None:
    unknown_pitr = table(pitr=Unknown("var.pitr has no default"))
    verdict = run(unknown_pitr)
    assert verdict.status is Status.UNKNOWN
    assert (
        verdict.evidence[0].message == "point-in-time recovery is unknown: var.pitr has no default"
    )
    assert verdict.evidence[0].applies is Tri.UNKNOWN
    assert run(unknown_pitr, selection((ALL_TABLES,))).status is Status.PROTECTED


# --- resources -------------------------------------------------------------------------------


def test_reference_to_the_tables_arn_selects_it_and_not_another_table() -> None:
    sel = selection((Ref("aws_dynamodb_table.orders", "arn"),))
    verdict = run(table(Unknown("var.name")), sel)
    assert verdict.status is Status.PROTECTED
    evidence = only_backup(verdict)
    assert evidence.message == "selected by reference aws_dynamodb_table.orders.arn"
    assert (evidence.source, evidence.location, evidence.applies) == (
        "aws_backup_selection.s",
        SEL_LOC,
        Tri.YES,
    )
    other = table("users", address="aws_dynamodb_table.users")
    assert run(other, sel).status is Status.UNPROTECTED


def test_reference_to_a_primary_table_does_not_select_its_replica() -> None:
    replica = table(region="eu-west-1", replica_region="eu-west-1")
    assert run(replica, selection((Ref("aws_dynamodb_table.orders", "arn"),))).status is (
        Status.UNPROTECTED
    )


def test_reference_to_another_kind_of_resource_never_selects_a_table() -> None:
    sel = selection(
        (Ref("aws_s3_bucket.data", "arn"), Ref("aws_dynamodb_table.orders", "stream_arn"))
    )
    assert run(table(), sel).status is Status.UNPROTECTED


def test_partial_arn_with_the_tables_name_reference_selects_it() -> None:
    pattern = Partial(
        (
            "arn:aws:dynamodb:",
            Unknown("var.region"),
            ":",
            Unknown("var.account"),
            ":table/",
            Ref("aws_dynamodb_table.orders", "name", "orders"),
        )
    )
    verdict = run(table(Unknown("var.name")), selection((pattern,)))
    assert verdict.status is Status.PROTECTED
    message = only_backup(verdict).message
    assert message.startswith(
        'selected by pattern "arn:aws:dynamodb:${?}:${?}:table/${aws_dynamodb_table.orders.name}"'
    )
    assert "assuming the pattern's unknown region and account (var.region; var.account) match" in (
        message
    )
    assert "partition aws, as the pattern says" in message


def test_partial_with_another_tables_name_does_not_select() -> None:
    pattern = Partial(
        ("arn:aws:dynamodb:us-east-1:1:table/", Ref("aws_dynamodb_table.users", "name"))
    )
    assert run(table(Unknown("var.name")), selection((pattern,))).status is Status.UNPROTECTED
    # ... unless both names are decided and equal
    named = Partial(
        ("arn:aws:dynamodb:*:*:table/", Ref("aws_dynamodb_table.users", "name", "orders"))
    )
    assert run(table("orders"), selection((named,))).status is Status.PROTECTED


def test_interpolated_arn_reference_keeps_the_table_identity() -> None:
    stream = Partial((Ref("aws_dynamodb_table.orders", "arn"), "/stream/*"))
    assert run(table(Unknown("var.name")), selection((stream,))).status is Status.UNPROTECTED
    whole = Partial((Ref("aws_dynamodb_table.orders", "arn"),))
    assert run(table(Unknown("var.name")), selection((whole,))).status is Status.PROTECTED


def test_cloudformation_sub_with_pseudo_parameters_needs_no_assumption() -> None:
    pattern = Partial(
        (
            "arn:",
            Unknown("AWS::Partition"),
            ":dynamodb:",
            Unknown("AWS::Region"),
            ":",
            Unknown("AWS::AccountId"),
            ":table/",
            Ref("OrdersTable", "Ref"),
        )
    )
    cfn_table = table(Unknown("generated by CloudFormation"), address="OrdersTable")
    verdict = run(cfn_table, selection((pattern,), kind="AWS::Backup::BackupSelection"))
    assert verdict.status is Status.PROTECTED
    assert only_backup(verdict).message == f'selected by pattern "{pattern}"'
    other = table("users", address="UsersTable")
    assert run(other, selection((pattern,))).status is Status.UNPROTECTED


def test_splat_reference_selects_every_instance() -> None:
    sel = selection((Ref("aws_dynamodb_table.t[*]", "arn"),))
    assert run(table(address='aws_dynamodb_table.t["a"]'), sel).status is Status.PROTECTED
    assert run(table(address="aws_dynamodb_table.u"), sel).status is Status.UNPROTECTED


def test_unknown_piece_that_may_span_fields_is_unknown() -> None:
    pattern = Partial((Unknown("var.arn_prefix"), ":table/orders"))
    verdict = run(table("orders"), selection((pattern,)))
    assert verdict.status is Status.UNKNOWN
    assert "part of the pattern is unknown (var.arn_prefix)" in only_backup(verdict).message
    foreign = Partial((Ref("aws_s3_bucket.b", "arn"), "*"))
    assert run(table("orders"), selection((foreign,))).status is Status.UNPROTECTED


def test_every_table_glob_selects_a_table_whose_name_is_unknown() -> None:
    verdict = run(table(Unknown("var.name")), selection((ALL_TABLES,)))
    assert verdict.status is Status.PROTECTED
    message = only_backup(verdict).message
    assert message == (
        f'selected by pattern "{ALL_TABLES}"; '
        "assuming the table is deployed to partition aws, as the pattern says"
    )


def test_name_prefix_selects_matching_names_and_says_where_it_assumes_the_table() -> None:
    sel = selection(("arn:aws:dynamodb:us-east-1:111122223333:table/orders-*",))
    verdict = run(table("orders-eu"), sel)
    assert verdict.status is Status.PROTECTED
    assert only_backup(verdict).message.endswith(
        "assuming the table is deployed to partition aws, region us-east-1, "
        "account 111122223333, as the pattern says"
    )
    assert run(table("users"), sel).status is Status.UNPROTECTED


def test_unknown_name_against_a_prefix_is_unknown_never_a_match() -> None:
    sel = selection(("arn:aws:dynamodb:*:*:table/orders-*",))
    verdict = run(table(Unknown("var.name has no default")), sel)
    assert verdict.status is Status.UNKNOWN
    evidence = only_backup(verdict)
    assert evidence.applies is Tri.UNKNOWN
    assert evidence.message.startswith(
        'may select it by pattern "arn:aws:dynamodb:*:*:table/orders-*": '
        "the table's name is unknown (var.name has no default)"
    )


def test_known_region_mismatch_in_the_pattern_is_no() -> None:
    sel = selection(("arn:aws:dynamodb:us-east-1:*:table/*",))
    assert run(table(region="eu-west-1"), sel).status is Status.UNPROTECTED
    verdict = run(table(region="us-east-1"), sel)
    assert verdict.status is Status.PROTECTED
    assert "assuming" not in only_backup(verdict).message  # region and partition are known


def test_partition_follows_a_known_region() -> None:
    sel = selection((ALL_TABLES,))
    assert run(table(region="cn-north-1"), sel).status is Status.UNPROTECTED
    china = selection(("arn:aws-cn:dynamodb:*:*:table/*",))
    assert run(table(region="cn-north-1"), china).status is Status.PROTECTED


def test_selection_in_another_region_is_no() -> None:
    sel = selection((ALL_TABLES,), region="us-west-2")
    assert run(table(region="us-east-1"), sel).status is Status.UNPROTECTED
    assert run(table(region="us-west-2"), sel).status is Status.PROTECTED
    assumed = only_backup(run(table(), sel)).message
    assert "assuming the table is in the selection's Region us-west-2" in assumed


def test_patterns_for_other_services_and_resource_types_never_match() -> None:
    patterns: tuple[Pattern, ...] = (
        "arn:aws:s3:::bucket",
        "arn:aws:rds:*",
        "arn:aws:rds:*:*:db:*",
        "arn:aws:dynamodb:*:*:table/orders/stream/*",
        "arn:aws:dynamodb:*:*:table/*/index/*",
        "orders",
    )
    for name in ("orders", Unknown("var.name")):
        verdict = run(table(name), selection(patterns))
        assert verdict.status is Status.UNPROTECTED, name
        assert only_backup(verdict).message.startswith("no AWS Backup selection selects it")


def test_star_and_service_prefix_match_every_table() -> None:
    for pattern in ("*", "arn:aws:dynamodb:*", "arn:*", "arn:aws:dynamodb:us-*"):
        verdict = run(table(Unknown("var.name")), selection((pattern,)))
        assert verdict.status is Status.PROTECTED, pattern


def test_unknown_resources_leave_the_table_unknown() -> None:
    verdict = run(table(), selection(Unknown("var.backup_arns has no default")))
    assert verdict.status is Status.UNKNOWN
    assert only_backup(verdict).message == (
        "may select it by resources: its resources are unknown (var.backup_arns has no default)"
    )


def test_unknown_pattern_and_unknown_module_output_are_unknown() -> None:
    verdict = run(table(), selection((Unknown("local.arns[0]"),)))
    assert verdict.status is Status.UNKNOWN
    assert "the pattern is unknown (local.arns[0])" in only_backup(verdict).message
    for ref in (Ref("module.tables", "table_arn"), Ref("module.tables", "arn")):
        output = run(table(), selection((ref,)))
        assert output.status is Status.UNKNOWN
        assert f"the pattern is {ref}, a module output" in only_backup(output).message
    name = Partial(("arn:aws:dynamodb:*:*:table/", Ref("module.tables", "name")))
    assert run(table(Unknown("var.name")), selection((name,))).status is Status.UNKNOWN


def test_data_source_reference_is_compared_by_name() -> None:
    legacy = selection((Ref("data.aws_dynamodb_table.existing", "arn", "legacy-orders"),))
    assert run(table("orders"), legacy).status is Status.UNPROTECTED
    assert run(table("legacy-orders", address="aws_dynamodb_table.l"), legacy).status is (
        Status.PROTECTED
    )
    undecided = selection((Ref("data.aws_dynamodb_table.existing", "arn"),))
    assert run(table("orders"), undecided).status is Status.UNKNOWN


def test_unknown_piece_in_the_name_is_unknown() -> None:
    pattern = Partial(("arn:aws:dynamodb:*:*:table/", Unknown("var.prefix"), "-orders"))
    verdict = run(table("prod-orders"), selection((pattern,)))
    assert verdict.status is Status.UNKNOWN
    assert "part of the pattern is unknown (var.prefix)" in only_backup(verdict).message
    assert run(table("prod-users"), selection((pattern,))).status is Status.UNPROTECTED


def test_long_patterns_do_not_blow_up() -> None:
    pattern = "arn:" + "*a" * 60 + "*:table/" + "*b" * 60 + "*c"
    name = "b" * 200
    assert run(table(name), selection((pattern,))).status is Status.UNPROTECTED


# --- tags and conditions ---------------------------------------------------------------------


def test_star_with_condition_selects_by_tag_value() -> None:
    sel = selection(("*",), conditions=(tag("aws:ResourceTag/backup", "daily"),))
    verdict = run(table(tags={"backup": "daily"}), sel)
    assert verdict.status is Status.PROTECTED
    assert only_backup(verdict).message == 'selected by pattern "*" and condition backup = "daily"'
    assert run(table(tags={"backup": "never"}), sel).status is Status.UNPROTECTED
    assert run(table(), sel).status is Status.UNPROTECTED  # absent tag: StringEquals fails


def test_conditions_are_anded() -> None:
    conds = (tag("backup", "daily"), tag("team", "pay*", "string_like"))
    sel = selection((ALL_TABLES,), conditions=conds)
    assert run(table(tags={"backup": "daily", "team": "payments"}), sel).status is Status.PROTECTED
    assert run(table(tags={"backup": "daily", "team": "search"}), sel).status is Status.UNPROTECTED


def test_selection_tag_selects_and_names_the_tag() -> None:
    sel = selection(tags=(tag("backup", "daily", "STRINGEQUALS"),))
    verdict = run(table(tags={"backup": "daily"}), sel)
    assert verdict.status is Status.PROTECTED
    evidence = only_backup(verdict)
    assert evidence.message == 'selected by tag backup = "daily" (selection_tag)'
    assert evidence.location == TAG_LOC
    assert run(table(tags={"backup": "Daily"}), sel).status is Status.UNPROTECTED  # case-sensitive


def test_list_of_tags_or_resources_and_conditions() -> None:
    # ListOfTags OR (Resources AND Conditions): the tag entry alone suffices.
    sel = selection((ALL_TABLES,), conditions=(tag("team", "x"),), tags=(tag("backup", "yes"),))
    assert run(table(tags={"backup": "yes"}), sel).status is Status.PROTECTED
    assert run(table(tags={"team": "x"}), sel).status is Status.PROTECTED
    assert run(table(tags={"team": "y"}), sel).status is Status.UNPROTECTED


def test_cloudformation_selection_uses_cloudformation_field_names() -> None:
    sel = selection(tags=(tag("backup", "yes"),), kind="AWS::Backup::BackupSelection")
    verdict = run(table(tags={"backup": "yes"}), sel)
    assert only_backup(verdict).message == 'selected by tag backup = "yes" (ListOfTags)'


def test_string_like_has_star_and_question_mark() -> None:
    sel = selection(("*",), conditions=(tag("backup", "d?ily*", "StringLike"),))
    assert run(table(tags={"backup": "daily-35"}), sel).status is Status.PROTECTED
    assert run(table(tags={"backup": "dily"}), sel).status is Status.UNPROTECTED


def test_string_not_equals_on_an_absent_tag_holds_and_says_it_is_an_assumption() -> None:
    sel = selection(("*",), conditions=(tag("skip-backup", "true", "StringNotEquals"),))
    verdict = run(table(), sel)
    assert verdict.status is Status.PROTECTED
    message = only_backup(verdict).message
    assert "StringNotEquals on an absent tag is taken to hold (IAM semantics" in message
    assert run(table(tags={"skip-backup": "true"}), sel).status is Status.UNPROTECTED
    assert run(table(tags={"skip-backup": "false"}), sel).status is Status.PROTECTED


def test_string_not_like_on_a_present_tag() -> None:
    sel = selection(("*",), conditions=(tag("env", "dev*", "StringNotLike"),))
    assert run(table(tags={"env": "development"}), sel).status is Status.UNPROTECTED
    assert run(table(tags={"env": "prod"}), sel).status is Status.PROTECTED


def test_tags_the_code_does_not_decide_are_unknown() -> None:
    sel = selection(("*",), conditions=(tag("backup", "daily"),))
    more = table(tags={"team": "x"}, more=Unknown("var.tags has no default"))
    verdict = run(more, sel)
    assert verdict.status is Status.UNKNOWN
    assert (
        "the table may have a tag backup (var.tags has no default)" in only_backup(verdict).message
    )
    value = table(tags={"backup": Unknown("var.schedule")})
    assert run(value, sel).status is Status.UNKNOWN
    # A known key is decided even when other keys may exist.
    decided = table(tags={"backup": "daily"}, more=Unknown("var.tags"))
    assert run(decided, sel).status is Status.PROTECTED


def test_unknown_condition_key_or_value_is_unknown() -> None:
    t = table(tags={"backup": "daily"})
    assert run(t, selection(tags=(tag(Unknown("var.key"), "daily"),))).status is Status.UNKNOWN
    assert run(t, selection(tags=(tag("backup", Unknown("var.value")),))).status is Status.UNKNOWN
    # An absent key decides StringEquals whatever the value.
    assert run(table(), selection(tags=(tag("backup", Unknown("v")),))).status is Status.UNPROTECTED
    assert run(t, selection(("*",), conditions=Unknown("dynamic block"))).status is Status.UNKNOWN


# --- not_resources ---------------------------------------------------------------------------


def test_not_resources_excludes_and_says_by_what() -> None:
    sel = selection((ALL_TABLES,), not_resources=(Ref("aws_dynamodb_table.scratch", "arn"),))
    scratch = table("scratch", address="aws_dynamodb_table.scratch")
    verdict = run(scratch, sel)
    assert verdict.status is Status.UNPROTECTED
    evidence, summary = backup_evidence(verdict)
    assert summary.message == "no AWS Backup selection selects it (1 selection considered)"
    assert evidence.applies is Tri.NO
    assert evidence.message == (
        f'selected by pattern "{ALL_TABLES}", '
        "but excluded by not_resources reference aws_dynamodb_table.scratch.arn"
    )
    assert run(table(), sel).status is Status.PROTECTED


def test_not_resources_excludes_even_a_tag_selection() -> None:
    sel = selection(
        tags=(tag("backup", "yes"),), not_resources=("arn:aws:dynamodb:*:*:table/ord*",)
    )
    assert run(table(tags={"backup": "yes"}), sel).status is Status.UNPROTECTED


def test_not_resources_unknown_makes_the_selection_unknown() -> None:
    sel = selection((ALL_TABLES,), not_resources=("arn:aws:dynamodb:*:*:table/tmp-*",))
    verdict = run(table(Unknown("var.name")), sel)
    assert verdict.status is Status.UNKNOWN
    assert "it may be excluded by not_resources pattern" in only_backup(verdict).message
    whole = selection((ALL_TABLES,), not_resources=Unknown("var.skip"))
    assert run(table(), whole).status is Status.UNKNOWN


# --- region opt-in ---------------------------------------------------------------------------


def test_opt_out_stops_tag_only_assignments_but_not_table_patterns() -> None:
    out = [opt_in(False)]
    tagged = table(tags={"backup": "true"})
    by_tag = selection(tags=(tag("backup", "true"),))
    verdict = run(tagged, by_tag, settings=out)
    assert verdict.status is Status.UNPROTECTED
    evidence = backup_evidence(verdict)[0]
    assert evidence.applies is Tri.NO
    assert evidence.message.startswith(
        'would select it by tag backup = "true" (selection_tag), but AWS Backup is opted out of '
        "DynamoDB in this Region (aws_backup_region_settings.this"
    )
    assert evidence.message.endswith("tag-only assignments do not protect it")
    by_prefix = selection(("arn:aws:dynamodb:*",), conditions=(tag("backup", "true"),))
    assert run(tagged, by_prefix, settings=out).status is Status.UNPROTECTED
    by_star = selection(("*",), conditions=(tag("backup", "true"),))
    assert run(tagged, by_star, settings=out).status is Status.UNPROTECTED
    for typed in (ALL_TABLES, Ref("aws_dynamodb_table.orders", "arn")):
        assert run(tagged, selection((typed,)), settings=out).status is Status.PROTECTED


def test_opt_out_in_another_region_does_not_apply() -> None:
    tagged = table(tags={"backup": "true"}, region="us-east-1")
    by_tag = selection(tags=(tag("backup", "true"),))
    assert run(tagged, by_tag, settings=[opt_in(False, "eu-west-1")]).status is Status.PROTECTED
    assert run(tagged, by_tag, settings=[opt_in(False, "us-east-1")]).status is Status.UNPROTECTED


def test_opt_in_unknown_makes_tag_only_paths_unknown() -> None:
    tagged = table(tags={"backup": "true"})
    settings = [opt_in(Unknown("var.opt_in"))]
    verdict = run(tagged, selection(tags=(tag("backup", "true"),)), settings=settings)
    assert verdict.status is Status.UNKNOWN
    message = only_backup(verdict).message
    assert "whether AWS Backup manages DynamoDB in this Region is unknown" in message
    assert "var.opt_in" in message
    assert run(tagged, selection((ALL_TABLES,)), settings=settings).status is Status.PROTECTED


def test_opt_in_true_or_unset_is_opted_in() -> None:
    tagged = table(tags={"backup": "true"})
    by_tag = selection(tags=(tag("backup", "true"),))
    for value in (True, None):
        assert run(tagged, by_tag, settings=[opt_in(value)]).status is Status.PROTECTED


# --- plans, order, several selections --------------------------------------------------------


def test_plan_without_rules_does_not_protect() -> None:
    empty = BackupPlan("aws_backup_plan.daily", "daily", 0, (), Location("plan.tf", 1))
    verdict = run(table(), selection((ALL_TABLES,)), plans=[empty])
    assert verdict.status is Status.UNPROTECTED
    assert "its plan aws_backup_plan.daily has no rule" in backup_evidence(verdict)[0].message


def test_one_yes_among_several_selections_protects_and_evidence_is_ordered() -> None:
    later = selection((ALL_TABLES,), address="aws_backup_selection.b")
    maybe = BackupSelection(
        "aws_backup_selection.a",
        "plan",
        Unknown("var.arns"),
        (),
        (),
        (),
        Location("a.tf", 3),
    )
    miss = selection(("arn:aws:s3:::x",), address="aws_backup_selection.c")
    verdict = run(table(), later, miss, maybe)
    assert verdict.status is Status.PROTECTED
    assert [e.source for e in verdict.evidence] == [
        "aws_dynamodb_table.orders",
        "aws_backup_selection.a",
        "aws_backup_selection.b",
    ]
    assert [e.applies for e in verdict.evidence] == [Tri.NO, Tri.UNKNOWN, Tri.YES]


def test_judge_keeps_the_inventory_order() -> None:
    tables = [table(n, address=f"aws_dynamodb_table.{n}") for n in ("zeta", "alpha", "mid")]
    verdicts = judge(Inventory(tables=tables))
    assert [v.table.address for v in verdicts] == [t.address for t in tables]


# --- warnings --------------------------------------------------------------------------------


def test_warnings_for_interior_wildcards_notes_and_tag_only_conditions() -> None:
    sel = selection(
        ("arn:aws:dynamodb:*:*:table/*-logs", ALL_TABLES, "arn:aws:dynamodb:us-east-1:*:table/a*"),
        notes=("several condition blocks: the provider keeps only one per operator",),
    )
    warnings = selection_warnings(sel)
    assert [location for _, location in warnings] == [SEL_LOC, SEL_LOC]
    assert (
        'pattern "arn:aws:dynamodb:*:*:table/*-logs" has a "*" inside the resource name'
        in (warnings[0][0])
    )
    assert warnings[1][0] == "several condition blocks: the provider keeps only one per operator"


def test_warnings_for_a_selection_with_only_conditions_and_odd_tags() -> None:
    sel = selection(conditions=(tag("backup", "x", "ForAnyValue"),))
    messages = [m for m, _ in selection_warnings(sel)]
    assert any("'ForAnyValue' is not one AWS Backup supports" in m for m in messages)
    assert any("AWS rejects the selection" in m for m in messages)
    like_tag = selection(tags=(tag("backup", "x*", "STRINGLIKE"),))
    assert selection_warnings(like_tag) == [
        ("selection_tag supports only STRINGEQUALS, not 'STRINGLIKE'", TAG_LOC)
    ]


def test_warnings_for_entries_that_are_not_arns() -> None:
    sel = selection(("orders", Ref("aws_dynamodb_table.orders", "name")))
    messages = [m for m, _ in selection_warnings(sel)]
    assert messages == [
        'resources pattern "orders" is not an ARN: it selects nothing',
        "resources entry aws_dynamodb_table.orders.name is a table name, not an ARN: "
        "it selects nothing",
    ]


def test_no_warnings_for_ordinary_selections() -> None:
    sel = selection(
        (ALL_TABLES, Ref("aws_dynamodb_table.orders", "arn"), "*", "arn:aws:dynamodb:*"),
        tags=(tag("backup", "daily", "STRINGEQUALS"),),
    )
    assert selection_warnings(sel) == []
