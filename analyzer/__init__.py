"""iac-ddb-lint: prove every DynamoDB table in IaC is protected by PITR or AWS Backup."""

__version__ = "0.1.0"
