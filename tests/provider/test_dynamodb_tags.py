"""provider/dynamodb_tags.py: the table an ARN names (three-valued), and adding a tag."""

from __future__ import annotations

from analyzer.model import Location, Pitr, Table, Tags, Unknown
from analyzer.provider.dynamodb_tags import add_tag, arn_target, literal_target

WHERE = Location("main.tf", 1)


def _table(name: str | Unknown, region: str | Unknown, address: str = "aws_dynamodb_table.t",
           replica: str | None = None, tags: Tags | None = None) -> Table:
    return Table(address, name, region, tags or Tags(), Pitr(False, None), WHERE,
                 replica_region=replica)


def test_a_literal_arn_names_the_table_of_that_name_in_that_region() -> None:
    target = literal_target("arn:aws:dynamodb:eu-west-1:123456789012:table/carts")
    assert target is not None
    assert target(_table("carts", "eu-west-1")) is True
    assert target(_table("carts", "us-east-1")) is False
    assert target(_table("users", "eu-west-1")) is False
    assert target(_table("carts", Unknown("region"))) is None
    assert target(_table(Unknown("name"), "eu-west-1")) is None
    assert literal_target("arn:aws:dynamodb:eu-west-1:1:global-table/x") is None


def test_a_family_shares_its_name_even_when_unknown() -> None:
    bound = Unknown("the name of aws_dynamodb_table.t")
    target = arn_target(bound, "eu-west-1", family="aws_dynamodb_table.t")
    assert target(_table(bound, "eu-west-1", replica="eu-west-1")) is True
    assert target(_table(bound, "us-east-1")) is False
    assert target(_table("other", "eu-west-1", address="aws_dynamodb_table.o")) is None
    assert arn_target("t", Unknown("the tag's Region"))(_table("t", "eu-west-1")) is None


def test_adding_a_tag_surely_maybe_or_not() -> None:
    table = _table("t", "eu-west-1", tags=Tags({"backup": "weekly"}))
    assert add_tag(table, True, "backup", "daily", "m").tags == Tags({"backup": "daily"})
    assert add_tag(table, False, "backup", "daily", "m") is table
    maybe = add_tag(table, None, "backup", "daily", "m").tags
    assert maybe.known["backup"] == Unknown("m") and maybe.more is None
    unknown_key = add_tag(table, True, Unknown("key"), "daily", "m").tags
    assert unknown_key.known == {"backup": "weekly"} and unknown_key.more == Unknown("m")
