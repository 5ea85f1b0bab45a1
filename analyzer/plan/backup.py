"""Planned AWS Backup constructs: `aws_backup_selection`, `aws_backup_plan` and
`aws_backup_region_settings`, from `change.after`, as terraform/resources.py builds them from
HCL. Everything a plan shows exists (count and for_each are resolved), so `exists` stays None.

A selection field known only after apply (`resources = [aws_dynamodb_table.x.arn]` for a table
being created) is taken from the configuration the plan was made from when it is known (an
`HclView`: analyzer.hybrid evaluates the HCL with the plan's variable values). Without it, the
plan shows only the references of the expression, not what it does with them:
`[aws_dynamodb_table.x.arn]` and `["${aws_dynamodb_table.x.arn}/index/*"]` (which selects no
table) look the same, so `resources` and `not_resources` stay unknown, naming the references.
A `plan_id` that refers to one `aws_backup_plan.p.id` alone is that plan: a value derived from it
that is not its id names no plan, and the selection would not apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analyzer.model import (
    BackupSelection,
    Location,
    Pattern,
    Ref,
    RegionSettings,
    TagCondition,
    Unknown,
)
from analyzer.plan.changes import Change, Json, contains_unknown, is_unknown
from analyzer.plan.config import Configuration
from analyzer.plan.hcl_view import HclView
from analyzer.plan.tables import later, region_of, text

TAG_PREFIX = "aws:ResourceTag/"
CONDITION_OPS = {"string_equals": "StringEquals", "string_like": "StringLike",
                 "string_not_equals": "StringNotEquals", "string_not_like": "StringNotLike"}
UNCONFIRMED = ("{field} is known only after apply, and the plan shows only that it refers to "
               "{refs}, not how (a function, a template or a condition can change the ARNs): "
               "pass --tf-dir with the configuration it was planned from")
Written = BackupSelection | Unknown | None  # what an HclView said; None: no configuration


def selection_record(change: Change, config: Configuration, plans: Sequence[Change],
                     where: Location, hcl: HclView | None = None) -> BackupSelection:
    notes: list[str] = []
    written = hcl.selection(change.address) if hcl is not None else None
    return BackupSelection(
        address=change.address,
        plan=_plan_ref(change, config, plans, written),
        resources=_patterns(change, config, "resources", written),
        not_resources=_patterns(change, config, "not_resources", written),
        list_of_tags=_configured(change, "selection_tag", written, "list_of_tags")
        or _selection_tags(change, where),
        conditions=_configured(change, "condition", written, "conditions")
        or _conditions(change, where, notes),
        location=where,
        region=region_of(change, config),
        notes=tuple(notes),
    )


def _configured(change: Change, key: str, written: Written, field: str
                ) -> tuple[TagCondition, ...] | None:
    """The configuration's tag tests, where the plan knows them only after apply."""
    if not isinstance(written, BackupSelection) or not contains_unknown(change.unknown.get(key)):
        return None
    value = getattr(written, field)
    return value if isinstance(value, tuple) and value else None


def _plan_ref(change: Change, config: Configuration, plans: Sequence[Change], written: Written
              ) -> Ref | str | Unknown:
    value = change.after.get("plan_id")
    if isinstance(value, str):  # an existing plan: name it when the plan manages it
        owner = next((p for p in plans if p.after.get("id") == value), None)
        return Ref(owner.address, "id", value) if owner else value
    if isinstance(written, BackupSelection) and isinstance(written.plan, (Ref, str)):
        return written.plan
    expr = (config.expressions(change) or {}).get("plan_id")
    found = config.patterns(change.module, expr) if isinstance(expr, Mapping) else None
    if isinstance(found, tuple) and len(found) == 1 and isinstance(found[0], Ref):
        return found[0]
    return later("the plan id")


