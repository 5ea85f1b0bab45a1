"""Terraform's built-in functions this evaluator never evaluates, each with the reason.

A call to one of them is `Unknown(reason)`. Every other built-in function of Terraform is
implemented (tests/hcl/test_function_coverage.py compares both sets with the list Terraform
itself prints, `terraform metadata functions -json`).
"""

from __future__ import annotations

NOT_EVALUATED: dict[str, str] = {
    # Impure: a different value at every run.
    "timestamp": "the time of the run",
    "plantimestamp": "the time of the plan",
    "uuid": "a random UUID, new at every run",
    "bcrypt": "a hash with a random salt, new at every run",
    # Date and time: kept unknown by decision (issue 12); no protection setting depends on them.
    "formatdate": "date and time functions are not evaluated",
    "timeadd": "date and time functions are not evaluated",
    "timecmp": "date and time functions are not evaluated",
    # Pure, but not reproducible here byte for byte, or needing what a value does not carry.
    "base64gzip": "Go's gzip output cannot be reproduced byte for byte",
    "rsadecrypt": "decrypting with an RSA private key is not evaluated",
    "issensitive": "whether a value is sensitive is not tracked",
    "ephemeralasnull": "whether a value is ephemeral is not tracked",
}
