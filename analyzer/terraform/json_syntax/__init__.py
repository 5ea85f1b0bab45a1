"""Terraform's JSON syntax (`*.tf.json`) read into the same bodies as native syntax."""
