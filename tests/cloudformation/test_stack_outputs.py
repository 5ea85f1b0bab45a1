"""Nested stacks' outputs (`!GetAtt Child.Outputs.X`) and parameter binding (issue 12 item 7):
what stays unknown and why, cycles, and the bound on the work a fan-out of outputs can cause."""

from __future__ import annotations

import time
from pathlib import Path

from analyzer.pipeline import scan

FAN = 40
LIMIT = 60
HEAD = "AWSTemplateFormatVersion: '2010-09-09'\n"
TABLE = ("  {name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
         "      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]\n"
         "      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]\n")
PLAN = ("  Plan:\n    Type: AWS::Backup::BackupPlan\n    Properties:\n"
        "      BackupPlan: {BackupPlanName: p, BackupPlanRule: [{RuleName: r, "
        "TargetBackupVault: Default}]}\n")
SELECTION = ("  Selection:\n    Type: AWS::Backup::BackupSelection\n    Properties:\n"
             "      BackupPlanId: !Ref Plan\n      BackupSelection:\n"
             "        SelectionName: s\n        IamRoleArn: arn:aws:iam::1:role/r\n"
             "        Resources: [{resources}]\n")


def _stack(name: str, url: str, params: str = "") -> str:
    extra = f"\n      Parameters: {params}" if params else ""
    return (f"  {name}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
            f"      TemplateURL: {url}{extra}\n")


def _statuses(path: Path) -> dict[str, str]:
    return {v.table.address: v.status.value for v in scan([str(path)]).verdicts}


def _reasons(path: Path, address: str) -> str:
    verdict = next(v for v in scan([str(path)]).verdicts if v.table.address == address)
    return " ".join(e.message for e in verdict.evidence)


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    return repo


def test_an_output_that_is_not_declared_is_unknown(tmp_path: Path) -> None:
    child = HEAD + "Resources:\n" + TABLE.format(name="T") + "Outputs:\n  A: {Value: x}\n"
    parent = (HEAD + "Resources:\n" + _stack("C", "child.yaml") + PLAN
              + SELECTION.format(resources="!GetAtt C.Outputs.Missing"))
    repo = _repo(tmp_path, {"child.yaml": child, "parent.yaml": parent})
    assert _statuses(repo) == {"C/T": "unknown"}
    assert "child.yaml declares no such output" in _reasons(repo, "C/T")


def test_an_output_of_a_child_with_a_macro_is_unknown(tmp_path: Path) -> None:
    child = (HEAD + "Transform: Acme::Macro\nResources:\n" + TABLE.format(name="T")
             + "Outputs:\n  A: {Value: !GetAtt T.Arn}\n")
    parent = (HEAD + "Resources:\n" + _stack("C", "child.yaml") + TABLE.format(name="Mine")
              + PLAN + SELECTION.format(resources="!GetAtt C.Outputs.A"))
    repo = _repo(tmp_path, {"child.yaml": child, "parent.yaml": parent})
    assert _statuses(repo) == {"C/T": "unknown", "Mine": "unknown"}
    assert "Acme::Macro" in _reasons(repo, "Mine")


def test_an_output_decided_by_the_parameters_the_parent_passes(tmp_path: Path) -> None:
    """The output's condition is a child condition on a parameter the parent passes."""
    child = (HEAD + "Parameters:\n  Env: {Type: String}\nConditions:\n"
             "  IsProd: !Equals [!Ref Env, prod]\nResources:\n" + TABLE.format(name="T")
             + "Outputs:\n  A: {Condition: IsProd, Value: !GetAtt T.Arn}\n")
    parent = (HEAD + "Resources:\n" + _stack("C", "child.yaml", "{Env: prod}")
              + _stack("D", "child.yaml", "{Env: dev}") + PLAN
              + SELECTION.format(resources="!GetAtt C.Outputs.A"))
    repo = _repo(tmp_path, {"child.yaml": child, "parent.yaml": parent})
    assert _statuses(repo) == {"C/T": "protected", "D/T": "unprotected"}


