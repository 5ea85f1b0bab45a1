"""Terraform resource instances to model objects: tables, backup selections, plans, settings."""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Body
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Location,
    Partial,
    Pattern,
    Pitr,
    Ref,
    RegionSettings,
    Table,
    TagCondition,
    Unknown,
)
from analyzer.provider.backup_rules import SAME_REGION, arn_region, retention_days
from analyzer.provider.table_names import partial_ends
from analyzer.terraform.context import Instance
from analyzer.terraform.expand import nested_blocks
from analyzer.terraform.tags import merge_tags, tag_text, to_tags

_CONDITION_OPS = {
    "string_equals": "StringEquals",
    "string_like": "StringLike",
    "string_not_equals": "StringNotEquals",
    "string_not_like": "StringNotLike",
}
TAG_PREFIX = "aws:ResourceTag/"


def as_bool(value: object, what: str) -> bool | Unknown:
    """Terraform converts "true"/"false" strings to bool where a bool is expected."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    if isinstance(value, Unknown):
        return value
    if value is None:
        return Unknown(f"{what} is null")
    return Unknown(f"{what} is {value} (known only after apply)")


def as_text(value: object, what: str) -> str | Unknown:
    text = tag_text(value)
    if isinstance(text, Unknown) and not isinstance(value, Unknown):
        # A partly known string names the piece the code does not decide; a reference is
        # decided by AWS at apply time.
        pieces = value.parts if isinstance(value, Partial) else ()
        undecided = next((p for p in pieces if isinstance(p, Unknown)), None)
        if undecided is not None:
            return Unknown(f"{what} is {value}, and {undecided.reason}")
        return Unknown(f"{what} is only known after apply ({value})")
    return text


def location_of(inst: Instance, line: int | None = None) -> Location:
    return Location(inst.file.rel, line or inst.block.line)


def resource_region(inst: Instance) -> str | Unknown:
    """The Region a resource lives in: its own `region` argument (AWS provider 6), else its
    provider's."""
    own = inst.attr("region")
    region = inst.provider.region if own is None else own
    return region if isinstance(region, str) else _unknown(region, "region")


def table_record(inst: Instance) -> Table:
    """The table itself; its `replica {}` blocks are tables of their own (terraform.replicas)."""
    name = as_text(inst.attr("name"), f"the name of {inst.address}")
    tags = merge_tags(to_tags(inst.provider.default_tags), to_tags(inst.attr("tags")))
    return Table(inst.address, name, resource_region(inst), tags, _pitr(inst), location_of(inst),
                 name_ends=partial_ends(inst.attr("name")))


def _unknown(value: object, what: str) -> Unknown:
    return value if isinstance(value, Unknown) else Unknown(f"the {what} is not a known string")


def _pitr(inst: Instance) -> Pitr:
    blocks = nested_blocks(inst.block.body, "point_in_time_recovery", inst.scope)
    if isinstance(blocks, Unknown):
        return Pitr(blocks, location_of(inst), blocks)
    if not blocks:
        return Pitr(False, None)
    body, scope, line = blocks[0]
    days = recovery_days(attr_of(body, "recovery_period_in_days", scope),
                         "point_in_time_recovery.recovery_period_in_days")
    attribute = body.attributes.get("enabled")
    if attribute is None:
        return Pitr(False, location_of(inst, line), days)
    value = as_bool(evaluate(attribute.expr, scope), "point_in_time_recovery.enabled")
    return Pitr(value, location_of(inst, attribute.line), days)


def recovery_days(value: object, what: str) -> int | Unknown | None:
    """PITR's recovery period: None when not set (AWS keeps 35 days)."""
    days = retention_days(value, what)
    return days if not isinstance(days, int) or 1 <= days <= 35 else Unknown(
        f"{what} is {days}, outside 1-35")


def attr_of(body: Body, name: str, scope: Mapping[str, object]) -> object:
    attribute = body.attributes.get(name)
    return None if attribute is None else evaluate(attribute.expr, scope)


