"""The known ends of a table name known in parts (Table.name_ends)."""

from __future__ import annotations

from analyzer.model import Partial, Ref, Unknown
from analyzer.provider.table_names import partial_ends


def test_ends_of_a_partial_name() -> None:
    hole = Unknown("var.env")
    assert partial_ends(Partial(("orders-", hole))) == ("orders-", "")
    assert partial_ends(Partial(("a", hole, "-mid-", Ref("x", "name"), "-z"))) == ("a", "-z")


def test_no_ends_for_known_or_unknown_values() -> None:
    assert partial_ends("orders") is None
    assert partial_ends(Unknown("var.name")) is None
    assert partial_ends(Partial(("only", "text"))) is None
