"""Fn::ForEach (AWS::LanguageExtensions), macros and the shape of Resources: substitution
rules, collections, and that none of it can turn a table that is not protected protected."""

from __future__ import annotations

from pathlib import Path

from analyzer.aws import judge
from analyzer.cloudformation.context import OTHER_VALUE
from analyzer.cloudformation.decode import Node, parse_template
from analyzer.cloudformation.detect import is_template
from analyzer.cloudformation.foreach import collection, expand, substitute, substitute_text
from analyzer.cloudformation.intrinsics import Context
from analyzer.cloudformation.loader import load_templates
from analyzer.model import Status, Unknown

HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::LanguageExtensions\n"
TABLE = "Type: AWS::DynamoDB::Table"


def _statuses(tmp_path: Path, body: str, head: str = HEAD, **pins: str) -> dict[str, str]:
    path = tmp_path / "t.yaml"
    path.write_text(head + body)
    inventory = load_templates([path], tmp_path, pins)
    assert not inventory.errors, inventory.errors
    return {v.table.address: v.status.value for v in judge(inventory)}


def _errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    return [f"{e.location.line}:{e.location.col} {e.message}"
            for e in load_templates([path], tmp_path).errors]


def test_substitution_in_text() -> None:
    assert substitute_text("Table${X}", "X", "a-b") == "Tablea-b"
    assert substitute_text("Table&{X}", "X", "a-b.c_d") == "Tableabcd"
    assert substitute_text("${!X} ${Y} ${X}", "X", "v") == "${!X} ${Y} v"


def test_substitution_in_keys_values_and_refs_keeps_positions() -> None:
    data, _ = parse_template("K${X}:\n  A: !Ref X\n  B: [!Sub 'n-${X}', !Ref Other]\n", "t")
    assert isinstance(data, Node)
    out = substitute(data, "X", "v")
    assert out == {"Kv": {"A": "v", "B": [{"Fn::Sub": "n-v"}, {"Ref": "Other"}]}}
    assert isinstance(out, Node) and out.line_of("Kv") == 1
    inner = out["Kv"]
    assert isinstance(inner, Node) and inner.line_of("B") == 3


def test_collections() -> None:
    params = {"Parameters": {"L": {"Type": "CommaDelimitedList", "Default": "a, b"},
                             "Free": {"Type": "CommaDelimitedList"}}}
    ctx = Context(params, {}, {"parameter:L": "a, b"})  # the scenario where L is its Default
    assert collection(["a", 1], ctx) == ["a", "1"]
    assert collection({"Ref": "L"}, ctx) == ["a", "b"]
    other = Context(params, {}, {"parameter:L": OTHER_VALUE})  # a deploy may pass another value
    assert isinstance(collection({"Ref": "L"}, other), Unknown)
    assert collection({"Fn::Split": [",", "x,y"]}, ctx) == ["x", "y"]
    assert isinstance(collection({"Ref": "Free"}, ctx), Unknown)
    assert collection({"Ref": "Free"}, Context(params, {"Free": "p,q"})) == ["p", "q"]
    assert isinstance(collection("a,b", ctx), Unknown)  # not a list


def test_nested_loops_see_the_outer_value() -> None:
    data, _ = parse_template(
        "Fn::ForEach::Outer:\n  - E\n  - [p, d]\n"
        "  - Fn::ForEach::Inner:\n      - N\n      - [x, y]\n"
        "      - T${E}${N}: {Type: !Ref E}\n", "t")
    assert isinstance(data, Node)
    found = expand(data, Context({}, {}), "t")
    assert found.errors == [] and list(found.section) == ["Tpx", "Tpy", "Tdx", "Tdy"]
    assert found.section["Tdy"] == {"Type": "d"}


def test_undecided_loop_selections_cannot_protect(tmp_path: Path) -> None:
    body = (
        "Parameters:\n  Names: {Type: CommaDelimitedList}\n"
        "Resources:\n"
        f"  Scratch: {{{TABLE}}}\n"
        "  Plan: {Type: AWS::Backup::BackupPlan, Properties: {BackupPlan: {BackupPlanName: p,"
        " BackupPlanRule: [{RuleName: r, TargetBackupVault: Default}]}}}\n"
        "  Fn::ForEach::Sel:\n    - N\n    - !Ref Names\n"
        "    - S${N}:\n        Type: AWS::Backup::BackupSelection\n"
        "        Properties: {BackupPlanId: !Ref Plan, BackupSelection: {SelectionName: s,"
        " IamRoleArn: r, Resources: ['*']}}\n"
    )
    assert _statuses(tmp_path, body) == {"Scratch": "unknown"}
    assert _statuses(tmp_path, body, Names="A") == {"Scratch": "protected"}


def test_undecided_loop_inside_properties_makes_the_table_unknown(tmp_path: Path) -> None:
    body = (
        "Parameters:\n  Keys: {Type: CommaDelimitedList}\n"
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
        "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
        "      Fn::ForEach::Props: [K, !Ref Keys, {'${K}': x}]\n"
    )
    assert _statuses(tmp_path, body) == {"T": "unknown"}


def test_loop_made_conditions_decide(tmp_path: Path) -> None:
    body = (
        "Conditions:\n  Fn::ForEach::C: [N, [A, B], {'Is${N}': !Equals [!Ref N, A]}]\n"
        "Resources:\n"
        f"  T: {{{TABLE}, Condition: IsB}}\n"
        f"  U: {{{TABLE}, Condition: IsA}}\n"
    )
    assert _statuses(tmp_path, body) == {"U": "unprotected"}


def test_malformed_loops_are_errors(tmp_path: Path) -> None:
    loop = "Resources:\n  Fn::ForEach::L:\n    - N\n    - [a-b, c]\n"
    assert _errors(tmp_path, HEAD + loop + f"    - T${{N}}: {{{TABLE}}}\n") == [
        "4:3 Fn::ForEach::L makes the logical id 'Ta-b', which is not alphanumeric "
        "(&{Identifier} drops the other characters)"]
    assert _errors(tmp_path, HEAD + loop + f"    - T: {{{TABLE}}}\n") == [
        "4:3 Fn::ForEach::L makes T more than once in the section"]
    assert _errors(tmp_path, HEAD + "Resources:\n  Fn::ForEach::L: [N, [a]]\n")[0].startswith(
        "4:3 Fn::ForEach::L must be a list of an identifier")
    assert _errors(tmp_path, HEAD + loop + "    - T&{N}: {Properties: {}}\n") == [
        "4:3 resource Tab has no Type", "4:3 resource Tc has no Type"]


def test_modelled_transforms_keep_verdicts_and_others_do_not(tmp_path: Path) -> None:
    body = f"Resources:\n  T: {{{TABLE}}}\n"
    sam = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: [AWS::Serverless-2016-10-31]\n"
    assert _statuses(tmp_path, body, sam) == {"T": "unprotected"}
    path = tmp_path / "m.yaml"
    path.write_text("AWSTemplateFormatVersion: '2010-09-09'\nTransform: [Acme]\n" + body)
    verdicts = judge(load_templates([path], tmp_path))
    assert [v.status for v in verdicts] == [Status.UNKNOWN]
    assert "Transform Acme" in verdicts[0].evidence[0].message


def test_a_template_of_loops_only_is_a_template() -> None:
    data, _ = parse_template(
        "Transform: AWS::LanguageExtensions\nResources:\n"
        f"  Fn::ForEach::L: [N, [a], {{'T${{N}}': {{{TABLE}}}}}]\n", "t")
    assert is_template(data)
