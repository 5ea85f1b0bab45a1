"""The CloudFormation loader's pieces: parsing with positions, detection, intrinsics, the
--parameter option, and start-up cost (a Terraform-only run never imports template code)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.cli import main
from analyzer.cloudformation.decode import Node, parse_template
from analyzer.cloudformation.detect import is_template, may_be_template
from analyzer.cloudformation.intrinsics import Context, evaluate
from analyzer.model import Partial, Ref, Unknown

CONDITIONS = FIXTURES / "cloudformation" / "condition_pitr_if"


def test_short_forms_become_long_forms_with_positions() -> None:
    text = (
        "AWSTemplateFormatVersion: 2010-09-09\n"
        "Resources:\n"
        "  T:\n"
        "    Type: AWS::DynamoDB::Table\n"
        "    Properties:\n"
        "      A: !GetAtt T.Arn\n"
        "      B: !Sub ['${X}', {X: !Ref AWS::Region}]\n"
        "      C: !If [Cond, !Condition Other, !Select [0, !Split [',', 'a,b']]]\n"
    )
    data, problems = parse_template(text, "t.yaml")
    assert problems == []
    assert isinstance(data, Node) and data["AWSTemplateFormatVersion"] == "2010-09-09"
    props = data["Resources"]["T"]["Properties"]
    assert props["A"] == {"Fn::GetAtt": ["T", "Arn"]}
    assert props["B"] == {"Fn::Sub": ["${X}", {"X": {"Ref": "AWS::Region"}}]}
    assert props["C"]["Fn::If"][1] == {"Condition": "Other"}
    assert data["Resources"].line_of("T") == 3 and props.line_of("B") == 7


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        ("Resources:\n  T: {Type: [\n", "t.yaml:3:1", "syntax error"),
        ("Resources:\n  T: 1\n  T: 2\n", "t.yaml:3:3", "duplicate key 'T'"),
        ("Resources:\n  T: !Nope x\n", "t.yaml:2:6", "unknown tag !Nope"),
        ('{"Resources": {"T": 1,}}', "t.yaml:1:23", "syntax error"),
    ],
)
def test_problems_name_file_line_col(text: str, where: str, needle: str) -> None:
    _, problems = parse_template(text, "t.yaml")
    assert [str(p).split(": ", 1)[0] for p in problems] == [where]
    assert needle in problems[0].message


def test_detection_by_content(tmp_path: Path) -> None:
    files = {
        "a.template": "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
        "b.json": '{"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}}',
        "workflow.yml": "on: push\njobs: {}\n",
        "tree.json": '{"tree": {"attributes": {"aws:cdk:cloudformation:type": "AWS::S3::Bucket"}}}',
        "notes.txt": "AWSTemplateFormatVersion: x\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    peeked = sorted(n for n in files if may_be_template(str(tmp_path / n)))
    assert peeked == ["a.template", "b.json"]
    assert not is_template({"Resources": {"X": {"Type": "Custom::Thing"}}})


def _eval(value: object, template: dict[str, object] | None = None) -> object:
    resources = {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders"}},
                 "B": {"Type": "AWS::S3::Bucket"}}
    base: dict[str, object] = {"Resources": resources, "Mappings": {"M": {"k": {"v": "x"}}}}
    return evaluate(value, Context({**base, **(template or {})}, {}))


def test_intrinsics() -> None:
    assert _eval({"Ref": "T"}) == Ref("T", "name", "orders")
    assert _eval({"Fn::GetAtt": ["T", "Arn"]}) == Ref("T", "arn")
    orders = Ref("T", "name", "orders")
    assert _eval({"Fn::Sub": "${!Literal}-${T}"}) == Partial(("${Literal}-", orders))
    assert _eval({"Fn::Sub": "table/${T.Arn}"}) == Partial(("table/", Ref("T", "arn")))
    assert _eval({"Fn::Join": ["-", ["a", {"Ref": "AWS::Region"}]]}) == Partial(
        ("a-", Unknown("AWS::Region")))
    assert _eval({"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}) == "b"
    assert _eval({"Fn::FindInMap": ["M", "k", "v"]}) == "x"
    assert isinstance(_eval({"Fn::ImportValue": "shared-table-arn"}), Unknown)
    assert isinstance(_eval({"Fn::GetAtt": ["B", "Arn"]}), Unknown)  # not a table's ARN
    assert _eval({"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Ref": "AWS::NoValue"}]}) == {"B": [1]}


def _statuses(*args: str) -> dict[str, str]:
    run = CliRunner().invoke(main, [str(CONDITIONS), "--format", "json", *args])
    return {t["resource"]: t["status"] for t in json.loads(run.output)["tables"]}


def test_parameter_pins_conditions() -> None:
    unpinned = _statuses()
    assert (unpinned["Orders"], unpinned["ByTier"]) == ("unprotected", "unprotected")
    pinned = _statuses("--parameter", "Env=prod", "--parameter", "Tier=gold")
    assert pinned == {"Orders": "protected", "ProdOnly": "protected", "ByTier": "protected",
                      "Covered": "protected"}
    dev = _statuses("--parameter", "Env=dev")
    assert "ProdOnly" not in dev and dev["Orders"] == "unprotected"


def test_evidence_names_the_failing_case() -> None:
    run = CliRunner().invoke(main, [str(CONDITIONS)])
    assert "Orders: not protected: point-in-time recovery is disabled when IsProd is false" in (
        run.output)
    assert "ByTier: not protected: point-in-time recovery is disabled when Tier is silver" in (
        run.output)


def test_bad_parameter_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, [str(CONDITIONS), "--parameter", "Env"]).exit_code == 2


def test_terraform_only_scan_imports_no_template_code() -> None:
    code = (
        "import sys; from analyzer.pipeline import scan; "
        f"scan([{str(FIXTURES / 'terraform')!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith(('cfnlint', "
        "'analyzer.cloudformation.decode', 'analyzer.cloudformation.loader', 'samtranslator'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_template_scan_does_not_import_cfnlint() -> None:
    code = (
        "import sys; from analyzer.pipeline import scan; "
        f"scan([{str(CONDITIONS)!r}]); print('cfnlint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


FREE_DEFAULTS = CONDITIONS.parent / "parameter_default_free"


def test_a_free_parameter_is_its_default_only_when_pinned() -> None:
    """Unpinned, `PointInTimeRecoveryEnabled: !Ref EnablePitr` (Default "true") may be deployed
    false, and a table named by a parameter may get another name: both unknown, never
    protected. Pinned to the Default, the same tables are protected."""
    run = CliRunner().invoke(main, [str(FREE_DEFAULTS), "--format", "json"])
    tables = {t["resource"]: t["status"] for t in json.loads(run.output)["tables"]}
    assert tables["FreeDefaultTrue"] == tables["NamedByParameter"] == "unknown"
    assert "EnablePitr is not pinned" in run.output
    run = CliRunner().invoke(main, [str(FREE_DEFAULTS), "--format", "json", "--parameter",
                                    "EnablePitr=true", "--parameter", "OrdersName=orders"])
    tables = {t["resource"]: t["status"] for t in json.loads(run.output)["tables"]}
    assert tables["FreeDefaultTrue"] == tables["NamedByParameter"] == "protected"
    assert tables["FreeDefaultFalse"] == "unprotected"  # its Default is an unprotected world