def selection_record(
    inst: Instance, exists: Unknown | None = None, prefix: str = ""
) -> BackupSelection:
    """`exists` says why the selection may not exist: then any match of it is unknown."""
    body, scope = inst.block.body, inst.scope
    notes: list[str] = []
    conditions = _conditions(inst, notes)
    return BackupSelection(
        address=inst.address,
        plan=_plan_ref(inst, prefix),
        resources=patterns(attr_of(body, "resources", scope), "resources"),
        not_resources=patterns(attr_of(body, "not_resources", scope), "not_resources"),
        list_of_tags=_selection_tags(inst),
        conditions=conditions,
        location=location_of(inst),
        region=resource_region(inst),
        notes=tuple(notes),
        undecided=exists,
    )


def _plan_ref(inst: Instance, prefix: str) -> Ref | str | Unknown:
    value = inst.attr("plan_id")
    if isinstance(value, Unknown):
        # `aws_backup_plan.p[0].id` of a plan whose count is undecided evaluates to Unknown;
        # name the plan block anyway (its record stands for all its instances), so coverage
        # can tell that the plan may not exist.
        attribute = inst.block.body.attributes["plan_id"]
        names = leading_names(attribute.expr)
        if names[:1] == ["aws_backup_plan"] and len(names) > 1:
            return Ref(f"{prefix}aws_backup_plan.{names[1]}", "id")
    if isinstance(value, (Ref, str, Unknown)):
        return value
    return Unknown("the plan id is not a known value")


def leading_names(expr: object) -> list[str]:
    """`["aws_backup_plan", "p"]` for `aws_backup_plan.p[0].id`: the names a traversal starts
    with, up to its first index (empty when the expression is no traversal)."""
    from analyzer.hcl.syntax_tree import Tree

    names: list[str] = []
    node = expr
    while isinstance(node, Tree) and node.children:
        if node.data == "identifier":
            return [str(node.children[0]), *reversed(names)]
        if node.data == "get_attr_expr_term":
            names.append(str(node.children[1].children[-1].children[0]))
        elif node.data == "index_expr_term":
            names.clear()  # only the names before the first index name the resource
        elif node.data != "expr_term":
            return []
        node = node.children[0]
    return []


def patterns(value: object, what: str) -> tuple[Pattern, ...] | Unknown:
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, (list, tuple)):
        return Unknown(f"{what} is not a list")
    out: list[Pattern] = []
    for item in value:
        if isinstance(item, (str, Ref, Partial, Unknown)):
            out.append(item)
        else:
            out.append(Unknown(f"an element of {what} is not a string"))
    return tuple(out)


def _tag_key(value: object) -> str | Unknown:
    key = as_text(value, "the tag key")
    return key[len(TAG_PREFIX):] if isinstance(key, str) and key.startswith(TAG_PREFIX) else key


def _selection_tags(inst: Instance) -> tuple[TagCondition, ...] | Unknown:
    blocks = nested_blocks(inst.block.body, "selection_tag", inst.scope)
    if isinstance(blocks, Unknown):
        return blocks
    out = []
    for body, scope, line in blocks:
        kind = attr_of(body, "type", scope)
        op = "StringEquals" if kind == "STRINGEQUALS" else Unknown(f"selection_tag type {kind}")
        if isinstance(op, Unknown):
            return op
        out.append(TagCondition(op, _tag_key(attr_of(body, "key", scope)),
                                as_text(attr_of(body, "value", scope), "the tag value"),
                                location_of(inst, line)))
    return tuple(out)


