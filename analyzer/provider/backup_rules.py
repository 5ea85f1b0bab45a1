"""What a backup plan rule keeps and where it copies, on model values however they were read
(HCL, plan JSON, a template): a rule's retention in days and its copy destinations' Regions.
Shared by every loader so that the three read a rule the same way (the policy rules judge it)."""

from __future__ import annotations

from analyzer.model import SAME_REGION, Partial, Ref, Unknown

__all__ = ["SAME_REGION", "arn_region", "retention_days"]


def retention_days(value: object, what: str) -> int | Unknown | None:
    """`delete_after` / `DeleteAfterDays`: None when absent (kept until deleted by hand), else
    whole days; anything else is Unknown, never "kept forever"."""
    if value is None:
        return None
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return Unknown(f"{what} is not a number of days")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return Unknown(f"{what} is not a number of days known statically")


def arn_region(value: object, what: str) -> str | Unknown:
    """The Region field of a backup vault ARN (`arn:aws:backup:us-west-2:...:backup-vault:dr`);
    Unknown unless that field is literal text."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        return Unknown(f"the Region of {what} ({value}) is not known statically")
    if isinstance(value, Partial):
        text = "".join(part if isinstance(part, str) else "\0" for part in value.parts)
    elif isinstance(value, str):
        text = value
    else:
        return Unknown(f"{what} is not a string")
    fields = text.split(":")
    if len(fields) < 6 or fields[0] != "arn":
        if "\0" in text:
            return Unknown(f"the Region of {what} is not known statically")
        return Unknown(f"{what} is not an ARN ({text!r})")
    region = fields[3]
    if "\0" in region or not region:
        return Unknown(f"the Region of {what} is not known statically")
    return region
