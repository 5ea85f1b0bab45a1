"""`replace(<table>.arn, <from>, <to>)` tags the replica in <to> only when it can mean nothing
else; a tag resource calling another Region, a <from> that is not the table's Region, or a
table name holding <from> may tag it, never surely (so never a false protected)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.paths import FIXTURES

from analyzer.pipeline import scan

CASE = FIXTURES / "terraform" / "dynamodb_tag_resource"
IDIOM = ("replace(aws_dynamodb_table.global.arn, data.aws_region.current.name, "
         "data.aws_region.ireland.name)")


def _replica_status(tmp_path: Path, edit: tuple[str, str]) -> str:
    shutil.copy(CASE / "main.tf", tmp_path / "main.tf")
    text = (tmp_path / "main.tf").read_text(encoding="utf-8")
    assert edit[0] in text
    (tmp_path / "main.tf").write_text(text.replace(*edit), encoding="utf-8")
    (verdict,) = [v for v in scan([str(tmp_path)]).verdicts
                  if v.table.address == "aws_dynamodb_table.global" and v.table.replica_region]
    return verdict.status.value


def test_the_idiom_tags_the_replica(tmp_path: Path) -> None:
    assert _replica_status(tmp_path, (IDIOM, IDIOM)) == "protected"


@pytest.mark.parametrize("edit", [
    # the tag resource calls DynamoDB in the table's own Region: the replica's ARN is refused
    ("  provider     = aws.ireland\n  resource_arn = replace(", "  resource_arn = replace("),
    # <from> is not the table's Region: replace() changes nothing, the home table's ARN
    (IDIOM, 'replace(aws_dynamodb_table.global.arn, "ap-south-1", data.aws_region.ireland.name)'),
    # the table's name holds <from>: replace() rewrites the name too
    ('name             = "carts"', 'name             = "carts-us-east-1"'),
])
def test_anything_else_may_tag_it_but_never_surely(tmp_path: Path, edit: tuple[str, str]
                                                   ) -> None:
    assert _replica_status(tmp_path, edit) != "protected"
