"""The rules of an Organizations backup policy's plan, as a `BackupPlan` for the policy rules
(DDB008 retention, DDB009 copy to another Region); org_policies.py attaches it to the plan's
selections.

AWS Organizations "Backup policy syntax": `plans.<plan>.rules.<rule>` holds
`lifecycle.delete_after_days` and `copy_actions.<vault ARN>.target_backup_vault_arn` (and that
copy's own `lifecycle`), each value under an inheritance operator (`@@assign`; numbers are
written as strings, `"35"`).

What is assumed, and why each direction stays sound: the analyzer sees this policy only, while
the account's effective policy merges it with the policies above and below it. A value this
policy sets is taken as the effective one (as a tag match is taken to reach the account of an
attachment target), and the evidence names the plan it read. A value this policy does not set
may be inherited: a rule without `delete_after_days` keeps recovery points for an unknown time
(never "until deleted by hand"), and a plan without rules of its own has unknown rules. A rule
without `copy_actions` copies nothing here: an inherited copy could only make DDB009 pass, so
reading none fails at worst, never passes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from analyzer.model import BackupPlan, Location, PartialMap, Unknown
from analyzer.provider.backup_rules import arn_region, retention_days

Text = Callable[[object, str], "str | Unknown"]
Get = Callable[[object, str], object]
Items = Callable[[object, str], list[tuple[str, object]]]
Assigned = Callable[[object, str], "list[object] | Unknown"]


def policy_plan(address: str, name: str, plan: object, where: Location, text: Text,
                get: Get, items: Items, assigned: Assigned) -> BackupPlan:
    """The rules of plan `name` of the policy at `address` (the helpers read the document)."""
    rules = get(plan, "rules")
    found = items(rules, "rules")
    rule_count: int | Unknown = len(found)
    if not found:
        rule_count = Unknown(f"plan {name} has no rules of its own (they may be inherited)")
    elif not isinstance(rules, Mapping):
        rule_count = Unknown(f"the rules of plan {name} are known only in part")

    def one_value(node: object, what: str) -> object:
        values = assigned(node, what)
        if isinstance(values, Unknown):
            return values
        return values[0] if len(values) == 1 else Unknown(f"{what} is not one value")

    def retention(rule_name: str, rule: object) -> int | Unknown | None:
        what = f"delete_after_days of rule {rule_name} (plan {name})"
        if isinstance(rule, Unknown):
            return rule
        lifecycle = get(rule, "lifecycle")
        node = get(lifecycle, "delete_after_days") if lifecycle is not None else None
        if node is None:
            return Unknown(f"{what} is not set in this policy: a policy it inherits may set it")
        days = one_value(node, what)
        return retention_days(days if isinstance(days, Unknown) else
                              _number_text(days, what, text), what)

    def copies(rule_name: str, rule: object) -> tuple[str | Unknown, ...] | Unknown:
        if isinstance(rule, Unknown):
            return rule
        actions = get(rule, "copy_actions")
        if isinstance(actions, Unknown):
            return actions
        out: list[str | Unknown] = []
        for key, action in items(actions, "copy actions"):
            what = f"the copy action {key} of rule {rule_name} (plan {name})"
            if isinstance(action, Unknown):
                out.append(action)
                continue
            target = one_value(get(action, "target_backup_vault_arn"),
                               f"target_backup_vault_arn of {what}")
            arn = target if isinstance(target, Unknown) else text(target, what)
            out.append(arn_region(arn, f"the destination vault of {what}"))
        if isinstance(actions, PartialMap):
            out.append(Unknown(f"the copy actions of rule {rule_name} are known only in part"))
        return tuple(out)

    return BackupPlan(
        address=f'{address} plan "{name}"', name=name, rule_count=rule_count,
        retention_days=tuple(retention(r, rule) for r, rule in found),
        location=where, copy_regions=tuple(copies(r, rule) for r, rule in found))


def _number_text(value: object, what: str, text: Text) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return text(value, what)
