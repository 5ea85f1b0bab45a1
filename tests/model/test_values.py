"""The model's value forms: three-valued truth as coverage combines it, and how partly known
values print and merge."""

from __future__ import annotations

import itertools

from analyzer.model import Tags, Tri, Unknown, union_keys
from analyzer.model.values import Partial, Ref


def test_tri_is_kleene_logic() -> None:
    order = {Tri.NO: 0, Tri.UNKNOWN: 1, Tri.YES: 2}
    for a, b in itertools.product(Tri, repeat=2):
        assert order[a & b] == min(order[a], order[b])
        assert order[a | b] == max(order[a], order[b])
    assert ~Tri.UNKNOWN is Tri.UNKNOWN
    assert ~Tri.YES is Tri.NO and ~Tri.NO is Tri.YES


def test_a_partial_string_prints_its_references_and_holes() -> None:
    arn = Partial(("arn:aws:dynamodb:", Unknown("region"), ":1:table/",
                   Ref("aws_dynamodb_table.t", "name")))
    assert str(arn) == "arn:aws:dynamodb:${?}:1:table/${aws_dynamodb_table.t.name}"


def test_keys_a_partly_known_map_may_add() -> None:
    assert union_keys(frozenset({"Name"}), frozenset({"Stage"})) == {"Name", "Stage"}
    assert union_keys(None, frozenset({"Stage"})) is None
    label = Tags({"Name": "x"}, Unknown("var.tags"), frozenset({"Stage"}))
    assert label.may_have("Stage") and not label.may_have("backup")
    assert Tags({}, Unknown("any")).may_have("backup")
    assert not Tags({"Name": "x"}).may_have("Stage")
