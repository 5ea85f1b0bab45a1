"""Why one backup selection does or does not select one table, check by check (`explain`).

The answer itself is always the judge's (`selection.judge_selection`); the checks only show
the steps the judge takes (aws-semantics.md §2): the Region, each Resources pattern, the
Conditions, each ListOfTags entry, the opt-in, each NotResources pattern and the plan. They are
worded for a reader who asks why: which pattern, which condition, which tag.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from analyzer.aws.arn_atoms import names_table_type
from analyzer.aws.arn_match import match_pattern, partition_of
from analyzer.aws.index import foreign_address
from analyzer.aws.outcome import Res
from analyzer.aws.selection import (
    OptIn,
    Plans,
    _other_region,
    _plan,
    describe_pattern,
    fields_of,
    judge_selection,
)
from analyzer.aws.tag_match import bare_key, describe, evaluate, normalize_op
from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Location,
    Pattern,
    Ref,
    TagCondition,
    Tags,
    Tri,
    Unknown,
)
from analyzer.model import Table as TableModel


@dataclass(frozen=True)
class Check:
    """One step of the judge: `subject` is what was tested (`pattern "*"`), `outcome` what it
    gave (`fails: the table has no tag stage`)."""

    step: str  # region | resources | condition | tag | opt_in | not_resources | plan | scope
    result: Tri
    subject: str
    outcome: str
    location: Location | None = None

    @property
    def text(self) -> str:
        return f"{self.subject} {self.outcome}"


@dataclass(frozen=True)
class SelectionExplanation:
    """One selection against the table: the judge's answer, a sentence saying why, the steps."""

    address: str
    unit: str
    kind: str
    location: Location
    result: Tri
    summary: str
    checks: tuple[Check, ...]
    candidate: bool  # the index kept it (else it cannot name the table)
    plan: BackupPlan | None = None


_VERB = {Tri.YES: "holds", Tri.NO: "fails", Tri.UNKNOWN: "may hold"}
NOT_A_CANDIDATE = "not a candidate: its tags and patterns cannot name this table"


def explain_selection(
    selection: BackupSelection, table: TableModel, opt_in: OptIn, plans: Plans, candidate: bool
) -> SelectionExplanation:
    """`table` as the selection sees it (from another unit, under no address it can name)."""
    tri, evidence = judge_selection(selection, table, opt_in, plans)
    checks = _checks(selection, table, opt_in, plans)
    if evidence is not None:
        summary = evidence.message
    else:
        summary = "does not select it: " + _why_not(selection, checks)
        if not candidate and checks[0].result is not Tri.NO:  # not for another Region's
            summary += f"; {NOT_A_CANDIDATE}"
    plan = _plan_of(selection, plans)
    return SelectionExplanation(selection.address, selection.unit, selection.kind,
                                selection.location, tri, summary, tuple(checks), candidate, plan)


def _checks(
    selection: BackupSelection, table: TableModel, opt_in: OptIn, plans: Plans
) -> list[Check]:
    region = _region_check(selection, table)
    if region.result is Tri.NO:
        return [region]
    checks = [region, *_resource_checks(selection, table), *_tag_checks(selection, table)]
    if opt_in.res.tri is not Tri.YES and _tag_only_ways(selection):
        checks.append(Check("opt_in", opt_in.res.tri, "tag-only ways (ListOfTags, a pattern "
                            "that names no table)", f"protect only if opted in: {opt_in.text}"))
    checks += _exclusion_checks(selection, table)
    checks.append(_plan_check(selection, plans))
    if selection.undecided is not None:
        checks.append(Check("scope", Tri.UNKNOWN, "it", f"may not apply: "
                            f"{selection.undecided.reason}", selection.location))
    checks += [Check("scope", Tri.YES, "it", f"rests on: {note}") for note in selection.assumes]
    return checks


def _tag_only_ways(selection: BackupSelection) -> bool:
    """A ListOfTags entry, or a Resources pattern that names no table ("*", a service)."""
    tags, resources = selection.list_of_tags, selection.resources
    if isinstance(tags, Unknown) or isinstance(resources, Unknown) or tags:
        return True
    return any(names_table_type(p) is not Tri.YES for p in resources)


