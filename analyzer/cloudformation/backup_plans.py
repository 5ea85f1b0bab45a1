"""`AWS::Backup::BackupPlan` to a model plan: its rules, how long each keeps recovery points
(`Lifecycle.DeleteAfterDays`) and the Regions its `CopyActions` copy them to."""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.cloudformation.intrinsics import NO_VALUE, Context, evaluate, text_of
from analyzer.cloudformation.resources import Where
from analyzer.model import BackupPlan, Location, Unknown
from analyzer.provider.backup_rules import SAME_REGION, arn_region, retention_days

VAULT = "AWS::Backup::BackupVault"


def plan(props: Mapping[str, object], where: Where, ctx: Context) -> BackupPlan:
    raw_body = props.get("BackupPlan")
    body = evaluate(raw_body, ctx)
    body = body if isinstance(body, Mapping) else {}
    rules = body.get("BackupPlanRule")
    raw_rules = raw_body.get("BackupPlanRule") if isinstance(raw_body, Mapping) else None
    retention: list[int | Unknown | None] = []
    copies: list[tuple[str | Unknown, ...] | Unknown] = []
    listed = rules if isinstance(rules, list) else []
    for index, rule in enumerate(listed):
        raw = raw_rules[index] if isinstance(raw_rules, list) and len(raw_rules) == len(
            listed) else None
        retention.append(_retention(rule))
        copies.append(_copy_regions(rule, raw, ctx))
    count: int | Unknown = len(rules) if isinstance(rules, list) else Unknown(
        f"the rules of {where.logical_id} are not known statically")
    name = text_of(body.get("BackupPlanName"))
    return BackupPlan(where.address, name if isinstance(name, (str, Unknown)) else Unknown(
        "plan name"), count, tuple(retention), Location(where.rel, where.line),
        copy_regions=tuple(copies))


def _retention(rule: object) -> int | Unknown | None:
    if not isinstance(rule, Mapping):
        return Unknown("a BackupPlanRule is not known statically")
    life = rule.get("Lifecycle")
    if life is None or life is NO_VALUE:
        return None
    if not isinstance(life, Mapping):
        return Unknown("Lifecycle is not known statically")
    days = life.get("DeleteAfterDays")
    return retention_days(None if days is NO_VALUE else text_of(days), "Lifecycle.DeleteAfterDays")


def _copy_regions(rule: object, raw: object, ctx: Context
                  ) -> tuple[str | Unknown, ...] | Unknown:
    if not isinstance(rule, Mapping):
        return Unknown("a BackupPlanRule is not known statically")
    actions = rule.get("CopyActions")
    if actions is None or actions is NO_VALUE:
        return ()
    if not isinstance(actions, list):
        return Unknown("CopyActions is not known statically")
    raw_actions = raw.get("CopyActions") if isinstance(raw, Mapping) else None
    raw_list = raw_actions if isinstance(raw_actions, list) and len(raw_actions) == len(
        actions) else [None] * len(actions)
    regions: list[str | Unknown] = []
    for action, raw_action in zip(actions, raw_list, strict=True):
        arn = action.get("DestinationBackupVaultArn") if isinstance(action, Mapping) else None
        raw_arn = raw_action.get("DestinationBackupVaultArn") if isinstance(
            raw_action, Mapping) else None
        if _local_vault(raw_arn, ctx):
            regions.append(SAME_REGION)  # a vault of this stack is in the stack's Region
        else:
            regions.append(arn_region(text_of(arn), "CopyActions.DestinationBackupVaultArn"))
    return tuple(regions)


def _local_vault(raw: object, ctx: Context) -> bool:
    """`!GetAtt V.BackupVaultArn` of a vault declared in this template."""
    if not isinstance(raw, Mapping) or list(raw) != ["Fn::GetAtt"]:
        return False
    arg = raw["Fn::GetAtt"]
    parts = arg.split(".", 1) if isinstance(arg, str) else arg
    if not isinstance(parts, list) or len(parts) != 2 or parts[1] != "BackupVaultArn":
        return False
    resource = ctx.section("Resources").get(parts[0]) if isinstance(parts[0], str) else None
    return isinstance(resource, Mapping) and resource.get("Type") == VAULT
