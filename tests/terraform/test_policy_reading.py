"""What the Terraform loader reads for the policy rules: a recovery period, a rule's retention
and its copy destinations, from blocks that may be `dynamic` or undecided (never a pass)."""

from __future__ import annotations

from pathlib import Path

from analyzer.model import SAME_REGION, Policy, Status, Unknown
from analyzer.pipeline import scan

TABLE = """
resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  resources    = [aws_dynamodb_table.t.arn]
}
"""

PLAN = """
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

variable "lifecycles" {
  type = list(number)
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "r"
    target_vault_name = "main"
    dynamic "lifecycle" {
      for_each = var.lifecycles
      content {
        delete_after = lifecycle.value
      }
    }
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
    }
  }
}
"""


def test_an_undecided_dynamic_lifecycle_is_unknown_not_kept_forever(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TABLE + PLAN)
    result = scan([str(tmp_path)], policy=Policy(min_retention_days=30))
    (plan,) = result.inventory.plans
    assert isinstance(plan.retention_days[0], Unknown)
    assert plan.copy_regions == (("eu-west-1",),)  # the vault's provider's Region
    assert [v.status for v in result.verdicts] == [Status.UNKNOWN]


def test_a_vault_of_the_plans_own_provider_is_in_its_region(tmp_path: Path) -> None:
    same = PLAN.replace("  provider = aws.dr\n", "").replace(
        "      for_each = var.lifecycles", "      for_each = [35]")
    (tmp_path / "main.tf").write_text(TABLE + same)
    result = scan([str(tmp_path)], policy=Policy(copy_to_another_region=True,
                                                 min_retention_days=30))
    (plan,) = result.inventory.plans
    assert plan.retention_days == (35,) and plan.copy_regions == ((SAME_REGION,),)
    assert [v.status for v in result.verdicts] == [Status.UNPROTECTED]


def test_an_undecided_dynamic_pitr_block_leaves_its_period_open(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""
variable "pitr" {
  type = list(object({ days = number }))
}

resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  dynamic "point_in_time_recovery" {
    for_each = var.pitr
    content {
      enabled                 = true
      recovery_period_in_days = point_in_time_recovery.value.days
    }
  }
  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }
}
""")
    result = scan([str(tmp_path)], policy=Policy(min_pitr_days=14))
    table, replica = result.inventory.tables
    assert isinstance(table.pitr.recovery_days, Unknown)
    assert isinstance(replica.pitr.recovery_days, Unknown)  # the table's, which may be short
    assert {v.status for v in result.verdicts} == {Status.UNKNOWN}
