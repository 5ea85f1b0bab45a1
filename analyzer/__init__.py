"""iac-ddb-lint: prove every DynamoDB table in IaC is protected by PITR or AWS Backup."""

__version__ = "0.1.0"

# The project's public home page (its README), where SARIF's informationUri and rule helpUri
# (`#rules`) and cfn-lint's source_url point. Empty while none is published: links are left out.
PROJECT_URL = ""

# Allocations between young-generation collections while the analyzer runs (Python: 700): a run
# builds many long-lived objects and few cycles (pipeline.scan; the launcher, analyzer.__main__).
GC_THRESHOLD = 50_000
