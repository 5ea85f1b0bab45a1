"""`AWS::Organizations::Policy` of `Type: BACKUP_POLICY` as backup selections, as the Terraform
loaders read `aws_organizations_policy`; what a document selects, its rules and the stance on
attachments are provider/org_policies.py's.

`Content` is the policy document, as a JSON object or a JSON string; `TargetIds` (the roots,
OUs and accounts it is attached to) plays the part of Terraform's attachments. A type, content
or targets the template does not decide stay undecided: such a policy may select a table, but
never protects it for certain.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from analyzer.cloudformation.intrinsics import Context, evaluate_property
from analyzer.cloudformation.resources import Where
from analyzer.model import BackupSelection, Location, Unknown
from analyzer.provider.org_policies import BACKUP_POLICY, Attached, document_selections

ORG_POLICY = "AWS::Organizations::Policy"


def policy_selections(props: Mapping[str, object], where: Where,
                      ctx: Context) -> list[BackupSelection]:
    kind = evaluate_property(props, "Type", ctx)
    exists: Unknown | None = None
    if isinstance(kind, str) and kind != BACKUP_POLICY:
        return []
    if not isinstance(kind, str):
        exists = Unknown(f"the Type of {where.address} is not known statically: it may be a "
                         "backup policy")
    return document_selections(where.address, _document(props, ctx),
                               Location(where.rel, where.line), _targets(props, where, ctx),
                               exists)


def _document(props: Mapping[str, object], ctx: Context) -> object:
    content = evaluate_property(props, "Content", ctx)
    if content is None:
        return Unknown("the policy has no Content")
    if isinstance(content, str):
        try:
            return json.loads(content)
        except (ValueError, RecursionError) as error:
            return Unknown(f"the policy's Content is not valid JSON ({error})")
    return content


def _targets(props: Mapping[str, object], where: Where, ctx: Context) -> Attached:
    targets = evaluate_property(props, "TargetIds", ctx)
    if targets is None or targets == []:
        return {}
    if not isinstance(targets, list):
        why = Unknown("its TargetIds are not known statically")
        return {where.address: [("an undecided target", why)]}
    return {where.address: [(t if isinstance(t, str) else "an undecided target", None)
                            for t in targets]}
