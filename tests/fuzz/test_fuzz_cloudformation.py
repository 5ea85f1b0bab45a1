"""Fuzzing the CloudFormation loader (issue 15 item 16): YAML and JSON templates built from
tables, global tables, SAM tables, backup plans and selections (Resources, NotResources,
ListOfTags, Conditions) whose values are intrinsic functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join,
Fn::If, ...), with Conditions, Parameters, Mappings, Transforms, Fn::ForEach loops, nested stacks
and odd YAML tags, then mutated as text. Properties: see fuzz_harness. Budget: CI's fixed
examples, or IAC_DDB_LINT_FUZZ_EXAMPLES (scripts/fuzz.sh)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
import yaml
from fuzz_harness import check_cli, check_scan, fuzz_settings, mutated
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz

LOGICAL = st.one_of(
    st.sampled_from(["Orders", "Carts", "Table", "Plan", "Sel", "IsProd", "Env", "AWS", "Ref",
                     "Fn", "Ünï", "A.B", "1", ""]),
    st.from_regex(r"[A-Z][A-Za-z0-9]{0,6}", fullmatch=True),
)
CONDITIONS = ["IsProd", "IsDev", "HasBackup", "Missing", "Loop"]
PARAMETERS = ["Env", "Pitr", "Names", "Count", "AWS::Region", "AWS::AccountId", "AWS::NoValue",
              "AWS::Partition", "AWS::StackName", "Missing"]
INTRINSICS = ["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split",
              "Fn::FindInMap", "Fn::ImportValue", "Fn::Base64", "Fn::GetAZs", "Fn::Equals",
              "Fn::And", "Fn::Or", "Fn::Not", "Fn::Length", "Fn::ToJsonString", "Fn::Cidr",
              "Condition", "Fn::Transform", "Fn::Bogus"]


@dataclass(frozen=True)
class Tagged:
    """A YAML node written with an explicit tag: `!Ref x`, `!If [...]`, `!Bogus`, `!!binary`."""

    tag: str
    value: object


class Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: Dumper, node: Tagged) -> yaml.Node:
    if isinstance(node.value, dict):
        return dumper.represent_mapping(node.tag, node.value)
    if isinstance(node.value, list):
        return dumper.represent_sequence(node.tag, node.value)
    return dumper.represent_scalar(node.tag, str(node.value))


Dumper.add_representer(Tagged, _represent_tagged)
Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign,assignment]

SCALARS = st.one_of(
    st.sampled_from(["true", "false", "True", "no", "yes", "on", "1", "0", "", "*", "prod",
                     "arn:aws:dynamodb:*:*:table/*", "arn:aws:dynamodb:us-east-1:1:table/Orders",
                     "${AWS::Region}", "${Orders.Arn}", "${Missing}", "${!Literal}", "${",
                     "aws:ResourceTag/env", "backup", "~", "null", "0x10", "1e400", "é\u202e"]),
    st.booleans(), st.none(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)


def _intrinsic(inner: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    args = {
        "Ref": st.one_of(st.sampled_from(PARAMETERS), LOGICAL, inner),
        "Fn::GetAtt": st.one_of(
            st.tuples(LOGICAL, st.sampled_from(["Arn", "StreamArn", "Bogus"])).map(list),
            LOGICAL.map(lambda n: f"{n}.Arn"), inner),
        "Fn::Sub": st.one_of(
            st.sampled_from(["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:"
                             "table/${Orders}", "${Orders.Arn}", "${Name}-t", "${x", "$${y}"]),
            st.tuples(st.sampled_from(["${A}-${B}", "${Orders.Arn}"]),
                      st.dictionaries(st.sampled_from(["A", "B", "Orders"]), inner, max_size=2))
            .map(list), inner),
        "Fn::Join": st.one_of(st.tuples(st.sampled_from(["", ":", "/"]),
                                        st.lists(inner, max_size=3)).map(list), inner),
        "Fn::If": st.one_of(st.tuples(st.sampled_from(CONDITIONS), inner, inner).map(list), inner),
        "Fn::Select": st.tuples(st.one_of(st.integers(-2, 3), inner), inner).map(list),
        "Fn::Split": st.tuples(st.sampled_from([",", ""]), inner).map(list),
        "Fn::FindInMap": st.lists(st.one_of(st.sampled_from(["Pitr", "Orders", "Enabled"]), inner),
                                  max_size=4),
        "Fn::Equals": st.tuples(inner, inner).map(list),
        "Fn::And": st.lists(inner, max_size=11),
        "Fn::Or": st.lists(inner, max_size=3),
        "Fn::Not": st.lists(inner, max_size=2),
        "Condition": st.sampled_from(CONDITIONS),
    }
    return st.sampled_from(INTRINSICS).flatmap(
        lambda name: st.tuples(st.just(name), args.get(name, inner), st.booleans())
    ).map(lambda t: _tag_or_map(*t))


def _tag_or_map(name: str, arg: object, short: bool) -> object:
    if short and name != "Condition":  # the YAML short form: !Ref, !GetAtt, !If, ...
        tag = "!" + name.removeprefix("Fn::")
        if name == "Fn::GetAtt" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            arg = ".".join(arg)
        if isinstance(arg, (dict, list, str, int, float, bool)) or arg is None:
            return Tagged(tag, arg if arg is not None else "")
    return {name: arg}


VALUE = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        _intrinsic(inner),
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(LOGICAL, st.sampled_from(INTRINSICS)), inner, max_size=3),
        st.tuples(st.sampled_from(["!Bogus", "!!binary", "!!set", "!!timestamp", "!!float",
                                   "!!str", "!!int", "!!python/object/apply:os.system",
                                   "!!python/name:os.getcwd", "!Ref", "!GetAtt", "!Sub"]),
                  st.one_of(st.text(max_size=6), st.lists(st.text(max_size=3), max_size=2)))
        .map(lambda t: Tagged(*t)),
    ),
    max_leaves=10,
)
PITR_ANY = st.one_of(VALUE, st.sampled_from([True, False, "true", "false", "True"]))
PITR_OFF = st.sampled_from([None, False, "false", "False",
                            {"Fn::If": ["IsProd", False, "false"]}, Tagged("!If", ["IsProd",
                                                                                    False, False])])


def _maybe(draw: st.DrawFn) -> dict[str, object]:
    return draw(st.sampled_from([{}, {"Condition": draw(st.sampled_from(CONDITIONS))},
                                 {"DependsOn": draw(LOGICAL)}, {"DeletionPolicy": "Retain"}]))


@st.composite
def table(draw: st.DrawFn, sound: bool = False) -> tuple[str, dict[str, object]]:
    kind = draw(st.sampled_from(["AWS::DynamoDB::Table"] * 4 + ["AWS::DynamoDB::GlobalTable",
                                                                 "AWS::Serverless::SimpleTable"]))
    props: dict[str, object] = {
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    }
    if draw(st.booleans()):
        props["TableName"] = draw(VALUE)
    pitr = draw(PITR_OFF if sound else st.one_of(PITR_ANY, st.none()))
    spec = None if pitr is None else {"PointInTimeRecoveryEnabled": pitr}
    if not sound and draw(st.integers(0, 4)) == 0:
        spec = draw(VALUE)
    if kind == "AWS::DynamoDB::GlobalTable":
        replicas = [{"Region": draw(st.one_of(st.sampled_from(["us-east-1", "eu-west-1"]), VALUE))}
                    for _ in range(draw(st.integers(0, 2)))]
        for replica in replicas:
            if spec is not None:
                replica["PointInTimeRecoverySpecification"] = spec
            if draw(st.booleans()):
                replica["Tags"] = [{"Key": draw(VALUE), "Value": draw(VALUE)}]
        props["Replicas"] = replicas if draw(st.integers(0, 5)) else draw(VALUE)
    elif spec is not None:
        props["PointInTimeRecoverySpecification"] = spec
    if draw(st.booleans()):
        props["Tags"] = draw(st.one_of(
            st.lists(st.fixed_dictionaries({"Key": VALUE, "Value": VALUE}), max_size=3), VALUE))
    resource: dict[str, object] = {"Type": kind, "Properties": props}
    resource.update(_maybe(draw))
    return draw(LOGICAL), resource


@st.composite
def selection(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    body: dict[str, object] = {"SelectionName": draw(VALUE),
                               "IamRoleArn": "arn:aws:iam::123456789012:role/backup"}
    if draw(st.booleans()):
        body["Resources"] = draw(st.one_of(
            st.lists(st.one_of(VALUE, st.sampled_from(["*", "arn:aws:dynamodb:*:*:table/*"]),
                               LOGICAL.map(lambda n: {"Fn::GetAtt": [n, "Arn"]}),
                               LOGICAL.map(lambda n: Tagged("!GetAtt", f"{n}.Arn"))), max_size=3),
            VALUE))
    if draw(st.booleans()):
        body["NotResources"] = draw(VALUE)
    if draw(st.booleans()):
        body["ListOfTags"] = draw(st.one_of(st.lists(st.fixed_dictionaries({
            "ConditionType": st.sampled_from(["STRINGEQUALS", "StringEquals", "BOGUS"]),
            "ConditionKey": VALUE, "ConditionValue": VALUE}), max_size=2), VALUE))
    if draw(st.booleans()):
        body["Conditions"] = draw(st.one_of(st.dictionaries(
            st.sampled_from(["StringEquals", "StringLike", "StringNotEquals", "StringNotLike",
                             "Bogus"]),
            st.lists(st.fixed_dictionaries({"ConditionKey": VALUE, "ConditionValue": VALUE}),
                     max_size=2), max_size=3), VALUE))
    resource: dict[str, object] = {
        "Type": "AWS::Backup::BackupSelection",
        "Properties": {"BackupPlanId": draw(st.sampled_from(
                           [{"Ref": "Plan"}, Tagged("!Ref", "Plan"), "plan-id"])),
                       "BackupSelection": body if draw(st.integers(0, 6)) else draw(VALUE)},
    }
    resource.update(_maybe(draw))
    return draw(LOGICAL), resource


PLAN = {"Type": "AWS::Backup::BackupPlan", "Properties": {"BackupPlan": {
    "BackupPlanName": "daily", "BackupPlanRule": [{"RuleName": "daily",
                                                   "TargetBackupVault": "Default"}]}}}


@st.composite
def other_resource(draw: st.DrawFn, sound: bool = False) -> tuple[str, object]:
    kinds = ["AWS::S3::Bucket", "AWS::Lambda::Function", "Custom::Thing", "AWS::Bogus", 7, None]
    if not sound:
        kinds += ["AWS::CloudFormation::Stack", "AWS::Backup::BackupPlan"]
    kind = draw(st.sampled_from(kinds))
    if kind == "AWS::CloudFormation::Stack":
        return draw(LOGICAL), {"Type": kind, "Properties": {"TemplateURL": draw(st.sampled_from(
            ["./nested.yaml", "nested.yaml", "../x.yaml", "./stack.yaml", "s3://b/k"]))}}
    if kind == "AWS::Backup::BackupPlan":
        return "Plan", PLAN
    if draw(st.integers(0, 5)) == 0:
        return draw(LOGICAL), draw(VALUE)  # not a mapping
    return draw(LOGICAL), {"Type": kind, "Properties": draw(VALUE)}


@st.composite
def foreach(draw: st.DrawFn, sound: bool) -> tuple[str, object]:
    _, resource = draw(table(sound))
    items = draw(st.one_of(st.lists(st.sampled_from(["Orders", "Carts", "A", ""]), max_size=3),
                           st.just({"Ref": "Names"}), VALUE))
    key = draw(st.sampled_from(["Table${Name}", "T&{Name}", "Static", "${Name}", "${Other}"]))
    loop = [draw(st.sampled_from(["Name", "Other"])), items, {key: resource}]
    if draw(st.integers(0, 4)) == 0:
        loop = draw(st.lists(VALUE, max_size=4))
    return "Fn::ForEach::" + draw(LOGICAL), loop


@st.composite
def template(draw: st.DrawFn, sound: bool = False) -> dict[str, object]:
    resources: dict[str, object] = dict(draw(st.lists(table(sound), min_size=1, max_size=3)))
    if not sound:
        resources.update(draw(st.lists(selection(), max_size=2)))
        if draw(st.booleans()):
            resources["Plan"] = PLAN
    resources.update(draw(st.lists(other_resource(sound), max_size=2)))
    if draw(st.integers(0, 3)) == 0:
        resources.update([draw(foreach(sound))])
    doc: dict[str, object] = {}
    if draw(st.integers(0, 5)):
        doc["AWSTemplateFormatVersion"] = draw(st.sampled_from(["2010-09-09", "2010-09-09",
                                                                "1999-01-01", 20100909]))
    transform = draw(st.sampled_from([None, None, "AWS::LanguageExtensions",
                                      "AWS::Serverless-2016-10-31",
                                      ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"],
                                      "MyMacro", {"Name": "AWS::Include"}, 3]))
    if transform is not None:
        doc["Transform"] = transform
    if draw(st.booleans()):
        doc["Parameters"] = {
            "Env": {"Type": "String", "AllowedValues": draw(st.lists(st.sampled_from(
                ["prod", "dev", "test", 1, ""]), max_size=4)), "Default": draw(VALUE)},
            "Pitr": {"Type": draw(st.sampled_from(["String", "Number", "Bogus"])),
                     "Default": draw(PITR_OFF if sound else PITR_ANY)},
            "Names": {"Type": "CommaDelimitedList", "Default": draw(st.sampled_from(
                ["Orders,Carts", "", ",", "A"]))},
            draw(LOGICAL): draw(VALUE),
        }
    if draw(st.booleans()):
        doc["Conditions"] = {
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "IsDev": draw(VALUE),
            "HasBackup": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Loop": draw(st.sampled_from([{"Condition": "Loop"}, {"Fn::And": [
                {"Condition": "IsProd"}, {"Condition": "Loop"}]}, {"Condition": "IsDev"}])),
        }
    if draw(st.booleans()):
        doc["Mappings"] = {"Pitr": {"Orders": {"Enabled": draw(PITR_OFF if sound else PITR_ANY)},
                                    draw(LOGICAL): draw(VALUE)}}
    if draw(st.integers(0, 4)) == 0:
        doc["Metadata"] = draw(VALUE)
    doc["Resources"] = resources if draw(st.integers(0, 10)) else draw(VALUE)
    if draw(st.booleans()):
        doc["Outputs"] = {"Arn": {"Value": draw(VALUE)}}
    return dict(draw(st.permutations(list(doc.items()))))


def _plain(value: object) -> object:
    """JSON has no tags: `!X v` becomes {"Fn::X": v} (or a string for an odd tag)."""
    if isinstance(value, Tagged):
        if value.tag.startswith("!!"):
            return str(value.value)
        name = value.tag[1:]
        return {name if name in ("Ref", "Condition") else "Fn::" + name: _plain(value.value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


@st.composite
def serialized(draw: st.DrawFn, doc: dict[str, object]) -> tuple[str, str]:
    form = draw(st.sampled_from(["yaml", "yaml", "yaml-flow", "json", "json-min"]))
    if form.startswith("json"):
        text = json.dumps(_plain(doc), indent=None if form == "json-min" else 2)
        return draw(st.sampled_from(["stack.json", "stack.template"])), text
    text = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=draw(st.booleans()),
                     default_flow_style=None if form == "yaml-flow" else False, width=80)
    if draw(st.integers(0, 6)) == 0:  # multi-document, anchors, merge keys, odd directives
        text = draw(st.sampled_from([
            "%YAML 1.1\n---\n", "---\n", "# comment\n", "x: &a 1\n", "%TAG ! tag:x,2000:\n---\n",
        ])) + text + draw(st.sampled_from(["", "---\nResources: {}\n", "...\n", "y: *a\n",
                                           "<<: {Resources: {}}\n"]))
    return draw(st.sampled_from(["stack.yaml", "stack.yml", "template.json"])), text


@st.composite
def templates(draw: st.DrawFn, sound: bool = False) -> dict[str, bytes]:
    name, text = draw(serialized(draw(template(sound))))
    files = {name: draw(mutated(text))}
    if not sound and draw(st.integers(0, 3)) == 0:
        _, nested = draw(serialized(draw(template())))
        files["nested.yaml"] = draw(mutated(nested))
    return files


@fuzz_settings(ci_examples=120)
@given(templates())
def test_cloudformation_templates(files: dict[str, bytes]) -> None:
    check_scan(files)


@fuzz_settings(ci_examples=60)
@given(templates(sound=True))
def test_cloudformation_no_backup_is_never_protected(files: dict[str, bytes]) -> None:
    text = b"".join(files.values()).lower()
    sound = not any(word in text for word in (b"aws::backup", b"stack", b"serverless::app"))
    check_scan(files, sound=sound)


@fuzz_settings(ci_examples=30)
@given(st.one_of(templates(), st.binary(max_size=200).map(
    lambda b: {"stack.yaml": b"AWSTemplateFormatVersion: x\n" + b})))
def test_cloudformation_through_the_cli(files: dict[str, bytes]) -> None:
    check_cli(files)
