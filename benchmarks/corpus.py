"""A generated Terraform monorepo for the scaling benchmarks (issue 13).

    python benchmarks/corpus.py DEST --roots 100      # 100 roots, 2,000 tables

Each root `svcNNN/` holds 19 tables (`tables.tf`), a local module with one more table
(`modules/table/`, called once), a backup plan and three selections (`backup.tf`): one by
references to tables of the root, one by a tag only that root's tables carry, and one by an ARN
name prefix. So a root has 20 tables, and 2,000 tables are 100 roots. Tables vary as real ones
do: PITR on, off or from a variable, names from locals, tags merged with defaults. The tag and
prefix are per root, as a team's own plan would be, so every table is selected by its root's
selections only and the report grows linearly with the repository.
"""

from __future__ import annotations

import argparse
from pathlib import Path

TABLES_PER_ROOT = 19

PROVIDER = """terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }}
  }}
}}

provider "aws" {{
  region = "us-east-1"
  default_tags {{
    tags = {{
      team = "{svc}"
    }}
  }}
}}

variable "pitr" {{
  type    = bool
  default = true
}}

locals {{
  prefix = "{svc}"
  common = {{ service = "{svc}", env = "prod" }}
}}
"""

TABLE = """resource "aws_dynamodb_table" "t{i:02d}" {{
  name         = "${{local.prefix}}-table-{i:02d}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  range_key    = "sk"

  attribute {{
    name = "id"
    type = "S"
  }}
  attribute {{
    name = "sk"
    type = "S"
  }}

  ttl {{
    attribute_name = "expires_at"
    enabled        = true
  }}
{pitr}
  tags = merge(local.common, {{ {tag} }})
}}

"""

PITR = {
    0: "  point_in_time_recovery {\n    enabled = true\n  }\n",
    1: "  point_in_time_recovery {\n    enabled = var.pitr\n  }\n",
    2: "",
}

MODULE_CALL = """module "audit" {{
  source = "./modules/table"
  name   = "{svc}-audit"
  pitr   = false
  tags   = {{ backup-plan = "{svc}" }}
}}
"""

MODULE = """variable "name" {
  type = string
}

variable "pitr" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }

  tags = var.tags
}

output "arn" {
  value = aws_dynamodb_table.this.arn
}
"""

BACKUP = """resource "aws_backup_vault" "main" {{
  name = "{svc}-vault"
}}

resource "aws_backup_plan" "main" {{
  name = "{svc}-daily"

  rule {{
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 * * ? *)"

    lifecycle {{
      delete_after = 35
    }}
  }}
}}

resource "aws_backup_selection" "by_reference" {{
  name         = "{svc}-by-reference"
  plan_id      = aws_backup_plan.main.id
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  resources = [
{refs}
  ]
}}

resource "aws_backup_selection" "by_tag" {{
  name         = "{svc}-by-tag"
  plan_id      = aws_backup_plan.main.id
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"

  selection_tag {{
    type  = "STRINGEQUALS"
    key   = "backup-plan"
    value = "{svc}"
  }}
}}

resource "aws_backup_selection" "by_prefix" {{
  name         = "{svc}-by-prefix"
  plan_id      = aws_backup_plan.main.id
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  resources    = ["arn:aws:dynamodb:us-east-1:111122223333:table/{svc}-table-1*"]
}}
"""


def _table(i: int, svc: str) -> str:
    # Every third table is tagged for the root's tag selection; the rest carry other tags.
    tag = f'backup-plan = "{svc}"' if i % 3 == 0 else f'tier = "t{i % 4}"'
    return TABLE.format(i=i, pitr=PITR[i % 3], tag=tag)


def write_root(root: Path, index: int) -> None:
    svc = f"svc{index:04d}"
    (root / "modules" / "table").mkdir(parents=True)
    (root / "main.tf").write_text(PROVIDER.format(svc=svc) + "\n" + MODULE_CALL.format(svc=svc))
    (root / "tables.tf").write_text("".join(_table(i, svc) for i in range(TABLES_PER_ROOT)))
    refs = ",\n".join(f"    aws_dynamodb_table.t{i:02d}.arn" for i in range(2, TABLES_PER_ROOT, 4))
    (root / "backup.tf").write_text(BACKUP.format(svc=svc, refs=refs + ",\n    module.audit.arn"))
    (root / "modules" / "table" / "main.tf").write_text(MODULE)


def generate(dest: Path, roots: int) -> int:
    """Writes `roots` roots under `dest` (which must not exist yet); returns the table count."""
    dest.mkdir(parents=True)
    for index in range(roots):
        write_root(dest / f"svc{index:04d}", index)
    return roots * (TABLES_PER_ROOT + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--roots", type=int, default=100)
    args = parser.parse_args()
    print(f"{generate(args.dest, args.roots)} tables in {args.roots} roots under {args.dest}")


if __name__ == "__main__":
    main()
