"""Rules over verdicts: turn each table's verdict and each selection's warnings into findings,
then apply inline suppressions. Pure functions of the scan result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from analyzer.catalog import (
    NO_REASON_RULE,
    NOT_ANALYSED_RULE,
    POLICY_RULES,
    SELECTION_RULE,
    UNKNOWN_RULE,
    UNPROTECTED_RULE,
    Rule,
)
from analyzer.model import (
    OUR_TOOL,
    Evidence,
    Finding,
    Location,
    Notice,
    Status,
    Suppression,
    Table,
    Tri,
    Verdict,
)

if TYPE_CHECKING:
    from analyzer.pipeline import ScanResult

SEVERITY_RANK = {"warning": 1, "error": 2}
# --unknown: an undecided verdict (DDB002, or a policy rule that is undecided) is a warning
# (warn), counts as an error for the report and the exit code (fail), or is not reported
# (ignore; the table's verdict still says unknown, in JSON and with -v).
UNKNOWN_MODES = ("warn", "fail", "ignore")
_UNKNOWN_SEVERITY = {"warn": "warning", "fail": "error"}


def evaluate(result: ScanResult, rules: list[Rule], honor_peer_waivers: bool = True,
             today: date | None = None, unknown: str = "warn") -> list[Finding]:
    """All findings of the `rules` given (a rule left out is not evaluated), suppressions
    applied, sorted by file, line, rule id, resource and message. Other tools' waivers of
    their PITR check count unless `honor_peer_waivers` is off; one whose `exp:` date is not
    after `today` (UTC, as trivy compares) is not honoured, and the finding says so.
    `unknown` says what an undecided verdict does (--unknown: UNKNOWN_MODES)."""
    by_id = {rule.id: rule for rule in rules}
    today = today or datetime.now(timezone.utc).date()
    raw: list[Finding] = []
    unread = _unread_modules(result.inventory.notices)
    for verdict in result.verdicts:
        if verdict.required is None:
            found = _verdict_findings(verdict, by_id, unread)
        else:
            found = policy_findings(verdict, by_id, unread)
        raw.extend(with_unknown_mode(found, unknown))
    if SELECTION_RULE in by_id:
        raw.extend(_selection_findings(result, by_id[SELECTION_RULE]))
    raw.extend(_notice_findings(result, by_id))
    suppressions = result.inventory.suppressions
    if not honor_peer_waivers:
        suppressions = {address: [item for item in items if item.tool == OUR_TOOL]
                        for address, items in suppressions.items()}
    findings, used = [], set()
    for finding in raw:
        done, peer = _suppress(finding, suppressions.get(finding.resource, ()), today)
        findings.append(done)
        if peer is not None:
            used.add(peer)
    if NO_REASON_RULE in by_id:
        findings.extend(_no_reason_findings(suppressions, by_id[NO_REASON_RULE], used))
    return sorted(findings, key=finding_sort_key)


def finding_sort_key(finding: Finding) -> tuple[str, int, str, str, str, str]:
    loc = finding.location
    return (loc.file, loc.line, finding.rule_id, finding.resource, finding.message, finding.unit)


def exit_code(result: ScanResult, findings: list[Finding], fail_on: str = "error") -> int:
    """2 when an input could not be read (fail closed), 1 when an unsuppressed finding is at or
    above `fail_on`, else 0."""
    if result.inventory.errors:
        return 2
    threshold = SEVERITY_RANK[fail_on]
    for finding in findings:
        if not finding.suppressed and SEVERITY_RANK.get(finding.severity, 2) >= threshold:
            return 1
    return 0


def _verdict_findings(verdict: Verdict, by_id: dict[str, Rule], unread: str = ""
                      ) -> list[tuple[Finding, bool]]:
    """DDB001 or DDB002, flagged when undecided."""
    if verdict.status is Status.UNPROTECTED:
        rule_id, message = UNPROTECTED_RULE, unprotected_message(verdict) + unread
    elif verdict.status is Status.UNKNOWN:
        rule_id, message = UNKNOWN_RULE, unknown_message(verdict)
    else:
        return []
    rule = by_id.get(rule_id)
    if rule is None:
        return []
    table = verdict.table
    finding = Finding(rule.id, rule.severity, table.address, table.location, message,
                      unit=table.unit)
    return [(finding, rule_id == UNKNOWN_RULE)]


def policy_findings(verdict: Verdict, by_id: dict[str, Rule], unread: str = ""
                    ) -> list[tuple[Finding, bool]]:
    """Under a policy: DDB001/DDB002 for the requirement alone (`verdict.required`), and one
    finding for each policy rule that fails or is undecided; each flagged when undecided."""
    status = verdict.required
    table = verdict.table
    policy = [ev for ev in verdict.evidence if ev.kind == "policy"]
    # the requirement's own words when it is what decided (an unreadable input may have)
    tri = {Status.UNPROTECTED: Tri.NO, Status.UNKNOWN: Tri.UNKNOWN}.get(status or Status.UNKNOWN)
    said = [ev.message for ev in policy if ev.source == "require" and ev.applies is tri]
    out: list[tuple[Finding, bool]] = []
    if status is Status.UNPROTECTED:
        message = (status_phrase("not protected", verdict) + ": " + said[0] if said
                   else unprotected_message(verdict)) + unread
        out += _finding(by_id.get(UNPROTECTED_RULE), table, message, False)
    elif status is Status.UNKNOWN:
        message = (status_phrase("protection unknown", verdict) + ": " + said[0] if said
                   else unknown_message(verdict))
        out += _finding(by_id.get(UNKNOWN_RULE), table, message, True)
    for rule_id in POLICY_RULES:
        items = [ev for ev in policy if ev.source == rule_id]
        worst = next((tri for tri in (Tri.NO, Tri.UNKNOWN) if any(
            ev.applies is tri for ev in items)), None)
        if worst is not None:
            text = "; ".join(ev.message for ev in items if ev.applies is worst)
            phrase = "policy not met" if worst is Tri.NO else "policy undecided"
            out += _finding(by_id.get(rule_id), table,
                            f"{status_phrase(phrase, verdict)}: {text}", worst is Tri.UNKNOWN)
    return out


def _finding(rule: Rule | None, table: Table, message: str, undecided: bool
             ) -> list[tuple[Finding, bool]]:
    if rule is None:
        return []
    severity = "warning" if undecided else rule.severity
    finding = Finding(rule.id, severity, table.address, table.location, message, unit=table.unit)
    return [(finding, undecided)]


def with_unknown_mode(found: list[tuple[Finding, bool]], unknown: str) -> list[Finding]:
    """The findings, the undecided ones as --unknown says."""
    if unknown == "ignore":
        return [finding for finding, undecided in found if not undecided]
    severity = _UNKNOWN_SEVERITY[unknown]
    return [replace(finding, severity=severity) if undecided else finding
            for finding, undecided in found]


def unprotected_message(verdict: Verdict) -> str:
    """E.g. "not protected: point-in-time recovery is not enabled (...) and no AWS Backup
    selection selects it"."""
    pitr = [ev for ev in verdict.evidence if ev.kind == "pitr"]
    pitr_text = pitr[0].message if pitr else "point-in-time recovery is not enabled"
    others = [ev for ev in verdict.evidence if ev.kind not in ("pitr", "policy")]
    # The coverage engine sums up with one source-less item and explains near misses (excluded
    # by not_resources, opted out) with items naming their selection.
    summary = next((ev.message for ev in others if ev.sums_up()), None)
    backup_text = summary or "no AWS Backup selection selects it"
    near_misses = [_describe(ev) for ev in others if not ev.sums_up()]
    if near_misses:
        backup_text += "; " + "; ".join(near_misses)
    return f"{status_phrase('not protected', verdict)}: {pitr_text} and {backup_text}"


