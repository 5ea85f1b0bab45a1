"""The inline suppression directive, the same in every language's comments:
`# iac-ddb-lint:ignore DDB001[,DDB002] <reason>`. Where a directive applies is each loader's
business (terraform.suppress, cloudformation.suppress); what it says is decided here once."""

from __future__ import annotations

import re

from analyzer.model import Location, Suppression

_DIRECTIVE = re.compile(
    r"iac-ddb-lint:\s*ignore\s+([A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)(.*)$"
)


def parse_directive(comment: str, location: Location) -> list[Suppression]:
    """The suppressions one comment line states (none when it is not a directive)."""
    match = _DIRECTIVE.search(comment)
    if match is None:
        return []
    reason = match.group(2).strip().removesuffix("*/").strip().lstrip(":-\u2013\u2014 ").strip()
    ids = [part.strip().upper() for part in match.group(1).split(",")]
    return [Suppression(rule_id, reason, location) for rule_id in ids]
