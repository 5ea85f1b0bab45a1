"""Is a file a CloudFormation template? Decided by content, whatever the extension.

Two stages keep discovery cheap: `may_be_template` peeks at the first bytes with a regular
expression (no YAML parser imported), and `is_template` confirms on the parsed data. A file
that passes the peek but fails to parse is reported as an error; one that parses but is not a
template (a workflow that mentions `AWS::`) is skipped quietly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
PEEK_BYTES = 256 * 1024
_MAX_BYTES = 50 * 1024 * 1024  # larger than any template CloudFormation accepts

_VERSION = re.compile(rb"""^\s*["']?AWSTemplateFormatVersion["']?\s*:""", re.M)
_RESOURCES = re.compile(rb"""(^|[{,\s])["']?Resources["']?\s*:""", re.M)
_AWS_TYPE = re.compile(rb"""["']?Type["']?\s*:\s*["']?AWS::""")


def may_be_template(path: str) -> bool:
    """True when the first bytes look like a template: the format version key, or a
    `Resources` key and a `Type: AWS::...` entry."""
    if not path.endswith(TEMPLATE_SUFFIXES):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(PEEK_BYTES)
            if handle.seek(0, 2) > _MAX_BYTES:
                return False
    except OSError:
        return False
    if _VERSION.search(head):
        return True
    return bool(_RESOURCES.search(head) and _AWS_TYPE.search(head))


def is_template(data: object) -> bool:
    """The parsed document is a template: a mapping with `AWSTemplateFormatVersion`, or whose
    `Resources` mapping holds at least one entry typed `AWS::...` or a `Fn::ForEach` loop."""
    if not isinstance(data, Mapping):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, Mapping):
        return False
    return any(
        (isinstance(res, Mapping) and str(res.get("Type", "")).startswith("AWS::"))
        or str(key).startswith("Fn::ForEach::")  # resources a loop makes
        for key, res in resources.items()
    )