def unknown_message(verdict: Verdict) -> str:
    """E.g. "protection unknown: aws_backup_selection.tagged: tag `backup` is set from
    var.tier, which has no default"."""
    undecided = [_describe(ev) for ev in verdict.evidence
                 if ev.applies is Tri.UNKNOWN and ev.kind != "policy"]
    reasons = "; ".join(undecided) if undecided else "the code does not decide it statically"
    return f"{status_phrase('protection unknown', verdict)}: {reasons}"


def status_phrase(phrase: str, verdict: Verdict) -> str:
    # The label (a CDK construct path) is the name the user knows for a hashed logical id.
    label, region = verdict.table.label, verdict.table.replica_region
    said = [text for text in (label, region and f"replica in {region}") if text]
    return f"{phrase} ({', '.join(said)})" if said else phrase


def _describe(evidence: Evidence) -> str:
    # PITR evidence is about the table itself; a selection's evidence needs its name.
    if evidence.kind == "pitr" or evidence.sums_up() or evidence.source in evidence.message:
        return evidence.message
    return f"{evidence.source}: {evidence.message}"


def _selection_findings(result: ScanResult, rule: Rule) -> list[Finding]:
    if not result.inventory.selections:
        return []
    from analyzer.aws import selection_warnings  # lazy: the coverage code is only needed here
    from analyzer.external.imported import is_external

    findings = []
    for selection in result.inventory.selections:
        if is_external(selection.unit):
            continue  # its constructs are the exporting repository's to fix (and report)
        for message, location in selection_warnings(selection):
            findings.append(Finding(rule.id, rule.severity, selection.address, location, message,
                                    unit=selection.unit))
    return findings


def _unread_modules(notices: Iterable[Notice]) -> str:
    """What an unprotected table's message adds when remote modules were not read: a backup
    selection declared in one could select the table (the verdict stays: nothing read selects
    it)."""
    sources = sorted({n.group or n.resource for n in notices if n.rule_id == NOT_ANALYSED_RULE})
    if not sources:
        return ""
    first = f'"{sources[0]}"' + (f" and {len(sources) - 1} more" if len(sources) > 1 else "")
    return (f"; modules from {first} were not analysed (DDB005), and a backup selection "
            "they declare could select it")