def _region_check(selection: BackupSelection, table: TableModel) -> Check:
    mine, theirs = selection.region, table.region
    if _other_region(selection, table):
        return Check("region", Tri.NO, f"its Region {mine}", f"is not the table's ({theirs}): "
                     "a backup plan selects resources of its own Region only")
    if isinstance(mine, str) and isinstance(theirs, str):
        return Check("region", Tri.YES, f"its Region {mine}", "is the table's")
    if isinstance(mine, str):
        return Check("region", Tri.YES, f"its Region {mine}", "is taken to be the table's, "
                     f"which is not known ({_reason(theirs)})")
    if isinstance(theirs, str):
        return Check("region", Tri.YES, "its Region", f"is not known ({mine.reason}): taken "
                     f"to be the table's, {theirs}")
    reasons = dict.fromkeys((mine.reason, _reason(theirs)))
    return Check("region", Tri.YES, "its Region", "and the table's are not known "
                 f"({'; '.join(reasons)}): taken to be the same")


def _reason(value: str | Unknown) -> str:
    return value.reason if isinstance(value, Unknown) else value


def _resource_checks(selection: BackupSelection, table: TableModel) -> list[Check]:
    name, _, _, cond_name = fields_of(selection)
    resources = selection.resources
    where = selection.location
    if isinstance(resources, Unknown):
        return [Check("resources", Tri.UNKNOWN, f"its {name}", f"are unknown ({resources.reason})",
                      where)]
    checks = [_pattern_check("resources", pattern, table, where) for pattern in resources]
    conditions = selection.conditions
    if not resources:
        return checks
    if isinstance(conditions, Unknown):
        checks.append(Check("condition", Tri.UNKNOWN, f"its {cond_name}",
                            f"are unknown ({conditions.reason})", where))
    else:
        checks += [_tag_check("condition", "condition", c, table.tags) for c in conditions]
    return checks


def _tag_checks(selection: BackupSelection, table: TableModel) -> list[Check]:
    name = fields_of(selection)[2]
    tags = selection.list_of_tags
    if isinstance(tags, Unknown):
        return [Check("tag", Tri.UNKNOWN, f"its {name} entries", f"are unknown ({tags.reason})",
                      selection.location)]
    return [_tag_check("tag", f"{name} entry", cond, table.tags) for cond in tags]


def _exclusion_checks(selection: BackupSelection, table: TableModel) -> list[Check]:
    name = fields_of(selection)[1]
    patterns = selection.not_resources
    where = selection.location
    if isinstance(patterns, Unknown):
        return [Check("not_resources", Tri.UNKNOWN, f"its {name}",
                      f"are unknown ({patterns.reason}): they may exclude it", where)]
    return [_pattern_check("not_resources", p, table, where, name) for p in patterns]


def _pattern_check(
    step: str, pattern: Pattern, table: TableModel, where: Location, field: str = ""
) -> Check:
    res = match_pattern(pattern, table)
    subject = f"{field} {describe_pattern(pattern)}".strip()
    if step == "not_resources":
        said = {Tri.YES: "excludes the table", Tri.NO: "does not exclude it",
                Tri.UNKNOWN: "may exclude it"}[res.tri]
        return Check(step, res.tri, subject, _with_reasons(said, res), where)
    if res.tri is Tri.NO:
        return Check(step, Tri.NO, subject, _no_match(pattern, table), where)
    said = "names the table" if res.tri is Tri.YES else "may name the table"
    return Check(step, res.tri, subject, _with_reasons(said, res), where)


def _no_match(pattern: Pattern, table: TableModel) -> str:
    if not isinstance(pattern, Ref):
        return f"does not match the table's ARN {table_arn(table)}"
    if table.address == foreign_address(replace(table, address=pattern.address)):
        return (f"names {pattern.address} of its own unit: a reference never names a table of "
                "another unit")
    return f"names {pattern.address}, not this table"


