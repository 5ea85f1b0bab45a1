# An application root: four DynamoDB tables, one verdict each.

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service = "shop"
    }
  }
}

variable "profiles_table_name" {
  description = "Chosen per environment by the deploy pipeline."
  type        = string
}

# Protected by its own point-in-time recovery.
resource "aws_dynamodb_table" "orders" {
  name         = "shop-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "order_id"

  attribute {
    name = "order_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

# Protected by the central AWS Backup plan in ../backup, which selects by tag.
resource "aws_dynamodb_table" "carts" {
  name         = "shop-carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "cart_id"

  attribute {
    name = "cart_id"
    type = "S"
  }

  tags = {
    backup = "daily"
  }
}

# Not protected: no PITR, no tag, no selection names it.
resource "aws_dynamodb_table" "audit_log" {
  name         = "shop-audit-log"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "event_id"

  attribute {
    name = "event_id"
    type = "S"
  }
}

# Unknown: the backup plan selects "shop-profiles-*" names, and this name is only known at deploy.
resource "aws_dynamodb_table" "profiles" {
  name         = var.profiles_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "user_id"

  attribute {
    name = "user_id"
    type = "S"
  }
}
