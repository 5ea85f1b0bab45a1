"""The Terraform plan JSON loader (`terraform show -json tfplan`): see docs/architecture.md."""
