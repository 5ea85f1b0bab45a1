"""The policy options judged on one table, three-valued, each with its evidence (kind "policy",
`source` the rule id, or "require"):

- `require`: which protection counts: any (PITR or a selection), pitr, backup, or both.
- DDB007 `min-pitr-days`: PITR, where the table may have it, keeps at least N days (AWS keeps 35
  when the recovery period is not set). Nothing to check when PITR is certainly off.
- DDB008 `min-retention-days`: some selection that selects the table has a plan with a rule
  that keeps recovery points at least N days (no `delete_after`: kept until deleted by hand).
  Nothing to check when no selection may select the table.
- DDB009 `require-copy-to-another-region`: some selection that selects the table has a plan
  with a rule that copies to a vault in another Region than the selection's. PITR never copies,
  so a table no selection selects fails it.

The table is protected only when the requirement and every rule asked for certainly hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from analyzer.aws.selection import Plans
from analyzer.catalog import COPY_RULE, PITR_DAYS_RULE, RETENTION_RULE
from analyzer.model import (
    SAME_REGION,
    BackupPlan,
    BackupSelection,
    Evidence,
    Policy,
    Ref,
    Table,
    Tri,
    Unknown,
)

REQUIRE_CHOICES = ("any", "pitr", "backup", "both")
REQUIRE = "require"  # the source of the requirement's evidence
AWS_DEFAULT_PITR_DAYS = 35

# A selection judged for the table, and its answer.
Pick = tuple[BackupSelection, Tri]
Check = Callable[[Table, Tri, Sequence[Pick], Plans], tuple[Tri, str]]


def judge_policy(policy: Policy, table: Table, pitr: Evidence, found: Sequence[Evidence],
                 picks: Sequence[Pick], plans: Plans) -> tuple[Tri, Tri, tuple[Evidence, ...]]:
    """(the requirement's answer, the table's answer under the whole policy, the evidence)."""
    backup = Tri.NO
    for _, tri in picks:
        backup = backup | tri
    required, items = _required(policy.require, pitr, backup, found)
    overall = required
    for rule_id, check in _checks(policy):
        tri, message = check(table, pitr.applies, picks, plans)
        items.append(Evidence("policy", tri, message, rule_id, table.location))
        overall = overall & tri
    return required, overall, tuple(items)


def _checks(policy: Policy) -> list[tuple[str, Check]]:
    checks: list[tuple[str, Check]] = []
    if policy.min_pitr_days is not None:
        checks.append((PITR_DAYS_RULE, _pitr_days(policy.min_pitr_days)))
    if policy.min_retention_days is not None:
        checks.append((RETENTION_RULE, _retention(policy.min_retention_days)))
    if policy.copy_to_another_region:
        checks.append((COPY_RULE, _copy))
    return checks


_PITR = {Tri.YES: "point-in-time recovery is enabled",
         Tri.NO: "point-in-time recovery is not enabled",
         Tri.UNKNOWN: "whether point-in-time recovery is enabled is unknown"}
_BACKUP = {Tri.YES: "an AWS Backup selection selects it",
           Tri.NO: "no AWS Backup selection selects it",
           Tri.UNKNOWN: "whether an AWS Backup selection selects it is unknown"}


def _required(require: str, pitr: Evidence, backup: Tri, found: Sequence[Evidence]
              ) -> tuple[Tri, list[Evidence]]:
    """The requirement's answer, and its evidence unless it is the default (any)."""
    if require == "any":
        return pitr.applies | backup, []
    uses_pitr, uses_backup = require in ("pitr", "both"), require in ("backup", "both")
    tri = {"pitr": pitr.applies, "backup": backup, "both": pitr.applies & backup}[require]
    said = {"pitr": "point-in-time recovery", "backup": "an AWS Backup selection",
            "both": "both point-in-time recovery and an AWS Backup selection"}[require]
    parts = [_PITR[pitr.applies], _BACKUP[backup]]
    if not uses_pitr:
        parts[0] += ", which does not count"
    if not uses_backup:
        parts[1] += ", which does not count"
    text = f"the policy requires {said} (require = {require}): " + " and ".join(parts)
    if tri is Tri.UNKNOWN:
        undecided = [pitr.message] if uses_pitr and pitr.applies is Tri.UNKNOWN else []
        undecided += [_named(e) for e in found if uses_backup and e.applies is Tri.UNKNOWN]
        text += " (" + "; ".join(undecided) + ")" if undecided else ""
    return tri, [Evidence("policy", tri, text, REQUIRE, pitr.location)]


def _named(evidence: Evidence) -> str:
    if not evidence.source or evidence.source in evidence.message:
        return evidence.message
    return f"{evidence.source}: {evidence.message}"


def _pitr_days(minimum: int) -> Check:
    def check(table: Table, pitr: Tri, picks: Sequence[Pick], plans: Plans) -> tuple[Tri, str]:
        days = table.pitr.recovery_days
        asked = f"the policy requires at least {minimum} days (min-pitr-days)"
        if pitr is Tri.NO:
            return Tri.YES, f"point-in-time recovery is not enabled: no recovery period to " \
                f"check ({asked})"
        if isinstance(days, Unknown):
            return Tri.UNKNOWN, f"the point-in-time recovery period is unknown ({days.reason}); " \
                f"{asked}"
        kept = AWS_DEFAULT_PITR_DAYS if days is None else days
        said = f"{kept} days" + (" (the AWS default: no recovery period is set)"
                                 if days is None else "")
        if kept >= minimum:
            return Tri.YES, f"point-in-time recovery keeps {said}; {asked}"
        verb = "would keep" if pitr is Tri.UNKNOWN else "keeps"
        tri = Tri.NO if pitr is Tri.YES else Tri.UNKNOWN
        return tri, f"point-in-time recovery {verb} only {said}; {asked}"
    return check


