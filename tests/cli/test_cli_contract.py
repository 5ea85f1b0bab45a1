"""The command-line contract, the rule catalog and the engine (findings, suppression, exit code),
on scan results built by hand: the real scan is exercised by the fixture tests."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import hcl2
import pytest
import yaml
from click.testing import CliRunner
from support.hand_built import NO_PITR, render, sample_result, verdict
from support.paths import REPO

from analyzer import __version__, pipeline
from analyzer.catalog import RuleFileError, _load_dir, load_rules, rules_dir
from analyzer.cli import main
from analyzer.engine import evaluate, exit_code
from analyzer.model import BackupSelection, LoadError, Location, Status, Suppression
from analyzer.pipeline import ScanResult


@pytest.fixture
def fake_scan(monkeypatch: pytest.MonkeyPatch) -> list[ScanResult]:
    """Make the CLI's scan return the ScanResult the test puts in the list."""
    box: list[ScanResult] = []
    monkeypatch.setattr(pipeline, "scan", lambda paths: box[0])
    return box


# ---------------------------------------------------------------- command line


def test_version() -> None:
    out = CliRunner().invoke(main, ["--version"])
    assert (out.exit_code, out.output) == (0, f"iac-ddb-lint {__version__}\n")


def test_list_rules_shows_every_rule_file() -> None:
    out = CliRunner().invoke(main, ["--list-rules"])
    assert out.exit_code == 0
    ids = [p.name.split("-")[0] for p in sorted((REPO / "rules").glob("*.yaml"))]
    assert len(ids) >= 4
    lines = out.output.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "NAME", "SUMMARY"]
    assert [line.split()[0] for line in lines[1:]] == ids
    assert len({line.index(line.split()[2]) for line in lines[1:]}) == 1  # aligned columns
    listed = json.loads(CliRunner().invoke(main, ["--list-rules", "--format", "json"]).output)
    assert [item["id"] for item in listed] == ids


def test_missing_path_is_a_usage_error() -> None:
    out = CliRunner().invoke(main, ["does/not/exist"])
    assert out.exit_code == 2
    assert "does/not/exist" in out.output and "does not exist" in out.output


def test_bad_option_value_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["--format", "xml"]).exit_code == 2


def test_internal_error_is_reported_without_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom(paths: list[str]) -> ScanResult:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "scan", boom)
    monkeypatch.delenv("IAC_DDB_LINT_DEBUG", raising=False)
    out = CliRunner().invoke(main, [str(tmp_path)])
    assert out.exit_code == 2
    assert "iac-ddb-lint: internal error: RuntimeError: boom" in out.stderr
    assert "Traceback" not in out.output and out.stdout == ""


@pytest.mark.parametrize(
    ("fail_on", "statuses", "errors", "expected"),
    [
        ("error", [Status.PROTECTED], False, 0),
        ("error", [Status.UNPROTECTED], False, 1),
        ("error", [Status.UNKNOWN], False, 0),  # DDB002 is a warning
        ("warning", [Status.UNKNOWN], False, 1),
        ("error", [Status.PROTECTED], True, 2),
        ("error", [Status.UNPROTECTED], True, 2),  # unreadable input wins: fail closed
    ],
)
def test_exit_code(
    fake_scan: list[ScanResult],
    tmp_path: Path,
    fail_on: str,
    statuses: list[Status],
    errors: bool,
    expected: int,
) -> None:
    result = ScanResult(tmp_path)
    result.verdicts = [
        verdict(f"aws_dynamodb_table.t{i}", s, i + 1) for i, s in enumerate(statuses)
    ]
    if errors:
        result.inventory.errors = [LoadError(Location("x.tf", 1, 1), "bad")]
    fake_scan.append(result)
    out = CliRunner().invoke(main, ["--fail-on", fail_on, str(tmp_path)])
    assert out.exit_code == expected, out.output
    assert exit_code(result, evaluate(result, load_rules()), fail_on) == expected


def test_suppressed_finding_does_not_fail_the_run(
    fake_scan: list[ScanResult], tmp_path: Path
) -> None:
    result = ScanResult(tmp_path)
    result.verdicts = [verdict("aws_dynamodb_table.cache", Status.UNPROTECTED, 5)]
    result.inventory.suppressions = {
        "aws_dynamodb_table.cache": [Suppression("DDB001", "a cache", Location("main.tf", 4))]
    }
    fake_scan.append(result)
    out = CliRunner().invoke(main, [str(tmp_path)])
    assert out.exit_code == 0
    assert out.output == "1 table: 0 protected, 1 unprotected, 0 unknown, 1 suppressed\n"


def test_cli_text_and_json(fake_scan: list[ScanResult]) -> None:
    fake_scan.append(sample_result())
    text = CliRunner().invoke(main, ["."])
    assert text.exit_code == 2  # the load error
    assert "\033[" not in text.output  # CliRunner is not a terminal: no colour
    assert text.output == render(sample_result())
    as_json = CliRunner().invoke(main, ["--format", "json", "."])
    assert as_json.output == render(sample_result(), "json")
    verbose = CliRunner().invoke(main, ["-v", "."]).output
    assert "aws_dynamodb_table.orders (main.tf:1): protected" in verbose


# ---------------------------------------------------------------- rule catalog


def test_rules_load_and_document_both_formats() -> None:
    rules = load_rules()
    files = sorted((REPO / "rules").glob("*.yaml"))
    assert [r.id for r in rules] == [f.name[:6] for f in files]
    assert {r.id: r.severity for r in rules}["DDB001"] == "error"
    for rule in rules:
        assert rule.severity in ("error", "warning") and rule.why and rule.summary
        assert hcl2.loads(rule.fix_terraform), rule.id  # the Terraform example parses
        template = yaml.load(rule.fix_cloudformation, Loader=_CfnLoader)
        assert all(res["Type"].startswith("AWS::") for res in template["Resources"].values())