def test_an_output_whose_condition_is_false_does_not_exist(tmp_path: Path) -> None:
    child = (HEAD + "Parameters:\n  Env: {Type: String}\nConditions:\n"
             "  IsProd: !Equals [!Ref Env, prod]\nResources:\n" + TABLE.format(name="T")
             + "Outputs:\n  A: {Condition: IsProd, Value: !GetAtt T.Arn}\n")
    parent = (HEAD + "Resources:\n" + _stack("C", "child.yaml", "{Env: dev}") + PLAN
              + SELECTION.format(resources="!GetAtt C.Outputs.A"))
    repo = _repo(tmp_path, {"child.yaml": child, "parent.yaml": parent})
    assert _statuses(repo) == {"C/T": "unknown"}
    assert "its condition IsProd is false" in _reasons(repo, "C/T")


def test_an_ssm_parameter_is_read_at_deploy_time(tmp_path: Path) -> None:
    child = (HEAD + "Parameters:\n  Pitr: {Type: 'AWS::SSM::Parameter::Value<String>', "
             "Default: /pitr}\nResources:\n" + TABLE.format(name="T")
             + "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: !Ref Pitr}\n")
    parent = HEAD + "Resources:\n" + _stack("C", "child.yaml", "{Pitr: 'true'}")
    repo = _repo(tmp_path, {"child.yaml": child, "parent.yaml": parent})
    assert _statuses(repo) == {"C/T": "unknown"}
    assert "SSM parameter" in _reasons(repo, "C/T")


def test_outputs_that_read_each_other_in_a_cycle_are_unknown(tmp_path: Path) -> None:
    a = (HEAD + "Resources:\n" + _stack("B", "b.yaml") + TABLE.format(name="T") + PLAN
         + SELECTION.format(resources="!GetAtt B.Outputs.X")
         + "Outputs:\n  Y: {Value: !GetAtt T.Arn}\n")
    b = (HEAD + "Resources:\n" + _stack("A", "a.yaml")
         + "Outputs:\n  X: {Value: !GetAtt A.Outputs.Y}\n")
    repo = _repo(tmp_path, {"a.yaml": a, "b.yaml": b})
    assert _statuses(repo)["T"] == "unknown"
    assert "contains it" in _reasons(repo, "T")


def test_a_fan_out_of_outputs_is_bounded(tmp_path: Path) -> None:
    """Each level's output reads FAN stacks of the next level: FAN**4 reads without a bound
    (every item of the list is evaluated, then the last is selected)."""
    files = {}
    for level in range(4):
        stacks = "".join(_stack(f"S{i}", f"l{level + 1}.yaml") for i in range(FAN))
        joined = ", ".join(f"!GetAtt S{i}.Outputs.X" for i in range(FAN))
        files[f"l{level}.yaml"] = (HEAD + "Resources:\n" + stacks
                                   + f"Outputs:\n  X: {{Value: !Select [{FAN - 1}, [{joined}]]}}\n")
    files["l4.yaml"] = (HEAD + "Resources:\n" + TABLE.format(name="T")
                        + "Outputs:\n  X: {Value: !GetAtt T.Arn}\n")
    files["root.yaml"] = (HEAD + "Resources:\n" + _stack("Top", "l0.yaml") + TABLE.format(
        name="Mine") + PLAN + SELECTION.format(resources="!GetAtt Top.Outputs.X"))
    repo = _repo(tmp_path, files)
    started = time.monotonic()
    result = scan([str(repo)])
    assert time.monotonic() - started < LIMIT
    mine = next(v for v in result.verdicts if v.table.address == "Mine")
    assert mine.status.value == "unknown"


def test_a_nested_stack_s_tags_may_reach_its_tables(tmp_path: Path) -> None:
    """`Tags` on the stack resource may propagate to the child's tables: a selection that
    excludes `backup = no` no longer proves the tagged stack's table protected."""
    child = HEAD + "Resources:\n" + TABLE.format(name="T")
    selection = SELECTION.format(resources="'*'") + (
        "        Conditions:\n          StringNotEquals:\n"
        "            - {ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'no'}\n")
    parent = (HEAD + "Resources:\n" + _stack("Plain", "child.yaml")
              + "  Tagged:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
              "      TemplateURL: child.yaml\n      Tags: [{Key: backup, Value: 'no'}]\n"
              + PLAN + selection)
    repo = _repo(tmp_path, {"child.yaml": child, "parent.yaml": parent})
    assert _statuses(repo) == {"Plain/T": "protected", "Tagged/T": "unknown"}
    assert "Tags of nested stack Tagged may propagate" in _reasons(repo, "Tagged/T")
