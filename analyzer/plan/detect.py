"""Is a file Terraform plan (or state) JSON? Decided by content, whatever the file name.

`may_be_plan` peeks at the first and last bytes (no JSON parsed): `terraform show -json` writes
`format_version` first and `terraform_version` near it; a plan with its keys sorted has
`terraform_version` last. `plan_kind` confirms on the parsed data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from analyzer import boundary

PEEK_BYTES = 64 * 1024
SUPPORTED_MAJOR = "1"

_OPEN = re.compile(rb"^\s*\{")
_MARKER = re.compile(rb'"(format_version|terraform_version)"\s*:')


def may_be_plan(path: str) -> bool:
    """True when the file is a JSON object that names `format_version` or `terraform_version`
    in its first or last bytes."""
    if not path.endswith(".json"):
        return False
    try:
        with boundary.open_regular(path) as handle:  # a FIFO named x.json must not hang
            head = handle.read(PEEK_BYTES)
            size = handle.seek(0, 2)
            handle.seek(max(size - PEEK_BYTES, len(head)))
            tail = handle.read(PEEK_BYTES)
    except (OSError, ValueError):
        return False
    return bool(_OPEN.match(head)) and bool(_MARKER.search(head) or _MARKER.search(tail))


class UnsupportedPlan(ValueError):
    """A plan whose format this loader does not read (a major format_version other than 1)."""


def plan_kind(data: object) -> str | None:
    """"plan" (planned_values or resource_changes), "state" (values only), or None when the
    data is not Terraform's JSON output. Raises UnsupportedPlan for another major version."""
    if not isinstance(data, Mapping) or "format_version" not in data:
        return None
    if "terraform_version" not in data:
        return None
    if "planned_values" in data or "resource_changes" in data:
        kind = "plan"
    elif "values" in data:
        kind = "state"
    else:
        return None
    version = str(data["format_version"])
    if version.split(".")[0] != SUPPORTED_MAJOR:
        raise UnsupportedPlan(f"Terraform JSON format_version {version} is not supported "
                              f"(this version reads format {SUPPORTED_MAJOR}.x)")
    return kind
