"""A table name known only at its ends (`orders-${var.env}`) against a literal ARN name glob:
decided only when every middle gives the same answer (Table.name_ends, arn_match)."""

from __future__ import annotations

import pytest

from analyzer.aws.arn_match import name_ends_match
from analyzer.aws.glob import glob_atoms
from analyzer.aws.outcome import NO, YES


@pytest.mark.parametrize(("glob", "start", "end", "want"), [
    ("orders-*", "orders-", "", YES),          # orders-<anything>
    ("orders-*", "orders-prod-", "-v2", YES),
    ("*-events", "", "-events", YES),
    ("a*z", "ab", "yz", YES),
    ("cache-*", "orders-", "", NO),            # can never start with cache-
    ("*-events", "", "-audit", NO),
    ("orders", "orders-", "", NO),             # the known parts are already too long
    ("ord*", "", "-x", None),                  # the middle decides
    ("orders-*-prod", "orders-", "", None),
    ("orders-*-prod*", "orders-", "-prod", None),  # two star runs with text between: undecided
    ("orders", "ord", "ers", None),            # only an empty middle matches
])
def test_name_ends(glob: str, start: str, end: str, want: object) -> None:
    assert name_ends_match(tuple(glob_atoms(glob)), start, end) == want