def _tag_check(step: str, label: str, cond: TagCondition, tags: Tags) -> Check:
    res = evaluate(cond, tags)
    op = normalize_op(cond.op) or cond.op
    outcome = f"{_VERB[res.tri]}: " + "; ".join(res.reasons or (_tag_fact(cond, tags),))
    if res.notes:
        outcome += "; " + "; ".join(res.notes)
    return Check(step, res.tri, f"{label} {op} {describe(cond)}", outcome, cond.location)


def _tag_fact(cond: TagCondition, tags: Tags) -> str:
    """What the table's tags say about the condition's key."""
    key = bare_key(cond.key)
    if isinstance(key, Unknown):
        return f"its key is unknown ({key.reason})"
    if key not in tags.known:
        return f"the table has no tag {key}"
    value = tags.known[key]
    if isinstance(value, Unknown):
        return f"the table's tag {key} is unknown ({value.reason})"
    return f'the table\'s tag {key} is "{value}"'


def _plan_check(selection: BackupSelection, plans: Plans) -> Check:
    res = _plan(selection, plans)
    plan = _plan_of(selection, plans)
    ref = selection.plan
    if plan is not None:
        return Check("plan", res.tri, f"its plan {plan.address}",
                     _with_reasons(f"has {plan_rules(plan)}", res), plan.location)
    if isinstance(ref, Unknown):
        return Check("plan", Tri.YES, "its plan", f"is unknown ({ref.reason}); AWS requires "
                     "one to exist")
    if ref == selection.address:  # an Organizations backup policy holds its own plans
        return Check("plan", Tri.YES, "its plans", "are part of the policy")
    return Check("plan", Tri.YES, f"its plan {ref}", "is not declared in the scanned code; "
                 "taken to exist, as AWS requires of a selection")


def _plan_of(selection: BackupSelection, plans: Plans) -> BackupPlan | None:
    ref = selection.plan
    return plans.get((selection.unit, ref.address)) if isinstance(ref, Ref) else None


def plan_rules(plan: BackupPlan) -> str:
    """`1 rule (backups kept 35 days)`, `2 rules (backups kept 7 days, until deleted)`."""
    count = plan.rule_count
    if isinstance(count, Unknown):
        return f"rules the code does not decide ({count.reason})"
    if count == 0:
        return "no rule"
    kept = [_retention(days) for days in plan.retention_days]
    said = f" (backups kept {', '.join(kept)})" if kept else ""
    return f"{count} {'rule' if count == 1 else 'rules'}{said}"


def _retention(days: int | Unknown | None) -> str:
    if days is None:
        return "until deleted"
    if isinstance(days, Unknown):
        return f"unknown ({days.reason})"
    return f"{days} {'day' if days == 1 else 'days'}"


def _with_reasons(said: str, res: Res) -> str:
    parts = [said]
    if res.tri is Tri.UNKNOWN and res.reasons:
        parts[0] += ": " + "; ".join(res.reasons)
    parts += list(res.notes)
    return "; ".join(parts)


def _why_not(selection: BackupSelection, checks: list[Check]) -> str:
    """The one sentence for a selection that does not select the table (the judge gave no
    evidence): which step stopped it."""
    region = checks[0]
    if region.result is Tri.NO:
        return region.text
    patterns = [c for c in checks if c.step == "resources"]
    failed = [c for c in checks if c.step == "condition" and c.result is Tri.NO]
    tags = [c for c in checks if c.step == "tag"]
    name, _, tag_name, _ = fields_of(selection)
    listed = next((c for c in patterns if c.result is not Tri.NO), None)
    if listed is not None and failed:
        said = f"lists the table ({listed.subject}), but its {failed[0].text}"
    elif patterns:
        said = f"none of its {name} names the table"
    else:
        said = f"it lists no {name}"
    if tags:
        said += "; " + "; ".join(f"its {c.text}" for c in tags)
    elif not patterns:
        said += f" and no {tag_name}"
    return said


def table_arn(table: TableModel) -> str:
    """The table's ARN as far as the code decides it (`?` for what it does not)."""
    region = table.region if isinstance(table.region, str) else "?"
    name = table.name if isinstance(table.name, str) else "?"
    partition = partition_of(region) if region != "?" else "?"
    return f"arn:{partition}:dynamodb:{region}:?:table/{name}"
