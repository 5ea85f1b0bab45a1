"""The objects an expression refers to, as the plan's configuration lists them and as the HCL
is written: the two sides give the same set for the same expression."""

from __future__ import annotations

import pytest

from analyzer.hcl.parse import parse_hcl
from analyzer.hybrid.references import planned_objects, written_objects

CASES = [
    # (HCL expression, the references `terraform show -json` lists for it)
    ("[aws_dynamodb_table.x.arn]", ["aws_dynamodb_table.x.arn", "aws_dynamodb_table.x"]),
    ('[for k, t in aws_dynamodb_table.fe : t.arn if k != var.skip]',
     ["aws_dynamodb_table.fe", "var.skip"]),
    ('concat([module.app["a"].arn], values(module.audit)[*].arn)',
     ['module.app["a"].arn', 'module.app["a"]', "module.app", "module.audit"]),
    ('"${data.aws_caller_identity.me.account_id}:${local.name}-${each.key}"',
     ["data.aws_caller_identity.me.account_id", "data.aws_caller_identity.me", "local.name",
      "each.key"]),
    ('["arn:aws:dynamodb:*:*:table/*"]', []),
]


@pytest.mark.parametrize(("hcl", "references"), CASES)
def test_both_sides_name_the_same_objects(hcl: str, references: list[str]) -> None:
    expr = parse_hcl(f"value = {hcl}\n").attributes["value"].expr
    assert written_objects(expr) == planned_objects(references)


def test_another_table_is_another_object() -> None:
    expr = parse_hcl("value = [aws_dynamodb_table.b.arn]\n").attributes["value"].expr
    assert written_objects(expr) != planned_objects(["aws_dynamodb_table.a.arn"])