def test_ddb001_examples_show_both_protections() -> None:
    ddb001 = {r.id: r for r in load_rules()}["DDB001"]
    for needle in ("point_in_time_recovery", "aws_backup_plan", "aws_backup_selection"):
        assert needle in ddb001.fix_terraform
    for needle in ("PointInTimeRecoverySpecification", "AWS::Backup::BackupSelection"):
        assert needle in ddb001.fix_cloudformation


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that accepts CloudFormation short-form tags (!Ref, !GetAtt, !Sub ...)."""


_CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: {suffix: str(node.value)})


def _write_rule(directory: Path, name: str, **override: object) -> None:
    data: dict[str, object] = {
        "id": name[:6],
        "name": name[7:],
        "severity": "warning",
        "summary": "one line",
        "short_fix": "do this",
        "docs": {"why": "because", "fix": {"terraform": "x = 1", "cloudformation": "A: 1"}},
    }
    data.update(override)
    (directory / f"{name}.yaml").write_text(yaml.safe_dump(data))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"severity": "fatal"}, "severity 'fatal'"),
        ({"id": "DDB002"}, "does not match the file name"),
        ({"summary": ""}, "'summary'"),
        ({"short_fix": ""}, "'short_fix'"),
        ({"short_fix": "a\nb"}, "short_fix must be one line"),
        ({"docs": {"why": "x", "fix": {"terraform": "x = 1"}}}, "'cloudformation'"),
        ({"docs": "none"}, "'docs'"),
    ],
)
def test_rule_validation(tmp_path: Path, override: dict[str, object], message: str) -> None:
    _write_rule(tmp_path, "DDB001-good-rule", **override)
    with pytest.raises(RuleFileError, match=message) as info:
        _load_dir(str(tmp_path))
    assert "DDB001-good-rule.yaml" in str(info.value)


def test_rules_dir_is_the_checkout_in_development() -> None:
    assert rules_dir() in (REPO / "rules", REPO / "analyzer" / "_rules")


# ---------------------------------------------------------------- engine: messages, suppression


def test_findings_and_suppression() -> None:
    findings = evaluate(sample_result(), load_rules())
    by = {(f.rule_id, f.resource): f for f in findings}
    users = by["DDB001", "aws_dynamodb_table.users"]
    assert users.message == (
        f"not protected: {NO_PITR} and no AWS Backup selection selects it "
        "(1 selection considered)"
    )
    assert (users.severity, users.location) == ("error", Location("main.tf", 20))
    events = by["DDB002", "aws_dynamodb_table.events"]
    assert events.severity == "warning"
    assert events.message == (
        "protection unknown: aws_backup_selection.tagged: tag `backup` comes from var.tier"
    )
    assert by["DDB001", "aws_dynamodb_table.global"].message.startswith(
        "not protected (replica in eu-west-1): "
    )
    cache = by["DDB001", "aws_dynamodb_table.cache"]
    assert (cache.suppressed, cache.suppression_reason) == (True, "rebuilt on deploy")
    scratch = by["DDB001", "aws_dynamodb_table.scratch"]
    assert not scratch.suppressed  # an ignore without a reason is not honoured ...
    no_reason = by["DDB003", "aws_dynamodb_table.scratch"]  # ... and is itself reported
    assert (no_reason.location, no_reason.severity) == (Location("main.tf", 59), "warning")
    assert ("DDB001", "aws_dynamodb_table.orders") not in by
    assert findings == sorted(
        findings, key=lambda f: (f.location.file, f.location.line, f.rule_id, f.resource, f.message)
    )


def test_suppression_of_another_rule_does_not_apply() -> None:
    result = ScanResult(Path("/scan"))
    result.verdicts = [verdict("aws_dynamodb_table.t", Status.UNPROTECTED, 3)]
    result.inventory.suppressions = {
        "aws_dynamodb_table.t": [Suppression("DDB002", "unknown is fine", Location("main.tf", 2))]
    }
    [finding] = evaluate(result, load_rules())
    assert (finding.rule_id, finding.suppressed) == ("DDB001", False)


def test_selection_warnings_become_ddb004(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("analyzer.aws")
    where = Location("backup.tf", 7)
    warnings = [("interior wildcard in table/*-logs", where)]
    fake.__dict__["selection_warnings"] = lambda selection: warnings
    monkeypatch.setitem(sys.modules, "analyzer.aws", fake)
    result = ScanResult(Path("/scan"))
    result.inventory.selections = [
        BackupSelection(
            "aws_backup_selection.logs",
            "p",
            ("arn:aws:dynamodb:*:*:table/*-logs",),
            (),
            (),
            (),
            Location("backup.tf", 1),
        )
    ]
    [finding] = evaluate(result, load_rules())
    assert (finding.rule_id, finding.resource, finding.location) == (
        "DDB004",
        "aws_backup_selection.logs",
        where,
    )


def test_cli_import_is_lean() -> None:
    """`--version` must be instant: importing the CLI pulls in no parser, YAML or report."""
    code = (
        "import sys, analyzer.cli; heavy = {'yaml', 'json', 'lark', 'hcl2', 'cfnlint', "
        "'analyzer.pipeline', 'analyzer.hcl', 'analyzer.terraform', 'analyzer.cloudformation', "
        "'analyzer.aws', 'analyzer.report'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
