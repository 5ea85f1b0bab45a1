"""Organizations backup policies in a plan: `aws_organizations_policy` (type `BACKUP_POLICY`)
and `aws_organizations_policy_attachment`, from `change.after`, as terraform/backup_policies.py
reads them from HCL; what a document selects is provider/org_policies.py's.

The plan shows `content` as the JSON string it will send, or as unknown when any part of it is
known only after apply (then the configuration shows only its references, not its structure,
so the whole document stays unknown). An attachment's `policy_id` is usually known only after
apply: it is resolved through the configuration's reference to the policy's `id`, or matched
against the known id of a policy the plan keeps. Everything a plan shows exists, so nothing
here may not exist, except that a policy whose type is unknown may be a backup policy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from analyzer.model import BackupSelection, Location, Ref, Unknown
from analyzer.plan.changes import Change, is_unknown
from analyzer.plan.config import Configuration
from analyzer.provider.org_policies import (
    BACKUP_POLICY,
    UNATTACHED,
    Attached,
    document_selections,
)


def policy_records(policies: Sequence[Change], attachments: Sequence[Change],
                   config: Configuration, where: Location) -> list[BackupSelection]:
    attached = _attached(policies, attachments, config)
    out: list[BackupSelection] = []
    for change in policies:
        kind = _type(change)
        if kind is None or isinstance(kind, Unknown):  # a backup policy, or maybe one
            out += document_selections(change.address, _document(change), where, attached, kind)
    return out


def _type(change: Change) -> str | Unknown | None:
    """None for a backup policy, why it may be one when its type is not shown, else its type."""
    value = change.after.get("type")
    if is_unknown(change.unknown, "type"):
        return Unknown(f"the type of {change.address} is known only after apply: it may be a "
                       "backup policy")
    if value == BACKUP_POLICY:
        return None
    return value if isinstance(value, str) else Unknown(
        f"the plan does not show the type of {change.address}: it may be a backup policy")


def _document(change: Change) -> object:
    if is_unknown(change.unknown, "content"):
        return Unknown("it is known only after apply")
    content = change.after.get("content")
    if not isinstance(content, str):
        return Unknown("the policy has no content")
    try:
        return json.loads(content)
    except (ValueError, RecursionError) as error:
        return Unknown(f"the policy's content is not valid JSON ({error})")


def _attached(policies: Sequence[Change], attachments: Sequence[Change],
              config: Configuration) -> Attached:
    """The attachments by the policy they attach (all certainly exist: the plan shows them)."""
    found: Attached = {}
    for change in attachments:
        found.setdefault(_policy_of(change, policies, config), []).append(
            (_target(change, config), None))
    return found


def _policy_of(change: Change, policies: Sequence[Change], config: Configuration) -> str:
    """The address of the policy it attaches; UNATTACHED when the plan does not decide it."""
    value = change.after.get("policy_id")
    if isinstance(value, str) and not is_unknown(change.unknown, "policy_id"):
        # A literal id: a policy this plan keeps with that id, or one outside the plan (a new
        # policy's id cannot be written in the code: AWS makes it on creation).
        owner = next((p for p in policies if p.after.get("id") == value), None)
        return owner.address if owner else f"(policy {value})"
    found = _reference(change, "policy_id", config)
    if isinstance(found, Ref) and any(p.address == found.address for p in policies):
        return found.address
    return UNATTACHED


def _target(change: Change, config: Configuration) -> str:
    value = change.after.get("target_id")
    if isinstance(value, str) and not is_unknown(change.unknown, "target_id"):
        return value
    found = _reference(change, "target_id", config)
    return str(found) if isinstance(found, Ref) else "an undecided target"


def _reference(change: Change, field: str, config: Configuration) -> Ref | None:
    expr = (config.expressions(change) or {}).get(field)
    found = config.patterns(change.module, expr) if isinstance(expr, Mapping) else None
    if isinstance(found, tuple) and len(found) == 1 and isinstance(found[0], Ref):
        return found[0]
    return None
