"""AWS Organizations backup policies (`aws_organizations_policy`, type `BACKUP_POLICY`) as
backup selections, from a policy document however it was read.

A policy's `content` (AWS Organizations "Backup policy syntax") holds
`plans.<plan>.{regions, rules, selections}`; each `selections.tags.<name>` entry selects by
`tag_key` and any of the `tag_value`s (each under `@@assign`, or `@@append`), in every Region of
`regions`. Each (tag selection, Region) becomes one `BackupSelection` of kind
`aws_organizations_policy` with ListOfTags-like entries (OR over the values). A
`selections.resources` entry is not evaluated: it makes the plan's answer unknown.

Which accounts a policy governs is decided by `aws_organizations_policy_attachment` targets
(accounts, OUs, the root), and no code tells which account a table will be deployed into.
Decision: when the scanned code attaches the policy, a tag match counts as protection, with the
evidence saying it assumes the table's account is under one of those targets (the same stance as
a selection pattern's literal account). When it declares no attachment, the policy governs no
account through this code, so a tag match is unknown, never protected.

The document is JSON-like data in which any part may be `Unknown` (or a `PartialMap`, a map
known in part); `text` turns a leaf into the string AWS sees (each loader knows its values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from analyzer.model import BackupPlan, BackupSelection, Location, PartialMap, TagCondition, Unknown
from analyzer.provider.org_policy_rules import policy_plan

KIND = "aws_organizations_policy"
BACKUP_POLICY = "BACKUP_POLICY"
UNATTACHED = ""  # the Attached key of attachments whose policy_id is undecided
_ASSIGN = ("@@assign", "@@append")

Text = Callable[[object, str], "str | Unknown"]
# Policy address -> (target, why the attachment may not exist) per attachment; the UNATTACHED
# key holds attachments whose policy_id is undecided.
Attached = dict[str, list[tuple[str, Unknown | None]]]


def plain_text(value: object, what: str) -> str | Unknown:
    """A leaf of a document read as plain JSON, as the string AWS sees."""
    if isinstance(value, (str, Unknown)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return Unknown(f"{what} is {value!r}, not a string")


def document_selections(
    address: str, document: object, where: Location, attached: Attached,
    exists: Unknown | None = None, text: Text = plain_text,
) -> list[BackupSelection]:
    """The selections of the policy at `address`. `exists` says why the policy may not exist
    (or may not be a backup policy): then none of its matches is certain."""
    assumes, undecided = _attachment(address, attached)
    if exists is not None:
        undecided = _join(exists, undecided) if undecided is not None else exists
    if not isinstance(document, (Mapping, PartialMap)):
        why = document if isinstance(document, Unknown) else Unknown("content is not a JSON object")
        unread = Unknown(f"the policy's content is unknown ({why.reason})")
        return [_selection(address, where, unread, Unknown("the policy's regions"), assumes,
                           undecided)]
    out: list[BackupSelection] = []
    for name, plan in _items(_get(document, "plans"), "plans"):
        out.extend(_plan_selections(address, where, name, plan, assumes, undecided, text))
    return out


def _plan_selections(
    address: str, where: Location, name: str, plan: object, assumes: tuple[str, ...],
    undecided: Unknown | None, text: Text,
) -> list[BackupSelection]:
    regions = _assigned(_get(plan, "regions"), f"the regions of plan {name}")
    rules = _get(plan, "rules")
    if rules is None or (isinstance(rules, Mapping) and not rules):
        why = Unknown(f"plan {name} has no rules of its own (they may be inherited)")
        undecided = _join(undecided, why)
    selections = _get(plan, "selections")
    notes = (f'through its plan "{name}"', *assumes)
    rules_read = policy_plan(address, name, plan, where, text, _get, _items, _assigned)
    tag_lists: list[tuple[TagCondition, ...] | Unknown] = [
        _tag_entries(entry, where, text) for _, entry in _items(_get(selections, "tags"), "tags")]
    if _get(selections, "resources") is not None or isinstance(selections, Unknown):
        tag_lists.append(Unknown(f"plan {name}: resource selections are not evaluated"))
    out = []
    region_list = regions if isinstance(regions, list) else [regions]
    for entries in tag_lists:
        for region in region_list:
            where_ok = region if isinstance(region, str) else None
            out.append(_selection(address, where, entries, where_ok or _as_unknown(region), notes,
                                  undecided if where_ok else _join(undecided, region),
                                  rules_read))
    return out


def _selection(
    address: str, where: Location, tags: tuple[TagCondition, ...] | Unknown,
    region: str | Unknown, assumes: tuple[str, ...], undecided: Unknown | None,
    rules: BackupPlan | None = None,
) -> BackupSelection:
    return BackupSelection(
        address=address, plan=address, resources=(), not_resources=(),
        list_of_tags=tags, conditions=(), location=where, region=region, kind=KIND,
        assumes=assumes, undecided=undecided, rules=rules,
    )


def _tag_entries(entry: object, where: Location, text: Text) -> tuple[TagCondition, ...] | Unknown:
    keys = _assigned(_get(entry, "tag_key"), "tag_key")
    key = keys if isinstance(keys, Unknown) else text(
        keys[0] if len(keys) == 1 else Unknown("tag_key is not one string"), "the tag key")
    values = _assigned(_get(entry, "tag_value"), "tag_value")
    if isinstance(values, Unknown):
        return (TagCondition("StringEquals", key, values, where),)
    return tuple(
        TagCondition("StringEquals", key, text(v, "the tag value"), where) for v in values)


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


def _attachment(address: str, attached: Attached) -> tuple[tuple[str, ...], Unknown | None]:
    links = attached.get(address, [])
    targets = [target for target, exists in links if exists is None]
    if targets:
        shown = ", ".join(sorted(set(targets)))
        return (f"if the table's account is under a target of this policy ({shown})",), None
    if links:  # every attachment of it may not exist
        why = "; ".join(sorted({exists.reason for _, exists in links if exists is not None}))
        return (), Unknown(f"the policy is attached only by attachments that may not exist: {why}")
    if UNATTACHED in attached:
        return (), Unknown("an attachment may attach this policy: its policy_id is undecided")
    return (), Unknown(
        "the scanned code does not attach this policy to any account or OU; it protects the "
        "table only if attached elsewhere to the table's account")


def _as_unknown(value: object) -> Unknown:
    return value if isinstance(value, Unknown) else Unknown(f"a region is {value!r}")


def _join(first: Unknown | None, second: object) -> Unknown:
    reason = second.reason if isinstance(second, Unknown) else str(second)
    return Unknown(reason if first is None else f"{first.reason}; {reason}")
