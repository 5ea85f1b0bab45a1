"""The CloudFormation loader: templates (YAML, JSON, SAM, CDK output) and nested stacks."""
