"""AWS Organizations backup policies (`aws_organizations_policy`, type `BACKUP_POLICY`) in HCL.

What a policy document selects, and the stance on attachments, are provider/org_policies.py's
(shared with the plan loader). Here: reading the document and the attachments from HCL.

Content written as `jsonencode(<value>)` is read from the argument itself, so a document that
is only partly known (an unknown role ARN, a vault name) still yields its tag selections; a JSON
string (heredoc) is parsed; `file()` and the like stay unknown.
"""

from __future__ import annotations

import json

from analyzer.hcl.expressions import evaluate
from analyzer.model import BackupSelection, Location, Ref, Unknown
from analyzer.provider.org_policies import (
    BACKUP_POLICY,
    UNATTACHED,
    Attached,
    document_selections,
)
from analyzer.terraform.context import Instance
from analyzer.terraform.resources import as_text, location_of
from analyzer.terraform.tag_resources import call_arguments


def is_backup_policy(inst: Instance) -> bool:
    """A backup policy, or one whose type the code does not decide (it may be one)."""
    kind = inst.attr("type")
    return kind == BACKUP_POLICY or isinstance(kind, Unknown)


def attachments(instances: list[tuple[Instance, Unknown | None]]) -> Attached:
    """The attachments by the policy they attach, each with why it may not exist."""
    found: Attached = {}
    for inst, exists in instances:
        policy = inst.attr("policy_id")
        target = inst.attr("target_id")
        shown = target if isinstance(target, str) else str(target) if isinstance(
            target, Ref) else "an undecided target"
        key = policy.address if isinstance(policy, Ref) else UNATTACHED
        found.setdefault(key, []).append((shown, exists))
    return found


def policy_selections(
    inst: Instance, attached: Attached, exists: Unknown | None = None
) -> list[BackupSelection]:
    """`exists` says why the policy may not exist: then none of its matches is certain."""
    kind = inst.attr("type")
    if isinstance(kind, Unknown):
        why = f"the type of {inst.address} is undecided ({kind.reason}): it may be a backup policy"
        exists = Unknown(why if exists is None else f"{exists.reason}; {why}")
    return document_selections(inst.address, _document(inst), _content_location(inst),
                               attached, exists, as_text)


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


def _content_location(inst: Instance) -> Location:
    attribute = inst.block.body.attributes.get("content")
    return location_of(inst, attribute.line if attribute is not None else None)
