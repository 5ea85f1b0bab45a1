"""The policy options on the command line: their validation (exit 2), what --unknown does to
the report and the exit code, --require and --assume-region end to end, and that the defaults
leave every report byte-identical to a run without them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.aws.policy import REQUIRE_CHOICES as JUDGED_CHOICES
from analyzer.cli import main
from analyzer.cli.policy_options import REQUIRE_CHOICES, UNKNOWN_MODES
from analyzer.engine import UNKNOWN_MODES as ENGINE_MODES

TABLE = """
resource "aws_dynamodb_table" "{name}" {{
  name         = "{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = {enabled}
  }}
}}
"""
UNDECIDED_ONLY = 'variable "pitr" {\n  type = bool\n}\n' + TABLE.format(name="maybe",
                                                                       enabled="var.pitr")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def undecided(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(UNDECIDED_ONLY)
    return tmp_path


def test_choices_match_the_judge_and_the_engine() -> None:
    assert REQUIRE_CHOICES == JUDGED_CHOICES and UNKNOWN_MODES == ENGINE_MODES


@pytest.mark.parametrize("args", [
    ["--assume-region", "nowhere"],
    ["--assume-region", "US-EAST-1"],
    ["--min-pitr-days", "0"],
    ["--min-pitr-days", "36"],
    ["--min-pitr-days", "seven"],
    ["--min-retention-days", "0"],
    ["--require", "either"],
    ["--unknown", "maybe"],
])
def test_bad_values_are_usage_errors(args: list[str], undecided: Path) -> None:
    code, output = run(*args, str(undecided))
    assert code == 2, output
    assert args[0] in output


def test_unknown_warn_is_todays_warning(undecided: Path) -> None:
    code, output = run(str(undecided))
    assert code == 0 and "DDB002" in output
    assert run("--unknown", "warn", str(undecided)) == (code, output)


def test_unknown_fail_makes_an_undecided_verdict_an_error(undecided: Path) -> None:
    code, output = run("--unknown", "fail", "--format", "json", str(undecided))
    assert code == 1
    findings = json.loads(output)["findings"]
    assert [(f["rule_id"], f["severity"]) for f in findings] == [("DDB002", "error")]


def test_unknown_ignore_reports_nothing_but_the_verdict_stays(undecided: Path) -> None:
    code, output = run("--unknown", "ignore", "--fail-on", "warning", "--format", "json",
                       str(undecided))
    assert code == 0
    document = json.loads(output)
    assert document["findings"] == []
    assert [t["status"] for t in document["tables"]] == ["unknown"]
    code, text = run("--unknown", "ignore", "-v", str(undecided))
    # paths from the working directory: the fixture lies outside it, so absolute
    assert "DDB002" not in text and f"aws_dynamodb_table.maybe ({undecided.as_posix()}/main.tf:" \
        in text


def test_unknown_fail_also_covers_undecided_policy_rules(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "days" {\n  type = number\n}\n' + TABLE.format(name="t", enabled="true")
        .replace("enabled = true", "enabled = true\n    recovery_period_in_days = var.days"))
    assert run("--min-pitr-days", "7", str(tmp_path))[0] == 0  # an undecided rule: a warning
    code, output = run("--min-pitr-days", "7", "--unknown", "fail", str(tmp_path))
    assert code == 1 and "DDB007" in output


def test_require_pitr_does_not_count_a_selection() -> None:
    case = str(FIXTURES / "terraform" / "policy_require_both")
    assert run(case)[0] == 0
    code, output = run("--require", "pitr", case)
    assert code == 1
    assert "not protected: the policy requires point-in-time recovery (require = pitr)" in output
    assert "which does not count" in output


def test_assume_region_on_a_template() -> None:
    case = str(FIXTURES / "cloudformation" / "policy_rules")
    code, output = run("--format", "json", "--assume-region", "eu-central-1", case)
    assert code == 0  # no policy rule asked for, and every table is protected by PITR
    tables = json.loads(output)["tables"]
    said = [e["message"] for t in tables for e in t["protection"] if e["source"] == "assume-region"]
    assert len(said) == len(tables) and all("eu-central-1" in m for m in said)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_default_options_change_nothing(fmt: str) -> None:
    case = str(FIXTURES / "terraform" / "pitr_settings")
    plain = run("--format", fmt, case)
    explicit = run("--format", fmt, "--require", "any", "--unknown", "warn", case)
    assert plain == explicit
