"""Terraform JSON syntax (`*.tf.json`): the same Body structure as native syntax, with lines from
the JSON, nested blocks told from arguments per context, templates, comments and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.paths import FIXTURES as ALL_FIXTURES

from analyzer.discover import discover
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Block, Body, HclSyntaxError, parse_hcl
from analyzer.pipeline import scan
from analyzer.terraform.files import parse_file, read_module
from analyzer.terraform.json_syntax.parse import parse_json_values, parse_tf_json
from analyzer.terraform.lazy import traversal_text
from analyzer.terraform.suppress import block_suppressions

FIXTURES = ALL_FIXTURES / "terraform"


def _doc(data: object) -> Body:
    return parse_tf_json(json.dumps(data, indent=2))


def _value(body: Body, name: str, scope: dict | None = None) -> object:
    return evaluate(body.attributes[name].expr, scope or {})


def _resource(body: Body, rtype: str, name: str) -> Block:
    return next(b for b in body.blocks if b.type == "resource" and b.labels == [rtype, name])


def _table(**body: object) -> Body:
    return _resource(_doc({"resource": {"aws_dynamodb_table": {"t": body}}}),
                     "aws_dynamodb_table", "t").body


# --- lines ----------------------------------------------------------------------------------

LINES = """{
  "resource": {
    "aws_dynamodb_table": {
      "orders": {
        "name": "orders",
        "point_in_time_recovery": {
          "enabled": true
        }
      }
    },
    "aws_backup_plan": {
      "daily": {
        "rule": [
          {"rule_name": "a"},
          {"rule_name": "b"}
        ]
      }
    }
  }
}
"""


def test_block_and_attribute_lines_come_from_the_json() -> None:
    body = parse_tf_json(LINES)
    table = _resource(body, "aws_dynamodb_table", "orders")
    assert (table.line, table.end_line) == (4, 9)
    assert (table.body.attributes["name"].line, table.body.attributes["name"].col) == (5, 9)
    pitr = next(table.body.blocks_of("point_in_time_recovery"))
    assert (pitr.line, pitr.end_line) == (6, 8)
    assert pitr.body.attributes["enabled"].line == 7
    rules = list(_resource(body, "aws_backup_plan", "daily").body.blocks_of("rule"))
    assert [r.line for r in rules] == [14, 15]  # array elements: the line of each `{`


def test_table_location_and_pitr_line_reach_the_verdict(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(LINES)
    [verdict] = scan([str(tmp_path)]).verdicts
    assert verdict.status.value == "protected"
    assert (verdict.table.location.file, verdict.table.location.line) == ("main.tf.json", 4)
    assert verdict.evidence[0].location is not None
    assert verdict.evidence[0].location.line == 7


# --- nested blocks versus arguments ---------------------------------------------------------

def test_known_nested_blocks_become_blocks_and_maps_stay_arguments() -> None:
    body = _table(name="t", tags={"backup": "daily"},
                  attribute=[{"name": "id", "type": "S"}, {"name": "sk", "type": "N"}],
                  point_in_time_recovery={"enabled": True},
                  replica=[{"region_name": "eu-west-1", "point_in_time_recovery": True}])
    assert _value(body, "tags") == {"backup": "daily"}
    assert [b.type for b in body.blocks] == ["attribute", "attribute", "point_in_time_recovery",
                                             "replica"]
    replica = next(body.blocks_of("replica")).body
    assert _value(replica, "point_in_time_recovery") is True  # an argument inside a replica


def test_same_name_is_an_argument_where_the_schema_says_so() -> None:
    body = _doc({"resource": {"aws_dynamodb_table_replica": {"r": {
        "global_table_arn": "x", "point_in_time_recovery": True}}}})
    replica = _resource(body, "aws_dynamodb_table_replica", "r").body
    assert _value(replica, "point_in_time_recovery") is True and not replica.blocks


def test_unlisted_resource_types_read_objects_as_arguments() -> None:
    body = _doc({"resource": {"aws_sqs_queue": {"q": {"redrive_policy": {"a": 1}}}}})
    queue = _resource(body, "aws_sqs_queue", "q").body
    assert _value(queue, "redrive_policy") == {"a": 1} and not queue.blocks


def test_null_and_empty_blocks_are_absent() -> None:
    assert not _table(point_in_time_recovery=None).blocks
    assert not _table(point_in_time_recovery=[]).blocks


def test_selection_conditions_and_plan_rules_nest() -> None:
    body = _doc({"resource": {
        "aws_backup_selection": {"s": {"condition": {"string_equals": [
            {"key": "aws:ResourceTag/backup", "value": "yes"}]}}},
        "aws_backup_plan": {"p": {"rule": {"rule_name": "r", "lifecycle": {"delete_after": 7},
                                           "copy_action": {"lifecycle": {"delete_after": 3}}}}},
    }})
    condition = next(_resource(body, "aws_backup_selection", "s").body.blocks_of("condition"))
    assert [b.type for b in condition.body.blocks] == ["string_equals"]
    rule = next(_resource(body, "aws_backup_plan", "p").body.blocks_of("rule"))
    assert sorted(b.type for b in rule.body.blocks) == ["copy_action", "lifecycle"]


def test_dynamic_blocks_have_a_label_and_content_read_as_the_named_block() -> None:
    body = _table(dynamic={"point_in_time_recovery": {
        "for_each": "${[1]}", "iterator": "it", "content": {"enabled": "${it.value == 1}"}}})
    [dynamic] = body.blocks
    assert (dynamic.type, dynamic.labels) == ("dynamic", ["point_in_time_recovery"])
    assert traversal_text(dynamic.body.attributes["iterator"].expr) == "it"
    content = next(dynamic.body.blocks_of("content")).body
    assert _value(content, "enabled", {"it": {"key": 0, "value": 1}}) is True


def test_labels_may_be_arrays_of_objects_at_every_level() -> None:
    body = _doc({
        "resource": [{"aws_dynamodb_table": {"a": {"name": "a"}}},
                     {"aws_dynamodb_table": [{"b": {"name": "b"}}]}],
        "provider": {"aws": [{"region": "us-east-1", "default_tags": [{"tags": {"k": "v"}}]},
                             {"alias": "west", "region": "us-west-2"}]},
        "locals": [{"x": 1}, {"y": 2}],
    })
    assert [b.labels for b in body.blocks_of("resource")] == [
        ["aws_dynamodb_table", "a"], ["aws_dynamodb_table", "b"]]
    providers = list(body.blocks_of("provider"))
    assert [p.labels for p in providers] == [["aws"], ["aws"]]
    assert [b.type for b in providers[0].body.blocks] == ["default_tags"]
    assert [sorted(b.body.attributes) for b in body.blocks_of("locals")] == [["x"], ["y"]]


def test_unknown_top_level_keys_are_ignored() -> None:
    assert not _doc({"something_new": {"a": {"b": 1}}}).blocks


# --- expressions ----------------------------------------------------------------------------

def test_strings_are_templates() -> None:
    body = _table(
        name="orders-${var.env}",
        whole="${var.list}",  # one interpolation alone keeps its type
        escaped="$${not} %%{this}",
        quoted='say "hi" \\ then\nnewline\ttab',
        directive="%{ if var.env == \"prod\" }p%{ else }n%{ endif }",
        braces='${join("}", ["a", "b"])}',
        nested='${"${var.env}-x"}',
    )
    scope = {"var": {"env": "prod", "list": [1, 2]}}
    assert _value(body, "name", scope) == "orders-prod"
    assert _value(body, "whole", scope) == [1, 2]
    assert _value(body, "escaped") == "${not} %{this}"
    assert _value(body, "quoted") == 'say "hi" \\ then\nnewline\ttab'
    assert _value(body, "directive", scope) == "p"
    assert _value(body, "braces") == "a}b"
    assert _value(body, "nested", scope) == "prod-x"


def test_numbers_booleans_null_arrays_and_objects() -> None:
    body = _doc({"locals": {"n": 3, "f": 1.5e3, "neg": -2, "t": True, "z": None,
                            "list": ["${1 + 1}", 3], "map": {"${local.k}": "v", "//": "kept"}}})
    locals_ = next(body.blocks_of("locals")).body
    values = {k: _value(locals_, k, {"local": {"k": "key"}}) for k in locals_.attributes}
    assert values == {"n": 3, "f": 1500, "neg": -2, "t": True, "z": None, "list": [2, 3],
                      "map": {"key": "v", "//": "kept"}}  # "//" is a comment only in bodies


def test_variable_defaults_are_literal_and_tfvars_json_too() -> None:
    body = _doc({"variable": {"v": {"default": {"k": "a${b}c", "${x}": "%{y}"},
                                    "type": "map(string)"}}})
    variable = next(body.blocks_of("variable")).body
    assert _value(variable, "default") == {"k": "a${b}c", "${x}": "%{y}"}
    values = parse_json_values('{"env": "a${b}", "n": [1, {"k": true}]}')
    assert _value(values, "env") == "a${b}" and _value(values, "n") == [1, {"k": True}]


def test_meta_arguments_hold_expressions_not_templates() -> None:
    body = _table(provider="aws.west", depends_on=["aws_iam_role.r"],
                  lifecycle={"ignore_changes": ["tags"]})
    assert traversal_text(body.attributes["provider"].expr) == "aws.west"
    assert traversal_text(body.attributes["depends_on"].expr.children[0]) is None  # a tuple
    lifecycle = next(body.blocks_of("lifecycle")).body
    assert "ignore_changes" in lifecycle.attributes


def test_json_and_native_syntax_evaluate_alike() -> None:
    native = parse_hcl('x = { a = [1, "b-${var.c}"], d = var.e ? "y" : "n" }\n')
    as_json = _doc({"locals": {"x": {"a": [1, "b-${var.c}"], "d": "${var.e ? \"y\" : \"n\"}"}}})
    scope = {"var": {"c": "C", "e": True}}
    assert _value(next(as_json.blocks_of("locals")).body, "x", scope) == _value(native, "x", scope)


# --- comments and suppression ---------------------------------------------------------------

SUPPRESSED = """{
  "resource": {
    "aws_dynamodb_table": {
      "//": "iac-ddb-lint:ignore DDB001 above the block",
      "a": {
        "name": "a"
      },
      "b": {
        "//": {"metadata": {"path": "app/b"}, "note": "iac-ddb-lint:ignore DDB001 inside"},
        "name": "b"
      },
      "c": {
        "name": "c"
      }
    }
  }
}
"""


def test_comment_strings_are_comments_at_their_line_and_suppress() -> None:
    body = parse_tf_json(SUPPRESSED)
    assert (4, "iac-ddb-lint:ignore DDB001 above the block") in body.comments
    assert (9, "app/b") in body.comments
    reasons = {name: [s.reason for s in block_suppressions(
        body, _resource(body, "aws_dynamodb_table", name), "x.tf.json")] for name in "abc"}
    assert reasons == {"a": ["above the block"], "b": ["inside"], "c": []}


# --- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "col", "says"), [
    ('{\n  "locals": {\n    "a": 1,\n  }\n}', 4, 3, "trailing comma"),
    ('{\n  "locals": {"a": 1 "b": 2}\n}', 2, 21, "expected ','"),
    ('{"locals": {"a": "unterminated}}', 1, 18, "invalid string"),
    ('{"locals": {"a": tru}}', 1, 18, "expected a JSON value"),
    ("", 1, 1, "expected a JSON value"),
    ("[1]", 1, 1, "must hold one JSON object"),
    ('{"locals": {}} x', 1, 16, "after the JSON value"),
    ('{\n "locals": {\n  "a": 1,\n  "a": 2}}', 4, 3, 'duplicate argument "a"'),
    ('{"locals": {"m": {"k": 1,\n "k": 2}}}', 2, 2, 'duplicate object key "k"'),
    ('{"locals": {"a": 1,\n "b": "${foo(}"}}', 2, 7, 'invalid expression in "b"'),
    ('{"resource": {"aws_dynamodb_table": {"t": {\n "replica": "${x}"}}}}', 2, 13,
     '"replica" must be a JSON object'),
    ('{"resource": {"aws_dynamodb_table": "x"}}', 1, 37, "must be a JSON object"),
])
def test_errors_name_line_and_column(text: str, line: int, col: int, says: str) -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse_tf_json(text)
    assert (caught.value.line, caught.value.col) == (line, col), caught.value.message
    assert says in caught.value.message


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(HclSyntaxError, match="nested too deeply"):
        parse_tf_json('{"locals": {"a": ' + "[" * 5000 + "]" * 5000 + "}}")


def test_a_broken_file_is_a_load_error_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.tf.json"
    path.write_text('{\n  "resource": {,}\n}\n')
    parsed, error = parse_file(path, tmp_path)
    assert parsed is None and error is not None
    assert (error.location.file, error.location.line, error.location.col) == ("bad.tf.json", 2, 16)


# --- integration ----------------------------------------------------------------------------

def test_a_module_reads_tf_and_tf_json_in_file_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.tf").write_text('locals {\n  b = 1\n}\n')
    (tmp_path / "a.tf.json").write_text('{"locals": {"a": 1}}')
    (tmp_path / "c.tf.json").write_text('{"locals": {"c": 1}}')
    (tmp_path / "notes.json").write_text('{"locals": {"n": 1}}')
    source = read_module(tmp_path, tmp_path)
    assert [f.rel for f in source.files] == ["a.tf.json", "b.tf", "c.tf.json"]


def test_a_directory_with_only_tf_json_is_a_terraform_unit(tmp_path: Path) -> None:
    stack = tmp_path / "cdktf.out" / "stacks" / "app"
    stack.mkdir(parents=True)
    (stack / "cdk.tf.json").write_text("{}")
    assert [u.path for u in discover([str(tmp_path)]).units] == [stack.resolve()]
    assert [u.path for u in discover([str(stack / "cdk.tf.json")]).units] == [stack.resolve()]


def test_the_json_fixture_gives_the_verdicts_of_its_native_twin() -> None:
    def verdicts(case: str) -> dict[str, str]:
        return {v.table.address: v.status.value for v in scan([str(FIXTURES / case)]).verdicts}

    assert verdicts("tf_json_selection") == verdicts("selection_direct_reference")


@pytest.mark.parametrize("value", [
    "abc", "", 'q"uote\\ and\nnew\tline \u00e9 \x01', 0, 42, 1.5, 1e300, 2.5e-3, True, False, None,
    [], {}, [1, "x", [True, None]], {"k": 1, "j": {"n": ["v"]}, "//": "kept", "a b": "c"},
])
def test_plain_values_skip_the_parser_with_the_trees_it_would_give(value: object) -> None:
    from analyzer.terraform.json_syntax.expressions import plain_tree, render
    from analyzer.terraform.json_syntax.scanner import scan_json

    node = scan_json(json.dumps(value))
    for mode in ("template", "literal"):
        built = plain_tree(node, mode)
        assert built is not None
        assert built == parse_hcl(f"x = {render(node, mode)}\n").attributes["x"].expr


def test_templates_negative_numbers_and_raw_strings_take_the_parser() -> None:
    from analyzer.terraform.json_syntax.expressions import plain_tree
    from analyzer.terraform.json_syntax.scanner import scan_json

    assert plain_tree(scan_json('["${x}"]'), "template") is None
    assert plain_tree(scan_json('{"${k}": 1}'), "template") is None
    assert plain_tree(scan_json("-1"), "template") is None
    assert plain_tree(scan_json('"aws.west"'), "raw") is None
    assert plain_tree(scan_json('{"a": 1, "a": 2}'), "template") is None
