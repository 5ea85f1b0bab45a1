"""Crashes the fuzzers found (issue 15 item 16), each as its minimal literal input, all fixed.
A new crash not fixed yet is added here as a strict xfail (and in fuzz_harness.KNOWN_CRASHES,
so the fuzz tests stay green); once it is fixed, drop the mark and the entry."""

from __future__ import annotations

import pytest
from fuzz_harness import check_result, report_json, tree

from analyzer.pipeline import scan

pytestmark = pytest.mark.fuzz


TABLE = b"Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
CASES = [
    pytest.param(
        {"stack.yaml": TABLE + b"      TableName: !Not []\n"},
        id="cfn-not-empty-list",
    ),
    pytest.param(
        {"stack.yaml": b"Mappings:\n  M:\n    K:\n      V: x\n"
                       + TABLE + b"      TableName: !FindInMap [{a: b}, K, V]\n"},
        id="cfn-find-in-map-key-is-a-mapping",
    ),
    pytest.param(
        {"stack.yaml": TABLE + b"      TableName: !Ref Orders\n"},
        id="cfn-table-name-refs-itself",
    ),
    pytest.param(
        {"stack.yaml": TABLE + b"      TableName: !Sub '${Orders}-x'\n"},
        id="cfn-table-name-subs-itself",
    ),
    pytest.param(
        {"stack.json": b'{"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}, "x": '
                       + b"9" * 5000 + b"}"},
        id="cfn-json-int-5000-digits",
    ),
    pytest.param(
        {"main.tf.json": b'{"resource": {"aws_dynamodb_table": {"t": {"name": '
                         + b"9" * 5000 + b"}}}}"},
        id="tf-json-int-5000-digits",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_fuzz_regression(files: dict[str, bytes]) -> None:
    with tree(files) as root:
        result = scan([str(root)])
        check_result(result)
        report_json(result)
