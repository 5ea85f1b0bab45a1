"""JUnit XML, as Jenkins, GitLab and most CI dashboards read it.

`<testsuites><testsuite name="iac-ddb-lint"><testcase .../></testsuite></testsuites>`: one test
case per DynamoDB table and verdict rule (DDB001 "is protected", DDB002 "protection is decided"),
passes included, so a dashboard shows every table. A finding of another rule (a selection
construct, an ignore without reason) is a failed case of its own, a suppressed finding a skipped
case with its reason, an unreadable input an `<error>` case. Warning-level findings fail their
case too (its text ends with the rule's short fix and documentation link): the report says
what each rule found; the exit code follows `--fail-on`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from analyzer.catalog import UNKNOWN_RULE, UNPROTECTED_RULE
from analyzer.model import Finding, LoadError, Location, Verdict
from analyzer.report import display_prefix, finding_name, fix_hint, printable
from analyzer.report.ci import repo_path, start_line, table_name
from analyzer.report.text import sorted_errors, sorted_verdicts

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.pipeline import ScanResult

SUITE = "iac-ddb-lint"
VERDICT_RULES = (UNPROTECTED_RULE, UNKNOWN_RULE)
# XML 1.0 cannot carry most control characters, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

Case = tuple[str, str, str, int, ET.Element | None]  # classname, name, file, line, outcome


def render(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    prefix = display_prefix(result)
    by_table: dict[tuple[str, str, str, Location], list[Finding]] = {}
    for finding in findings:
        if finding.rule_id in VERDICT_RULES:
            key = (finding.rule_id, finding.unit, finding.resource, finding.location)
            by_table.setdefault(key, []).append(finding)
    cases: list[Case] = []
    for verdict in sorted_verdicts(result.verdicts):
        cases += _table_cases(verdict, rules, by_table, prefix)
    judged = {
        (rule_id, v.table.unit, v.table.address, v.table.location)
        for v in result.verdicts
        for rule_id in VERDICT_RULES
    }
    names = {rule.id: rule.name for rule in rules}
    cases += [
        _finding_case(f, names, prefix, rules)
        for f in findings
        if (f.rule_id, f.unit, f.resource, f.location) not in judged
    ]
    cases += [_error_case(e, prefix) for e in sorted_errors(result.inventory.errors)]
    return _document(cases, result.baselined)


def _table_cases(
    verdict: Verdict,
    rules: list[Rule],
    by_table: dict[tuple[str, str, str, Location], list[Finding]],
    prefix: str,
) -> list[Case]:
    table = verdict.table
    path = repo_path(prefix, table.location.file)
    cases: list[Case] = []
    for rule in rules:
        if rule.id not in VERDICT_RULES:
            continue
        candidates = by_table.get((rule.id, table.unit, table.address, table.location), [])
        finding = _own_finding(verdict, candidates)
        outcome = _outcome(finding, path, rules) if finding else None
        name = f"{table_name(verdict)}: {rule.name}"
        cases.append((f"{SUITE}.{rule.id}", name, path, table.location.line, outcome))
    return cases


def _own_finding(verdict: Verdict, candidates: list[Finding]) -> Finding | None:
    """The finding about this table, not about a replica at the same place (or vice versa):
    a replica's message names its Region."""
    region = verdict.table.replica_region
    for finding in candidates:
        about_replica = "(replica in " in finding.message
        if (region is None and not about_replica) or (
            region is not None and f"(replica in {region})" in finding.message
        ):
            return finding
    return None


def _finding_case(
    finding: Finding, names: dict[str, str], prefix: str, rules: list[Rule]
) -> Case:
    path = repo_path(prefix, finding.location.file)
    name = f"{finding_name(finding)}: {names.get(finding.rule_id, finding.rule_id)}"
    outcome = _outcome(finding, path, rules)
    return (f"{SUITE}.{finding.rule_id}", name, path, finding.location.line, outcome)


def _error_case(error: LoadError, prefix: str) -> Case:
    path = repo_path(prefix, error.location.file)
    outcome = ET.Element("error", {"message": _clean(error.message), "type": "unreadable-input"})
    outcome.text = _clean(f"{path}:{error.location.line}:{error.location.col}: {error.message}")
    return (f"{SUITE}.load", f"{path}: can be read", path, error.location.line, outcome)


def _outcome(finding: Finding, path: str, rules: list[Rule]) -> ET.Element:
    if finding.suppressed:
        reason = f"suppressed: {finding.suppression_reason}"
        return ET.Element("skipped", {"message": _clean(reason)})
    element = ET.Element("failure", {"message": _clean(finding.message), "type": finding.rule_id})
    where = f"{path}:{start_line(finding.location.line)}"
    text = f"{where}: {finding.rule_id} {finding_name(finding)}: {finding.message}"
    hint = fix_hint(finding, rules)
    element.text = _clean(f"{text}\nfix: {hint}" if hint else text)  # _clean escapes a \n
    return element


def _document(cases: list[Case], baselined: int | None = None) -> str:
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c[4] is not None and c[4].tag == "failure"),
        "errors": sum(1 for c in cases if c[4] is not None and c[4].tag == "error"),
        "skipped": sum(1 for c in cases if c[4] is not None and c[4].tag == "skipped"),
    }
    attrs = {key: str(value) for key, value in counts.items()}
    root = ET.Element("testsuites", {"name": SUITE, **attrs, "time": "0"})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **attrs, "time": "0"})
    if baselined is not None:  # a baseline was used: how many findings it hid (not cases here)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", {"name": "baselined", "value": str(baselined)})
    for classname, name, path, line, outcome in cases:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": classname,
                "name": _clean(name),
                "file": _clean(path),
                "line": str(start_line(line)),
                "time": "0",
            },
        )
        if outcome is not None:
            case.append(outcome)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", printable(text))
