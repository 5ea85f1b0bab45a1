"""One backup selection against one table (aws-semantics.md §2):

    selected = (any Resources pattern matches and all Conditions hold) or (any ListOfTags holds)
    selected = selected and not (any NotResources pattern matches)

Tag-only ways (ListOfTags, `"*"` or a service prefix) protect only where DynamoDB is opted in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analyzer.aws.arn_atoms import names_table_type
from analyzer.aws.arn_match import match_pattern
from analyzer.aws.evidence import explain
from analyzer.aws.outcome import NO, YES, Res, unknown
from analyzer.aws.tag_match import describe, evaluate
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Evidence,
    Location,
    Pattern,
    Ref,
    Table,
    TagCondition,
    Tri,
    Unknown,
)

# Plans by (unit, address): a selection's plan reference names a plan of its own unit.
Plans = dict[tuple[str, str], BackupPlan]

_TERRAFORM_FIELDS = ("resources", "not_resources", "selection_tag", "condition")
_CFN_FIELDS = ("Resources", "NotResources", "ListOfTags", "Conditions")
_POLICY_FIELDS = ("selections.resources", "not_resources", "selections.tags", "conditions")
_DECLARED_FIELDS = ("resources", "not_resources", "external-selection", "conditions")


@dataclass(frozen=True)
class OptIn:
    """Whether AWS Backup manages DynamoDB in the table's Region: YES, NO (opted out), UNKNOWN."""

    res: Res
    text: str = ""  # what to say when it is not YES


@dataclass(frozen=True)
class _Way:
    """One way the selection may pick the table: a resources pattern, or a ListOfTags entry."""

    res: Res
    says: str
    location: Location
    typed: Tri  # names the resource type or the table (works even when opted out)


def fields_of(selection: BackupSelection) -> tuple[str, str, str, str]:
    """The user's names for resources, not_resources, tags and conditions in this format."""
    if selection.kind == "aws_organizations_policy":
        return _POLICY_FIELDS
    if selection.kind == "external-selection":  # declared in the configuration (external/)
        return _DECLARED_FIELDS
    return _CFN_FIELDS if selection.kind.startswith("AWS::") else _TERRAFORM_FIELDS


def describe_pattern(pattern: Pattern) -> str:
    if isinstance(pattern, Ref):
        return f"reference {pattern}"
    if isinstance(pattern, Unknown):
        return f"an unknown pattern ({pattern.reason})"
    return f'pattern "{pattern}"'


def judge_selection(
    selection: BackupSelection, table: Table, opt_in: OptIn, plans: Plans
) -> tuple[Tri, Evidence | None]:
    """The selection's answer for the table, and evidence when it selects or nearly does."""
    if _other_region(selection, table):
        return Tri.NO, None  # plans are per Region
    ways = _resource_ways(selection, table) + _tag_ways(selection, table)
    raw = _best(ways, lambda w: w.res)
    if raw is None:
        return Tri.NO, None
    chosen = _best(ways, lambda w: w.res & (Res(w.typed) | opt_in.res))
    if chosen is None:  # every way that selects is tag-only, and DynamoDB is opted out
        verb = "would" if raw.res.tri is Tri.YES else "might"
        why = f"{opt_in.text}, and tag-only assignments do not protect it"
        return Tri.NO, _evidence(selection, raw, NO, f"{verb} select it by {raw.says}, but {why}")
    return _finish(selection, table, chosen, chosen.res, plans)


def _finish(
    selection: BackupSelection, table: Table, way: _Way, res: Res, plans: Plans
) -> tuple[Tri, Evidence]:
    """Apply NotResources and the plan, then word the evidence."""
    excluded, excluded_by = _exclusion(selection, table)
    if excluded.tri is Tri.YES:
        text = f"{'selected' if res.tri is Tri.YES else 'may select it'} by {way.says}, "
        return Tri.NO, _evidence(selection, way, NO, text + f"but excluded by {excluded_by}")
    plan = _plan(selection, plans)
    if plan.tri is Tri.NO:
        text = f"would select it by {way.says}, but {plan.reasons[0]}"
        return Tri.NO, _evidence(selection, way, NO, text)
    res = res & ~excluded & plan & _outside(selection)
    if isinstance(selection.region, str) and not isinstance(table.region, str):
        res = res.with_note(f"assuming the table is in the selection's Region {selection.region}")
    head = f"selected by {way.says}" if res.tri is Tri.YES else f"may select it by {way.says}"
    return res.tri, _evidence(selection, way, res, explain(head, res))