def _conditions(inst: Instance, notes: list[str]) -> tuple[TagCondition, ...] | Unknown:
    """All condition tests (AND). The provider folds the `condition` blocks, a set, into one
    API object operator by operator, so when two blocks use the same operator only one of
    them survives, and which one is not decided by the code."""
    blocks = nested_blocks(inst.block.body, "condition", inst.scope)
    if isinstance(blocks, Unknown):
        return blocks
    out: list[TagCondition] = []
    for snake, op in _CONDITION_OPS.items():
        users = 0
        for body, scope, _ in blocks:
            tests = nested_blocks(body, snake, scope)
            if isinstance(tests, Unknown):
                return tests
            users += bool(tests)
            for test, test_scope, line in tests:
                out.append(TagCondition(op, _tag_key(attr_of(test, "key", test_scope)),
                                        as_text(attr_of(test, "value", test_scope), "the value"),
                                        location_of(inst, line)))
        if users > 1:
            notes.append(
                f"{users} condition blocks of {inst.address} use {snake}: the AWS provider keeps "
                "only one of them; put every test in a single condition block")
            return Unknown(f"several condition blocks use {snake} and the provider keeps one")
    return tuple(out)


def plan_record(inst: Instance, exists: Unknown | None = None,
                vaults: Mapping[str, Instance] | None = None) -> BackupPlan:
    """`vaults` are the module's `aws_backup_vault` instances by address: a copy action to
    one of them is in that vault's Region."""
    rules = nested_blocks(inst.block.body, "rule", inst.scope)
    retention: list[int | Unknown | None] = []
    copies: list[tuple[str | Unknown, ...] | Unknown] = []
    for body, scope, _ in rules if not isinstance(rules, Unknown) else ():
        days: int | Unknown | None = None
        lifecycles = nested_blocks(body, "lifecycle", scope)
        if isinstance(lifecycles, Unknown):
            days = lifecycles
        for lifecycle, lscope, _ in lifecycles if not isinstance(lifecycles, Unknown) else ():
            days = retention_days(attr_of(lifecycle, "delete_after", lscope),
                                  "lifecycle.delete_after")
        retention.append(days)
        copies.append(_copy_regions(inst, body, scope, vaults or {}))
    name = as_text(inst.attr("name"), f"the name of {inst.address}")
    count: int | Unknown = rules if isinstance(rules, Unknown) else len(rules)
    return BackupPlan(inst.address, name, count, tuple(retention), location_of(inst),
                      exists=exists, copy_regions=tuple(copies))


def _one_region(vault: Instance, plan: Instance) -> bool:
    """One provider configuration and no `region` argument of their own: one Region."""
    return (vault.provider is plan.provider and vault.attr("region") is None
            and plan.attr("region") is None)


def _copy_regions(inst: Instance, rule: Body, scope: Mapping[str, object],
                  vaults: Mapping[str, Instance]) -> tuple[str | Unknown, ...] | Unknown:
    actions = nested_blocks(rule, "copy_action", scope)
    if isinstance(actions, Unknown):
        return actions
    what = "copy_action.destination_vault_arn"
    regions: list[str | Unknown] = []
    for body, ascope, _ in actions:
        arn = attr_of(body, "destination_vault_arn", ascope)
        vault = vaults.get(arn.address) if isinstance(arn, Ref) else None
        if vault is None:
            regions.append(arn_region(arn, what))
        elif _one_region(vault, inst):
            regions.append(SAME_REGION)
        else:
            regions.append(resource_region(vault))
    return tuple(regions)


def region_settings_record(inst: Instance, exists: Unknown | None = None) -> RegionSettings:
    prefs = inst.attr("resource_type_opt_in_preference")
    opt_in: bool | Unknown | None
    if prefs is None:
        opt_in = None
    elif isinstance(prefs, Mapping):
        opt_in = as_bool(prefs["DynamoDB"], "the DynamoDB opt-in") if "DynamoDB" in prefs else None
    elif isinstance(prefs, Unknown):
        opt_in = prefs
    else:
        known = getattr(prefs, "known", {})
        more = getattr(prefs, "more", Unknown("resource_type_opt_in_preference"))
        opt_in = as_bool(known["DynamoDB"], "the DynamoDB opt-in") if "DynamoDB" in known else more
    return RegionSettings(inst.address, resource_region(inst), opt_in, location_of(inst),
                          exists=exists)