def _patterns(change: Change, config: Configuration, field: str, written: Written
              ) -> tuple[Pattern, ...] | Unknown:
    value, unknown = change.after.get(field), change.unknown.get(field)
    if not contains_unknown(unknown):
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return Unknown(f"{field} is not a list of strings")
    expressions = config.expressions(change)
    if expressions is not None and field not in expressions:
        return ()  # computed by the provider: the code sets none
    if isinstance(written, BackupSelection):
        hcl = getattr(written, field)
        return hcl if isinstance(hcl, tuple) else Unknown(
            f"{field} is known only after apply, and the configuration does not decide it: "
            f"{hcl.reason}")
    if isinstance(written, Unknown):
        return Unknown(f"{field} is known only after apply: {written.reason}")
    if expressions is None:
        return Unknown(f"{field} is known only after apply, and the plan's configuration "
                       f"does not show {change.address}")
    found = config.patterns(change.module, expressions[field])
    if isinstance(found, Unknown):
        return Unknown(f"{field} is known only after apply: {found.reason}")
    return Unknown(UNCONFIRMED.format(field=field, refs=", ".join(map(str, found)) or "nothing"))


def _tag_key(value: Json) -> str | Unknown:
    if not isinstance(value, str):
        return later("the tag key")
    return value[len(TAG_PREFIX):] if value.startswith(TAG_PREFIX) else value


Blocks = list[tuple[Mapping[str, Json], Json]]  # nested blocks, each with its after_unknown


def blocks_of(blocks: Json, unknown: Json, what: str) -> Blocks | Unknown:
    if is_unknown(unknown) or (not blocks and contains_unknown(unknown)):
        return later(what)
    if not isinstance(blocks, list):
        return []
    unknowns = unknown if isinstance(unknown, list) else []
    return [(b, unknowns[i] if i < len(unknowns) else {}) for i, b in enumerate(blocks)
            if isinstance(b, Mapping)]


def _selection_tags(change: Change, where: Location) -> tuple[TagCondition, ...] | Unknown:
    tests = blocks_of(change.after.get("selection_tag"), change.unknown.get("selection_tag"),
                   "selection_tag")
    if isinstance(tests, Unknown):
        return tests
    out = []
    for block, unknown in tests:
        if block.get("type") != "STRINGEQUALS" or is_unknown(unknown, "type"):
            return Unknown(f"selection_tag type {block.get('type')}")
        key = later("the tag key") if is_unknown(unknown, "key") else _tag_key(block.get("key"))
        out.append(TagCondition("StringEquals", key,
                                text(block, unknown, "value", "the tag value"), where))
    return tuple(out)


def _conditions(change: Change, where: Location, notes: list[str]
                ) -> tuple[TagCondition, ...] | Unknown:
    """All tests (AND). Several `condition` blocks using one operator: the provider keeps one
    (see terraform/resources.py), so those are unknown and DDB004 warns."""
    after, unknown = change.after.get("condition"), change.unknown.get("condition")
    if not after and unknown is True:
        return ()  # computed by the provider: the code sets none (an empty condition {})
    blocks = blocks_of(after, unknown, "condition")
    if isinstance(blocks, Unknown):
        return blocks
    out: list[TagCondition] = []
    for snake, op in CONDITION_OPS.items():
        users = 0
        for block, block_unknown in blocks:
            tests = blocks_of(block.get(snake), get(block_unknown, snake), f"condition {snake}")
            if isinstance(tests, Unknown):
                return tests
            users += bool(tests)
            out += [TagCondition(op, later("the key") if is_unknown(u, "key") else
                                 _tag_key(t.get("key")), text(t, u, "value", "the value"), where)
                    for t, u in tests]
        if users > 1:
            notes.append(f"{users} condition blocks of {change.address} use {snake}: the AWS "
                         "provider keeps only one of them; put every test in a single condition "
                         "block")
            return Unknown(f"several condition blocks use {snake} and the provider keeps one")
    return tuple(out)


def get(node: Json, key: str) -> Json:
    return node.get(key) if isinstance(node, Mapping) else node


def region_settings_record(change: Change, config: Configuration, where: Location
                           ) -> RegionSettings:
    prefs, unknown = (change.after.get("resource_type_opt_in_preference"),
                      change.unknown.get("resource_type_opt_in_preference"))
    opt_in: bool | Unknown | None
    if is_unknown(unknown) or is_unknown(unknown, "DynamoDB"):
        opt_in = later("the DynamoDB opt-in")
    elif isinstance(prefs, Mapping) and "DynamoDB" in prefs:
        flag = prefs["DynamoDB"]
        opt_in = flag if isinstance(flag, bool) else Unknown(f"the DynamoDB opt-in is {flag}")
    else:
        opt_in = None
    return RegionSettings(change.address, region_of(change, config), opt_in, where)