def plan_of(selection: BackupSelection, plans: Plans) -> BackupPlan | Unknown:
    ref = selection.plan
    plan = plans.get((selection.unit, ref.address)) if isinstance(ref, Ref) else None
    if plan is not None:
        return plan
    return Unknown("its backup plan is not in the scanned code, so its rules are unknown")


def _plan_retention(plan: BackupPlan, minimum: int) -> tuple[Tri, str]:
    name = f"its plan {plan.address}"
    if isinstance(plan.rule_count, Unknown):
        return Tri.UNKNOWN, f"the rules of {name} are unknown ({plan.rule_count.reason})"
    kept = plan.retention_days
    if any(days is None for days in kept):
        return Tri.YES, f"{name} has a rule that keeps recovery points until deleted by hand"
    known = [days for days in kept if isinstance(days, int)]
    if known and max(known) >= minimum:
        return Tri.YES, f"{name} has a rule that keeps recovery points {max(known)} days"
    unknowns = [days.reason for days in kept if isinstance(days, Unknown)]
    if unknowns:
        return Tri.UNKNOWN, f"how long {name} keeps recovery points is unknown ({unknowns[0]})"
    most = f"at most {max(known)} days" if known else "no days"
    return Tri.NO, f"{name} keeps recovery points {most}"


def _retention(minimum: int) -> Check:
    asked = f"the policy requires at least {minimum} days (min-retention-days)"

    def plan_check(selection: BackupSelection, table: Table, plans: Plans) -> tuple[Tri, str]:
        plan = plan_of(selection, plans)
        if isinstance(plan, Unknown):
            return Tri.UNKNOWN, plan.reason
        return _plan_retention(plan, minimum)

    def check(table: Table, pitr: Tri, picks: Sequence[Pick], plans: Plans) -> tuple[Tri, str]:
        if all(tri is Tri.NO for _, tri in picks):
            return Tri.YES, f"no AWS Backup selection selects it: no retention to check " \
                f"({asked})"
        return _some_selection(table, picks, plans, plan_check, asked, vacuous=True)
    return check


def _copy(table: Table, pitr: Tri, picks: Sequence[Pick], plans: Plans) -> tuple[Tri, str]:
    asked = ("the policy requires a copy to another Region (require-copy-to-another-region)")
    if all(tri is Tri.NO for _, tri in picks):
        return Tri.NO, (f"no AWS Backup selection selects it, so no backup of it is copied to "
                        f"another Region (point-in-time recovery stays in its Region); {asked}")
    return _some_selection(table, picks, plans, _plan_copies, asked, vacuous=False)


def _plan_copies(selection: BackupSelection, table: Table, plans: Plans) -> tuple[Tri, str]:
    plan = plan_of(selection, plans)
    if isinstance(plan, Unknown):
        return Tri.UNKNOWN, plan.reason
    name = f"its plan {plan.address}"
    if isinstance(plan.rule_count, Unknown):
        return Tri.UNKNOWN, f"the rules of {name} are unknown ({plan.rule_count.reason})"
    region = selection.region if isinstance(selection.region, str) else table.region
    found = [r for rule in plan.copy_regions if not isinstance(rule, Unknown) for r in rule]
    unknowns = [rule.reason for rule in plan.copy_regions if isinstance(rule, Unknown)]
    unknowns += [r.reason for r in found if isinstance(r, Unknown)]
    other = sorted({r for r in found if isinstance(r, str) and r != SAME_REGION})
    if isinstance(region, str) and any(r != region for r in other):
        dest = next(r for r in other if r != region)
        return Tri.YES, f"{name} copies its recovery points to {dest}, another Region than {region}"
    if other and isinstance(region, Unknown):
        unknowns.append(f"{name} copies to {', '.join(other)}, and its own Region is unknown "
                        f"({region.reason})")
    if unknowns:
        return Tri.UNKNOWN, f"where {name} copies recovery points is unknown ({unknowns[0]})"
    where = f" (only to {region})" if other else ""
    return Tri.NO, f"{name} copies no recovery point to another Region{where}"


def _some_selection(table: Table, picks: Sequence[Pick], plans: Plans,
                    plan_check: Callable[[BackupSelection, Table, Plans], tuple[Tri, str]],
                    asked: str, *, vacuous: bool) -> tuple[Tri, str]:
    """YES when a selection that selects the table passes; NO when every selection that may
    select it fails and (unless `vacuous`: nothing to check when none selects) one does."""
    results = [(sel, tri, *plan_check(sel, table, plans)) for sel, tri in picks
               if tri is not Tri.NO]
    for sel, tri, ok, message in results:
        if tri is Tri.YES and ok is Tri.YES:
            return Tri.YES, f"{sel.address}: {message}; {asked}"
    said = "; ".join(f"{sel.address}{'' if tri is Tri.YES else ' (may select it)'}: {message}"
                     for sel, tri, ok, message in results if ok is not Tri.YES or
                     tri is not Tri.YES)
    all_fail = all(ok is Tri.NO for _, _, ok, _ in results)
    certain = any(tri is Tri.YES for _, tri, _, _ in results) or not vacuous
    return (Tri.NO if all_fail and certain else Tri.UNKNOWN), f"{said}; {asked}"
