"""The intrinsic functions and pseudo parameters (issue 12 item 9): each evaluated one is exact
on known values and unknown otherwise; the ones only a deployment knows stay unknown; and
docs/cloudformation-evaluation.md names every one the evaluator recognises."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES, REPO

from analyzer.cli import main
from analyzer.cloudformation.intrinsics import NO_VALUE, Context, evaluate, recognised
from analyzer.model import Unknown

EXTENDED = {"Transform": "AWS::LanguageExtensions",
            "Mappings": {"Sizes": {"prod": {"Count": "3"}}}}


def _eval(value: object, template: dict | None = None, **pins: str) -> object:
    return evaluate(value, Context(template or EXTENDED, dict(pins)))


@pytest.mark.parametrize(("expr", "expected"), [
    ({"Fn::Base64": "orders"}, "b3JkZXJz"),
    ({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}, ["10.0.0.0/24", "10.0.1.0/24"]),
    ({"Fn::Cidr": ["fd00::/56", "1", "72"]}, ["fd00::/56"]),
    ({"Fn::Length": ["a", "b", {"Ref": "AWS::NoValue"}]}, 2),
    ({"Fn::Equals": [{"Fn::Length": {"Fn::Split": [",", "a,b,c"]}}, "3"]}, True),
    ({"Fn::ToJsonString": {"key1": "value1", "key2": ["a", "b"]}},
     '{"key1":"value1","key2":["a","b"]}'),
    ({"Fn::FindInMap": ["Sizes", "prod", "Count"]}, "3"),
    ({"Fn::FindInMap": ["Sizes", "dev", "Count", {"DefaultValue": "1"}]}, "1"),
    ({"Fn::Select": ["1", {"Fn::Split": ["/", "a/b/c"]}]}, "b"),
    ({"Fn::Join": ["-", ["a", {"Ref": "AWS::NoValue"}, "b"]]}, "a-b"),
    ({"Ref": "AWS::NoValue"}, NO_VALUE),
])
def test_evaluated_functions_are_exact(expr: object, expected: object) -> None:
    assert _eval(expr) == expected


@pytest.mark.parametrize(("expr", "needle"), [
    ({"Fn::ImportValue": "SharedTableArn"}, "another stack's export"),
    ({"Fn::GetAZs": ""}, "Availability Zones"),
    ({"Fn::Transform": {"Name": "Acme"}}, "macro"),
    ({"Fn::Cidr": ["10.0.0.0/24", 4, 8]}, "too small"),
    ({"Fn::Cidr": ["10.0.0.0/16", 0, 8]}, "rejects"),
    ({"Fn::ToJsonString": {"on": True}}, "ASCII strings"),
    ({"Fn::Base64": {"Ref": "AWS::StackName"}}, "not known"),
    ({"Fn::FindInMap": ["Sizes", "dev", "Count"]}, "no key"),
    ({"Ref": "AWS::NotificationARNs"}, "AWS::NotificationARNs"),
    ({"Ref": "AWS::AccountId"}, "AWS::AccountId"),
])
def test_what_only_the_deployment_knows_is_unknown(expr: object, needle: str) -> None:
    value = _eval(expr)
    assert isinstance(value, Unknown) and needle in value.reason


def test_language_extensions_functions_need_the_transform() -> None:
    plain = {"Mappings": EXTENDED["Mappings"]}
    for expr in ({"Fn::Length": ["a"]}, {"Fn::ToJsonString": ["a"]},
                 {"Fn::FindInMap": ["Sizes", "dev", "Count", {"DefaultValue": "1"}]}):
        value = _eval(expr, plain)
        assert isinstance(value, Unknown) and "AWS::LanguageExtensions" in value.reason


@pytest.mark.parametrize(("region", "partition", "suffix"), [
    ("eu-west-1", "aws", "amazonaws.com"),
    ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
])
def test_partition_and_url_suffix_follow_a_pinned_region(
        region: str, partition: str, suffix: str) -> None:
    pins = {"AWS::Region": region}
    assert _eval({"Ref": "AWS::Partition"}, **pins) == partition
    assert _eval({"Ref": "AWS::URLSuffix"}, **pins) == suffix


def test_a_region_of_an_unfamiliar_partition_leaves_it_unknown() -> None:
    assert isinstance(_eval({"Ref": "AWS::Partition"}, **{"AWS::Region": "eusc-de-east-1"}),
                      Unknown)
    assert isinstance(_eval({"Ref": "AWS::Partition"}), Unknown)


def _statuses(*args: str) -> dict[str, str]:
    import json

    run = CliRunner().invoke(main, [str(FIXTURES / "cloudformation" / "novalue_pitr"),
                                    "--format", "json", *args])
    return {t["resource"]: t["status"] for t in json.loads(run.output)["tables"]}


def test_pinning_the_issue_example_decides_it() -> None:
    """`--parameter Env=prod` takes the PITR branch; `Env=dev` takes AWS::NoValue (absent)."""
    assert _statuses()["Defaulted"] == "unprotected"
    assert _statuses("--parameter", "Env=prod")["Defaulted"] == "protected"
    assert _statuses("--parameter", "Env=dev")["Defaulted"] == "unprotected"
    assert _statuses("--parameter", "Env=prod")["EnabledKey"] == "protected"


def test_the_doc_names_every_recognised_intrinsic() -> None:
    """docs/cloudformation-evaluation.md has a table row for each function and pseudo
    parameter the evaluator knows, so the docs cannot drift from the code."""
    text = (REPO / "docs" / "cloudformation-evaluation.md").read_text()
    rows = set(re.findall(r"^\| `([^`]+)`", text, flags=re.MULTILINE))
    missing = [name for name in recognised() if name not in rows]
    assert not missing, f"not in docs/cloudformation-evaluation.md: {missing}"
