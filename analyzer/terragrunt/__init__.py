"""Terragrunt units: terragrunt.hcl evaluated, its module judged with the unit's inputs."""
