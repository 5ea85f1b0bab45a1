"""AWS Organizations backup policies (`aws_organizations_policy`, type `BACKUP_POLICY`).

A policy's `content` (AWS Organizations "Backup policy syntax") holds
`plans.<plan>.{regions, rules, selections}`; each `selections.tags.<name>` entry selects by
`tag_key` and any of the `tag_value`s (each under `@@assign`, or `@@append`), in every Region of
`regions`. Each (tag selection, Region) becomes one `BackupSelection` of kind
`aws_organizations_policy` with ListOfTags-like entries (OR over the values). A
`selections.resources` entry is not evaluated: it makes the plan's answer unknown.

Content written as `jsonencode(<value>)` is read from the argument itself, so a document that
is only partly known (an unknown role ARN, a vault name) still yields its tag selections; a JSON
string (heredoc) is parsed; `file()` and the like stay unknown.

Which accounts a policy governs is decided by `aws_organizations_policy_attachment` targets
(accounts, OUs, the root), and no code tells which account a table will be deployed into.
Decision: when the scanned code attaches the policy, a tag match counts as protection, with the
evidence saying it assumes the table's account is under one of those targets (the same stance as
a selection pattern's literal account). When it declares no attachment, the policy governs no
account through this code, so a tag match is unknown, never protected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from analyzer.hcl.expressions import evaluate
from analyzer.model import (
    BackupSelection,
    Location,
    PartialMap,
    Ref,
    TagCondition,
    Unknown,
)
from analyzer.terraform.context import Instance
from analyzer.terraform.resources import as_text, location_of
from analyzer.terraform.tag_resources import call_arguments

KIND = "aws_organizations_policy"
_ASSIGN = ("@@assign", "@@append")


def is_backup_policy(inst: Instance) -> bool:
    return inst.attr("type") == "BACKUP_POLICY"


# Policy address -> (target, why the attachment may not exist) per attachment; the "" key holds
# attachments whose policy_id is undecided.
Attached = dict[str, list[tuple[str, Unknown | None]]]


def attachments(instances: list[tuple[Instance, Unknown | None]]) -> Attached:
    """The attachments by the policy they attach, each with why it may not exist."""
    found: Attached = {}
    for inst, exists in instances:
        policy = inst.attr("policy_id")
        target = inst.attr("target_id")
        shown = target if isinstance(target, str) else str(target) if isinstance(
            target, Ref) else "an undecided target"
        key = policy.address if isinstance(policy, Ref) else ""
        found.setdefault(key, []).append((shown, exists))
    return found


def policy_selections(
    inst: Instance, attached: Attached, exists: Unknown | None = None
) -> list[BackupSelection]:
    """`exists` says why the policy may not exist: then none of its matches is certain."""
    document = _document(inst)
    where = _content_location(inst)
    assumes, undecided = _attachment(inst.address, attached)
    if exists is not None:
        undecided = _join(exists, undecided) if undecided is not None else exists
    if not isinstance(document, (Mapping, PartialMap)):
        why = document if isinstance(document, Unknown) else Unknown("content is not a JSON object")
        return [_selection(inst, where, Unknown(f"the policy's content is unknown ({why.reason})"),
                           Unknown("the policy's regions"), assumes, undecided)]
    out: list[BackupSelection] = []
    plans = _get(document, "plans")
    for name, plan in _items(plans, "plans"):
        out.extend(_plan_selections(inst, where, name, plan, assumes, undecided))
    return out


def _plan_selections(
    inst: Instance, where: Location, name: str, plan: object, assumes: tuple[str, ...],
    undecided: Unknown | None,
) -> list[BackupSelection]:
    regions = _assigned(_get(plan, "regions"), f"the regions of plan {name}")
    rules = _get(plan, "rules")
    if rules is None or (isinstance(rules, Mapping) and not rules):
        why = Unknown(f"plan {name} has no rules of its own (they may be inherited)")
        undecided = _join(undecided, why)
    selections = _get(plan, "selections")
    notes = (f'through its plan "{name}"', *assumes)
    tag_lists: list[tuple[TagCondition, ...] | Unknown] = [
        _tag_entries(entry, where) for _, entry in _items(_get(selections, "tags"), "tags")]
    if _get(selections, "resources") is not None or isinstance(selections, Unknown):
        tag_lists.append(Unknown(f"plan {name}: resource selections are not evaluated"))
    out = []
    region_list = regions if isinstance(regions, list) else [regions]
    for entries in tag_lists:
        for region in region_list:
            where_ok = region if isinstance(region, str) else None
            out.append(_selection(inst, where, entries, where_ok or _as_unknown(region), notes,
                                  undecided if where_ok else _join(undecided, region)))
    return out


def _selection(
    inst: Instance, where: Location, tags: tuple[TagCondition, ...] | Unknown,
    region: str | Unknown, assumes: tuple[str, ...], undecided: Unknown | None,
) -> BackupSelection:
    return BackupSelection(
        address=inst.address, plan=inst.address, resources=(), not_resources=(),
        list_of_tags=tags, conditions=(), location=where, region=region, kind=KIND,
        assumes=assumes, undecided=undecided,
    )


def _tag_entries(entry: object, where: Location) -> tuple[TagCondition, ...] | Unknown:
    keys = _assigned(_get(entry, "tag_key"), "tag_key")
    key = keys if isinstance(keys, Unknown) else as_text(
        keys[0] if len(keys) == 1 else Unknown("tag_key is not one string"), "the tag key")
    values = _assigned(_get(entry, "tag_value"), "tag_value")
    if isinstance(values, Unknown):
        return (TagCondition("StringEquals", key, values, where),)
    return tuple(
        TagCondition("StringEquals", key, as_text(v, "the tag value"), where) for v in values)


def _assigned(node: object, what: str) -> list[object] | Unknown:
    """The values an `@@assign` (or `@@append`) sets, as a list."""
    if isinstance(node, Unknown):
        return node
    for operator in _ASSIGN:
        value = _get(node, operator)
        if isinstance(value, list):
            return list(value)
        if value is not None:
            return value if isinstance(value, Unknown) else [value]
    return Unknown(f"{what} is not set in this policy (it may be inherited)")


def _get(node: object, key: str) -> object:
    if isinstance(node, Mapping):
        return node.get(key)
    if isinstance(node, PartialMap):
        return node.known.get(key, node.more)
    return node if isinstance(node, Unknown) else None


def _items(node: object, what: str) -> list[tuple[str, object]]:
    if isinstance(node, Mapping):
        return [(str(k), node[k]) for k in sorted(node, key=str)]
    if isinstance(node, (PartialMap, Unknown)):
        known = node.known if isinstance(node, PartialMap) else {}
        more = node.more if isinstance(node, PartialMap) else node
        return [*_items(dict(known), what), (f"(unknown {what})", more)]
    return []


def _document(inst: Instance) -> object:
    attribute = inst.block.body.attributes.get("content")
    if attribute is None:
        return Unknown("the policy has no content")
    args = call_arguments(attribute.expr, "jsonencode")
    if args is not None and len(args) == 1:
        return evaluate(args[0], inst.scope)
    value = evaluate(attribute.expr, inst.scope)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as error:
            return Unknown(f"the policy's content is not valid JSON ({error})")
    return value


def _attachment(address: str, attached: Attached) -> tuple[tuple[str, ...], Unknown | None]:
    links = attached.get(address, [])
    targets = [target for target, exists in links if exists is None]
    if targets:
        shown = ", ".join(sorted(set(targets)))
        return (f"if the table's account is under a target of this policy ({shown})",), None
    if links:  # every attachment of it may not exist
        why = "; ".join(sorted({exists.reason for _, exists in links if exists is not None}))
        return (), Unknown(f"the policy is attached only by attachments that may not exist: {why}")
    if "" in attached:
        return (), Unknown("an attachment may attach this policy: its policy_id is undecided")
    return (), Unknown(
        "the scanned code does not attach this policy to any account or OU; it protects the "
        "table only if attached elsewhere to the table's account")


def _content_location(inst: Instance) -> Location:
    attribute = inst.block.body.attributes.get("content")
    return location_of(inst, attribute.line if attribute is not None else None)


def _as_unknown(value: object) -> Unknown:
    return value if isinstance(value, Unknown) else Unknown(f"a region is {value!r}")


def _join(first: Unknown | None, second: object) -> Unknown:
    reason = second.reason if isinstance(second, Unknown) else str(second)
    return Unknown(reason if first is None else f"{first.reason}; {reason}")
