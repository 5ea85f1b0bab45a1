"""Every fixture folder under tests/fixtures/<format>/<case>/ is scanned and checked against its
expected.yaml: the addresses that are protected, unprotected and unknown, and optionally the
errors (file:line:col), the findings and the exit code. Cases are discovered, never listed.

`options:` in expected.yaml runs the case with command-line options, by their long names (the
configuration keys): `options: {require: both, min-pitr-days: 14, unknown: fail}`; a flag is
`true`. The scan, the findings and the exit code all use them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.paths import FIXTURES
from support.policy_options import OTHER_OPTIONS, POLICY_OPTIONS, policy_of

from analyzer.catalog import load_rules
from analyzer.cli import main
from analyzer.engine import evaluate
from analyzer.pipeline import scan

FORMATS = ("terraform", "cloudformation", "plan", "terragrunt")  # plan: plan-only cases
STATUSES = ("protected", "unprotected", "unknown")


def case_dirs() -> list[Path]:
    return sorted(p for fmt in FORMATS for p in (FIXTURES / fmt).iterdir()
                  if p.is_dir() and not p.name.startswith("."))  # plan/.registry: no case


def expectation(case: Path) -> dict:
    data = yaml.safe_load((case / "expected.yaml").read_text())
    assert isinstance(data, dict), f"{case}/expected.yaml is not a mapping"
    return data


def table_key(verdict, qualified: bool = False) -> str:
    """`address`, `address@replica-region`; with `qualified: true` in expected.yaml (cases with
    several roots or templates declaring one address), `<unit>::` before it."""
    table = verdict.table
    key = f"{table.address}@{table.replica_region}" if table.replica_region else table.address
    return f"{table.unit}::{key}" if qualified else key


def test_every_case_has_an_expectation() -> None:
    missing = [str(c) for c in case_dirs() if not (c / "expected.yaml").is_file()]
    assert not missing, f"fixture folders without expected.yaml: {missing}"


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case: Path) -> None:
    expected = expectation(case)
    for status in STATUSES:
        assert status in expected, f"{case.name}: expected.yaml must list '{status}' (maybe [])"
    options = expected.get("options") or {}
    assert set(options) <= {*POLICY_OPTIONS, *OTHER_OPTIONS}, f"{case.name}: unknown options"
    policy = policy_of(options)
    result = scan([str(case)], policy=policy)
    qualified = bool(expected.get("qualified"))
    _check_verdicts(result, expected, qualified)
    if "with_tf_dir" in expected:  # plan cases: judged again with their configuration
        again = expected["with_tf_dir"]
        with pytest.MonkeyPatch.context() as patch:  # units named from the case folder
            patch.chdir(case)
            _check_verdicts(scan(["."], tf_dir=again["tf_dir"], policy=policy), again, qualified)
    errors = sorted(f"{e.location.file}:{e.location.line}:{e.location.col}"
                    for e in result.inventory.errors)
    assert errors == sorted(expected.get("errors", [])), errors
    if "findings" in expected:
        findings = evaluate(result, load_rules(), options.get("unknown", "warn"))
        got_findings = sorted(
            f"{f.rule_id} {f.resource}" + (" suppressed" if f.suppressed else "")
            for f in findings)
        assert got_findings == sorted(expected["findings"]), got_findings
    if "exit_code" in expected:
        run = CliRunner().invoke(main, [*_cli_options(options), str(case)])
        assert run.exit_code == expected["exit_code"], run.output


def _cli_options(options: dict) -> list[str]:
    args: list[str] = []
    for key, value in options.items():
        args += [f"--{key}"] if value is True else [f"--{key}", str(value)]
    return args


def _check_verdicts(result, expected: dict, qualified: bool) -> None:
    got = {s: Counter(table_key(v, qualified) for v in result.verdicts if v.status.value == s)
           for s in STATUSES}
    for status in STATUSES:
        assert got[status] == Counter(expected[status] or []), (status, got)


def test_every_verdict_has_evidence() -> None:
    for case in case_dirs():
        for verdict in scan([str(case)]).verdicts:
            assert verdict.evidence, f"{case.name}: {verdict.table.address} has no evidence"
            assert verdict.evidence[0].kind == "pitr"


def test_every_rule_has_a_fixture() -> None:
    """A rule no fixture exercises is a rule nobody has seen fire."""
    seen: set[str] = set()
    for case in case_dirs():
        expected = expectation(case)
        seen.update(item.split()[0] for item in expected.get("findings", []))
        if expected.get("unprotected"):
            seen.add("DDB001")
        if expected.get("unknown"):
            seen.add("DDB002")
    missing = sorted({rule.id for rule in load_rules()} - seen)
    assert not missing, f"rules without a fixture: {missing}"