def _outside(selection: BackupSelection) -> Res:
    """What the selection rests on beyond the code (e.g. where a policy is attached)."""
    res = YES if selection.undecided is None else unknown(selection.undecided.reason)
    for note in selection.assumes:
        res = res.with_note(note)
    return res


def _evidence(selection: BackupSelection, way: _Way, res: Res, message: str) -> Evidence:
    kind = "backup_policy" if "policy" in selection.kind.lower() else "backup_selection"
    return Evidence(kind, res.tri, message, selection.address, way.location)


def _other_region(selection: BackupSelection, table: Table) -> bool:
    both = isinstance(selection.region, str) and isinstance(table.region, str)
    return both and selection.region != table.region


def _best(ways: list[_Way], score: Callable[[_Way], Res]) -> _Way | None:
    """The first way that selects, else the first that may; None if none does."""
    scored = [_Way(score(w), w.says, w.location, w.typed) for w in ways]
    for tri in (Tri.YES, Tri.UNKNOWN):
        found = next((w for w in scored if w.res.tri is tri), None)
        if found is not None:
            return found
    return None


def _conditions(selection: BackupSelection, table: Table) -> tuple[Res, str]:
    """All Conditions hold (AND); an empty list holds. Returns the result and their description."""
    conditions = selection.conditions
    if isinstance(conditions, Unknown):
        return unknown(f"its {fields_of(selection)[3]} are unknown ({conditions.reason})"), ""
    res = YES
    for cond in conditions:
        res = res & evaluate(cond, table.tags)
    plural = "condition" if len(conditions) == 1 else "conditions"
    says = f" and {plural} " + ", ".join(describe(c) for c in conditions) if conditions else ""
    return res, says


def _resource_ways(selection: BackupSelection, table: Table) -> list[_Way]:
    name = fields_of(selection)[0]
    resources = selection.resources
    if isinstance(resources, Unknown):
        res = unknown(f"its {name} are unknown ({resources.reason})")
        return [_Way(res, name, selection.location, Tri.UNKNOWN)]
    conditions, cond_says = _conditions(selection, table)
    ways = []
    for pattern in resources:
        res = match_pattern(pattern, table) & conditions
        says = describe_pattern(pattern) + cond_says
        ways.append(_Way(res, says, selection.location, names_table_type(pattern)))
    return ways


def _tag_ways(selection: BackupSelection, table: Table) -> list[_Way]:
    name = fields_of(selection)[2]
    tags = selection.list_of_tags
    if isinstance(tags, Unknown):
        res = unknown(f"its {name} entries are unknown ({tags.reason})")
        return [_Way(res, name, selection.location, Tri.NO)]
    return [_tag_way(cond, table, name) for cond in tags]


def _tag_way(cond: TagCondition, table: Table, field_name: str) -> _Way:
    return _Way(
        evaluate(cond, table.tags), f"tag {describe(cond)} ({field_name})", cond.location, Tri.NO
    )


def _exclusion(selection: BackupSelection, table: Table) -> tuple[Res, str]:
    """Any NotResources pattern matches (OR), and which one."""
    name = fields_of(selection)[1]
    patterns = selection.not_resources
    if isinstance(patterns, Unknown):
        return unknown(f"it may be excluded: its {name} are unknown ({patterns.reason})"), name
    matches = [(pattern, match_pattern(pattern, table)) for pattern in patterns]
    for pattern, res in matches:
        if res.tri is Tri.YES:
            return res, f"{name} {describe_pattern(pattern)}"
    reasons = []
    for pattern, res in matches:
        if res.tri is Tri.UNKNOWN:
            why = "; ".join(res.reasons)
            reasons.append(f"it may be excluded by {name} {describe_pattern(pattern)} ({why})")
    return (unknown("; ".join(reasons)), name) if reasons else (NO, "")


def _plan(selection: BackupSelection, plans: Plans) -> Res:
    """A selection protects only through a plan with a rule (AWS requires one; check anyway).
    A NO carries the reason as its only reason."""
    ref = selection.plan
    plan = plans.get((selection.unit, ref.address)) if isinstance(ref, Ref) else None
    if plan is None:
        return YES
    # A plan that may not exist (undecided count/for_each) protects nothing for certain.
    exists = YES if plan.exists is None else unknown(
        f"its plan may not exist: {plan.exists.reason}")
    if isinstance(plan.rule_count, int) and plan.rule_count > 0:
        return exists
    if isinstance(plan.rule_count, Unknown):
        return exists & unknown(
            f"whether its plan {plan.address} has a rule is unknown ({plan.rule_count.reason})"
        )
    return Res(Tri.NO, (f"its plan {plan.address} has no rule",))