GROUP_LISTED = 5  # call sites named in a grouped notice; the rest are counted


def _notice_findings(result: ScanResult, by_id: dict[str, Rule]) -> list[Finding]:
    """Loader notices (e.g. DDB005, a module that was not analysed), under their rule: one
    finding per rule, group and unit (a module source called 69 times in a root is one warning,
    at its first call, naming the others), so the one that matters is not buried."""
    groups: dict[tuple[str, str, str], list[Notice]] = {}
    for notice in result.inventory.notices:
        # within one unit: a waiver on the finding must not reach another root's calls
        key = (notice.rule_id, notice.group or f"\0{notice.resource}\0{notice.location}",
               notice.unit)
        groups.setdefault(key, []).append(notice)
    findings = []
    for (rule_id, _, _), members in groups.items():
        rule = by_id.get(rule_id)
        if rule is None:
            continue
        members.sort(key=lambda n: (n.location.file, n.location.line, n.resource, n.unit))
        first, others = members[0], members[1:]
        message = first.message
        if others:
            named = ", ".join(f"{n.resource} ({n.location.file}:{n.location.line})"
                              for n in others[:GROUP_LISTED])
            more = len(others) - GROUP_LISTED
            message += (f"; also called by {named}" + (f" and {more} more" if more > 0 else ""))
        findings.append(Finding(rule.id, rule.severity, first.resource, first.location, message,
                                unit=first.unit))
    return findings


def _suppress(finding: Finding, suppressions: Iterable[Suppression], today: date
              ) -> tuple[Finding, Suppression | None]:
    """Honour the first matching ignore of the finding's own unit that gives a reason (the same
    address in another root or template is another resource); an ignore without a reason is
    not honoured (DDB003 reports it instead). A peer's waiver of its PITR check waives DDB001
    and DDB002 (the team accepts the table without PITR; an unknown verdict is at worst that),
    with or without a reason (its tool honours it either way), until its expiry date; it is
    returned with the finding, so that DDB003 asks a reason only of the waivers that count."""
    expired = []
    for item in suppressions:
        if item.unit != finding.unit or not _waives(item, finding.rule_id):
            continue
        if item.tool == OUR_TOOL:
            if item.reason.strip():
                return replace(finding, suppressed=True,
                               suppression_reason=item.reason.strip()), None
        elif _expired(item, today):
            expired.append(f"the {item.tool} waiver {item.waives} ({item.location}) expired on "
                           f"{item.expires}, so it is not honoured")
        else:
            return replace(finding, suppressed=True, suppression_reason=peer_reason(item)), item
    if expired:
        return replace(finding, message=f"{finding.message}; {'; '.join(expired)}"), None
    return finding, None


def _waives(item: Suppression, rule_id: str) -> bool:
    if item.tool == OUR_TOOL:
        return item.rule_id == rule_id
    return rule_id in (UNPROTECTED_RULE, UNKNOWN_RULE)


def _expired(item: Suppression, today: date) -> bool:
    """trivy and tfsec honour `exp:DATE` until the start of that day (UTC); a date they cannot
    read ends the waiver at once."""
    if not item.expires:
        return False
    try:
        return date.fromisoformat(item.expires) <= today
    except ValueError:
        return True


def peer_reason(item: Suppression) -> str:
    """E.g. "checkov: CKV_AWS_28: lock table, nothing to restore"."""
    reason = item.reason.strip()
    return f"{item.tool}: {item.waives}: {reason}" if reason else (
        f"{item.tool}: {item.waives} (no reason given)")


def _no_reason_findings(suppressions: dict[str, list[Suppression]], rule: Rule,
                        used_peers: set[Suppression]) -> list[Finding]:
    """Our own ignores without a reason (not honoured), and the peers' waivers without one that
    suppressed a finding (one on a table found protected anyway asks nothing)."""
    findings = []
    seen: set[tuple[str, Location, str, str]] = set()  # one comment read by several roots: once
    for address, items in suppressions.items():
        for item in items:
            key = (address, item.location, item.rule_id, item.waives)
            unused_peer = item.tool != OUR_TOOL and item not in used_peers
            if item.reason.strip() or key in seen or unused_peer:
                continue
            seen.add(key)
            findings.append(Finding(rule.id, rule.severity, address, item.location,
                                    _no_reason_message(item), unit=item.unit))
    return findings


def _no_reason_message(item: Suppression) -> str:
    if item.tool == OUR_TOOL:
        return (f"`iac-ddb-lint:ignore {item.rule_id}` gives no reason, so it is not honoured; "
                f"write `iac-ddb-lint:ignore {item.rule_id} <reason>`")
    where = _REASON_PLACE.get(item.tool, "after it on the same line")
    return (f"the {item.tool} waiver {item.waives} gives no reason; it is honoured as "
            f"{item.tool} honours it, but write why the table needs no backup {where}")


_REASON_PLACE = {
    "checkov": "after the id (checkov:skip=ID:<reason>), or in `comment:` in Metadata",
    "cfn_nag": "in its `reason:`",
}
