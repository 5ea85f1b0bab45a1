"""A planned `aws_backup_plan`: its rules, how long each keeps recovery points
(`lifecycle.delete_after`) and the Regions its `copy_action`s copy them to, from `change.after`
as terraform/resources.py reads them from HCL. A destination vault ARN known only after apply
is the vault the configuration refers to, when the plan plans that vault."""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.model import BackupPlan, Location, Unknown
from analyzer.plan.backup import Blocks, blocks_of, get
from analyzer.plan.changes import Change, Json, is_unknown
from analyzer.plan.config import Configuration
from analyzer.plan.tables import later, region_of, text
from analyzer.provider.backup_rules import arn_region, retention_days

_ARN = "copy_action.destination_vault_arn"


def plan_record(change: Change, where: Location, config: Configuration,
                vaults: Mapping[str, Change]) -> BackupPlan:
    """`vaults`: the planned `aws_backup_vault` instances by address."""
    rules = blocks_of(change.after.get("rule"), change.unknown.get("rule"), "the plan's rules")
    written = get(config.expressions(change) or {}, "rule")
    retention: list[int | Unknown | None] = []
    copies: list[tuple[str | Unknown, ...] | Unknown] = []
    for index, (rule, unknown) in enumerate(rules if isinstance(rules, list) else ()):
        retention.append(_retention(rule, unknown))
        expr = written[index] if isinstance(written, list) and index < len(written) else {}
        copies.append(_copy_regions(change, rule, unknown, expr, config, vaults))
    count: int | Unknown = rules if isinstance(rules, Unknown) else len(rules)
    name = text(change.after, change.unknown, "name", f"the name of {change.address}")
    return BackupPlan(change.address, name, count, tuple(retention), where,
                      copy_regions=tuple(copies))


def _retention(rule: Mapping[str, Json], unknown: Json) -> int | Unknown | None:
    lifecycles = blocks_of(rule.get("lifecycle"), get(unknown, "lifecycle"), "lifecycle")
    if isinstance(lifecycles, Unknown):
        return lifecycles
    days: int | Unknown | None = None
    for lifecycle, lunknown in lifecycles:
        if is_unknown(lunknown, "delete_after"):
            return later("delete_after")
        value = lifecycle.get("delete_after")
        days = retention_days(value, "lifecycle.delete_after")  # null: kept until deleted
    return days


def _copy_regions(change: Change, rule: Mapping[str, Json], unknown: Json, expr: Json,
                  config: Configuration, vaults: Mapping[str, Change]
                  ) -> tuple[str | Unknown, ...] | Unknown:
    actions: Blocks | Unknown = blocks_of(rule.get("copy_action"), get(unknown, "copy_action"),
                                          "copy_action")
    if isinstance(actions, Unknown):
        return actions
    exprs = get(expr, "copy_action")
    regions: list[str | Unknown] = []
    for index, (action, aunknown) in enumerate(actions):
        if not is_unknown(aunknown, "destination_vault_arn"):
            regions.append(arn_region(action.get("destination_vault_arn"), _ARN))
            continue
        written = exprs[index] if isinstance(exprs, list) and index < len(exprs) else {}
        vault = _vault(change, get(written, "destination_vault_arn"), vaults)
        regions.append(later(_ARN) if vault is None else region_of(vault, config))
    return tuple(regions)


def _vault(change: Change, expr: Json, vaults: Mapping[str, Change]) -> Change | None:
    """The one planned vault whose `arn` the expression refers to, in the plan's module."""
    refs = get(expr, "references")
    if not isinstance(refs, list):
        return None
    arns = {ref.removesuffix(".arn") for ref in refs
            if isinstance(ref, str) and ref.startswith("aws_backup_vault.") and ref.endswith(
                ".arn")}
    if len(arns) != 1:
        return None
    prefix = f"{change.module}." if change.module else ""
    return vaults.get(prefix + arns.pop())
