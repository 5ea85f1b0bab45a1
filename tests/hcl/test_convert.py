"""Type constraints and conversion (hcl.types, hcl.convert) beyond the plan oracle of
tests/terraform/test_variable_types.py: what Terraform rejects (its messages, checked with
terraform 1.11), and that what is not known stays unknown, never a default."""

from __future__ import annotations

import pytest

from analyzer.hcl.convert import ConversionError, ListValue, checked_type, convert
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import parse_hcl
from analyzer.hcl.types import TypeSyntaxError
from analyzer.model import Partial, PartialMap, Ref, Unknown


def kind(text: str):
    return checked_type(parse_hcl(f"x = {text}\n").attributes["x"].expr)


def value(text: str) -> object:
    return evaluate(parse_hcl(f"x = {text}\n").attributes["x"].expr, {})


def fails(type_text: str, value_text: str) -> str:
    with pytest.raises(ConversionError) as caught:
        convert(value(value_text), kind(type_text))
    return str(caught.value)


@pytest.mark.parametrize(("type_text", "value_text", "message"), [
    ("map(object({ name = string }))", "{ a = {} }", 'element "a": attribute "name" is required'),
    ("object({ pitr = optional(bool, true) })", '{ pitr = "maybe" }',
     'attribute "pitr": a bool is required'),
    ("bool", '"True"', 'a bool is required; to convert from string, use lowercase "true"'),
    ("bool", "1", "bool required"),
    ("number", "true", "number required"),
    ("number", '" 1"', "a number is required"),
    ("number", '"0x10"', "a number is required"),
    ("list(string)", '"a"', "list of string required"),
    ("map(object({ a = string }))", "5", "map of object required"),
    ("list(any)", "[1, true]", "all list elements must have the same type"),
    ("map(any)", "{ a = 1, b = true }", "all map elements must have the same type"),
])
def test_what_terraform_rejects(type_text: str, value_text: str, message: str) -> None:
    assert fails(type_text, value_text) == message


@pytest.mark.parametrize(("type_text", "message"), [
    ('"string"', "must not be quoted"),
    ("optional(bool)", "only for an attribute of an object type"),
    ('object({ a = optional(bool, "yes") })', 'the optional attribute "a" does not fit'),
    ("strin", 'the keyword "strin" is not a valid type'),
    ("list(string, number)", "list() takes 1 argument"),
    ("object({ a = string, a = number })", 'the attribute "a" is given twice'),
])
def test_invalid_type_constraints(type_text: str, message: str) -> None:
    with pytest.raises(TypeSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        kind(type_text)


def test_unknown_parts_stay_unknown_and_take_no_default() -> None:
    reason = Unknown("var.x has no default and no value is set")
    converted = convert({"pitr": reason}, kind("object({ pitr = optional(bool, true) })"))
    assert converted == {"pitr": reason}
    assert convert(reason, kind("bool")) is reason


def test_an_optional_attribute_without_default_is_null_not_true() -> None:
    assert convert({}, kind("object({ pitr = optional(bool) })")) == {"pitr": None}


def test_a_map_known_in_part_leaves_unseen_attributes_unknown() -> None:
    partial = PartialMap({"name": "orders"}, Unknown("merge() with var.extra"))
    converted = convert(partial, kind("object({ name = string, pitr = optional(bool, true) })"))
    assert converted["name"] == "orders"
    assert isinstance(converted["pitr"], Unknown)


def test_references_keep_their_identity_as_strings() -> None:
    arn = Ref("aws_dynamodb_table.orders", "arn")
    assert convert([arn], kind("list(string)")) == [arn]
    assert isinstance(convert(arn, kind("bool")), Unknown)
    assert isinstance(convert(Partial(("a-", Unknown("x"))), kind("number")), Unknown)


def test_lists_are_marked_and_sets_are_not() -> None:
    assert isinstance(convert(["a"], kind("list(string)")), ListValue)
    assert convert(["a"], kind("list(string)")).kind == "list of string"
    assert not isinstance(convert(["b", "a"], kind("set(string)")), ListValue)
    assert convert(["b", "a", "b"], kind("set(string)")) == ["a", "b"]
    assert isinstance(convert(["a", Unknown("x")], kind("set(string)")), Unknown)
