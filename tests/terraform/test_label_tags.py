"""cloudposse's null-label tags (issue 12 item 6): only the label's generated keys, the
context's tags and var.tags may be present. A selection by another key certainly misses; one
by a generated key, or any selection when the context is not known, stays unknown, never
protected (soundness: a key that may exist is never taken to be absent, nor present)."""

from __future__ import annotations

from pathlib import Path

from analyzer.aws.tag_match import evaluate as match
from analyzer.model import Location, TagCondition, Tags, Tri, Unknown
from analyzer.pipeline import scan

LABEL = """
provider "aws" {
  region = "us-east-1"
}
variable "context" {
  type = any
}
module "label" {
  source    = "cloudposse/label/null"
  version   = "0.25.0"
  stage     = "prod"
  name      = "orders"
  %s
}
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  tags     = module.label.tags
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "r"
    target_vault_name = "Default"
    schedule          = "cron(0 5 ? * * *)"
  }
}
resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  selection_tag {
    type  = "%s"
    key   = "%s"
    value = "%s"
  }
}
"""


def _status(tmp_path: Path, extra: str, op: str, key: str, value: str) -> str:
    (tmp_path / "main.tf").write_text(LABEL % (extra, op, key, value), encoding="utf-8")
    (verdict,) = scan([str(tmp_path)]).verdicts
    return verdict.status.value


def test_another_key_certainly_misses(tmp_path: Path) -> None:
    assert _status(tmp_path, "", "STRINGEQUALS", "backup", "daily") == "unprotected"


def test_var_tags_are_known(tmp_path: Path) -> None:
    assert _status(tmp_path, 'tags = { backup = "daily" }', "STRINGEQUALS", "backup",
                   "daily") == "protected"


def test_a_generated_key_stays_unknown(tmp_path: Path) -> None:
    """`Stage` may be generated (its value is not modelled), or not (label_key_case, an
    empty label, labels_as_tags): neither selected nor missed."""
    assert _status(tmp_path, "", "STRINGEQUALS", "Stage", "prod") == "unknown"
    assert _status(tmp_path, "", "STRINGLIKE", "STAGE", "*") == "unknown"


def test_an_unknown_context_may_add_any_tag(tmp_path: Path) -> None:
    assert _status(tmp_path, "context = var.context", "STRINGEQUALS", "backup",
                   "daily") == "unknown"


def test_a_known_context_adds_its_tags(tmp_path: Path) -> None:
    assert _status(tmp_path, 'context = { tags = { backup = "daily" } }', "STRINGEQUALS",
                   "backup", "daily") == "protected"


def _cond(op: str, key: str, value: str) -> TagCondition:
    return TagCondition(op, key, value, Location("main.tf", 1))


def test_restricted_keys_in_tag_conditions() -> None:
    tags = Tags({"team": "x"}, Unknown("label"), frozenset({"Stage"}))
    like_any = _cond("StringLike", "Stage", "*")
    assert match(like_any, tags).tri is Tri.UNKNOWN  # Stage may be absent: not YES
    assert match(_cond("StringEquals", "backup", "daily"), tags).tri is Tri.NO
    assert match(_cond("StringNotEquals", "backup", "daily"), tags).tri is Tri.YES
    open_tags = Tags({"team": "x"}, Unknown("any"))
    assert match(_cond("StringEquals", "backup", "daily"), open_tags).tri is Tri.UNKNOWN
