# A global table whose table and two replicas all lack point-in-time recovery: three DDB001
# findings with one baseline key (rule, resource, unit, file), for the multiset semantics.
provider "aws" {
  region = "us-east-1"
}

resource "aws_dynamodb_table" "global" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "id"
    type = "S"
  }

  replica {
    region_name = "eu-west-1"
  }

  replica {
    region_name = "ap-southeast-2"
  }
}
