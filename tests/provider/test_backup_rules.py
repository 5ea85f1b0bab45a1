"""A plan rule's retention and a copy destination's Region, on model values (provider.backup_rules):
only literal text decides; anything else is unknown, never "kept forever" or "another Region"."""

from __future__ import annotations

import pytest

from analyzer.model import Partial, Ref, Unknown
from analyzer.provider.backup_rules import arn_region, retention_days


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (35, 35), (35.0, 35), ("35", 35), (" 7 ", 7),
])
def test_retention_days(value: object, expected: int | None) -> None:
    assert retention_days(value, "delete_after") == expected


@pytest.mark.parametrize("value", [True, "35d", 3.5, [], {}, Unknown("var.days")])
def test_retention_that_is_not_a_number_of_days_is_unknown(value: object) -> None:
    assert isinstance(retention_days(value, "delete_after"), Unknown)


@pytest.mark.parametrize(("value", "expected"), [
    ("arn:aws:backup:us-west-2:111122223333:backup-vault:dr", "us-west-2"),
    ("arn:aws-cn:backup:cn-north-1:111122223333:backup-vault:dr", "cn-north-1"),
    (Partial(("arn:", Unknown("partition"), ":backup:eu-west-1:", Unknown("account"),
              ":backup-vault:dr")), "eu-west-1"),
])
def test_arn_region(value: object, expected: str) -> None:
    assert arn_region(value, "destination_vault_arn") == expected


@pytest.mark.parametrize("value", [
    Partial(("arn:aws:backup:", Unknown("var.region"), ":111122223333:backup-vault:dr")),
    Ref("aws_backup_vault.dr", "arn"),
    Unknown("var.arn"),
    "dr-vault",
    "arn:aws:backup::111122223333:backup-vault:dr",
    None,
])
def test_arn_region_not_written_is_unknown(value: object) -> None:
    assert isinstance(arn_region(value, "destination_vault_arn"), Unknown)
