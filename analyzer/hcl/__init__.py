"""The HCL expression language: grammar, parsing, values, evaluation and built-in functions.

A language, not Terraform: nothing here knows of resources, modules or AWS."""
