"""--parameter values against the template's constraints, and names no template declares
(issue 14 item 10), through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli.command import main

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, prod]
  Prefix:
    Type: String
    AllowedPattern: "[a-z]+"
    MinLength: 2
    MaxLength: 5
  Days:
    Type: Number
    MinValue: 1
    MaxValue: 35
  Zones:
    Type: CommaDelimitedList
    AllowedValues: [a, b]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${Prefix}-${Environment}"
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
"""


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def _run(stack: Path, *pins: str) -> tuple[int, str, str]:
    args = [a for pin in pins for a in ("--parameter", pin)]
    result = CliRunner().invoke(main, [*args, str(stack)])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("pin", "line", "said"), [
    ("Environment=staging", 3, "allows only dev, prod (AllowedValues)"),
    ("Prefix=ABC", 6, "must match [a-z]+ (AllowedPattern)"),
    ("Prefix=a", 6, "is at least 2 characters long (MinLength)"),
    ("Prefix=abcdef", 6, "is at most 5 characters long (MaxLength)"),
    ("Days=0", 11, "is at least 1 (MinValue)"),
    ("Days=36", 11, "is at most 35 (MaxValue)"),
    ("Days=many", 11, "must be a Number"),
    ("Zones=a,c", 15, "allows only a, b (AllowedValues) (item 'c')"),
])
def test_a_value_the_template_refuses_is_an_error_at_the_parameter(
        stack: Path, pin: str, line: int, said: str) -> None:
    code, out, _ = _run(stack, pin)
    assert code == 2
    name = pin.split("=")[0]
    assert f"template.yaml:{line}:3: error: --parameter {pin}: parameter {name} {said}" in out
    assert "1 tables: 0 protected" in out or "1 table: 0 protected" in out  # judged nothing


def test_values_the_template_allows_pass(stack: Path) -> None:
    code, out, err = _run(stack, "Environment=prod", "Prefix=abc", "Days=35", "Zones=a, b")
    assert code == 0, out
    assert "1 protected" in out
    assert "warning" not in err


def test_a_parameter_no_template_declares_is_a_warning(stack: Path) -> None:
    code, _, err = _run(stack, "Nope=1", "AWS::Region=eu-west-1")
    assert code == 0
    assert 'warning: --parameter Nope: no scanned template declares parameter "Nope"' in err
    assert "AWS::Region" not in err  # a pseudo parameter is always used


def test_a_parameter_with_no_template_at_all_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    code, _, err = _run(tmp_path, "Environment=prod")
    assert code == 0
    assert '--parameter Environment: no scanned template declares parameter' in err
