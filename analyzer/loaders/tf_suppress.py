"""Inline suppressions: `# iac-ddb-lint:ignore DDB001 <reason>` above or inside a resource."""

from __future__ import annotations

import re

from analyzer.loaders.hcl_parse import Block, Body
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


def block_suppressions(file_body: Body, block: Block, rel: str) -> list[Suppression]:
    """Directives in the comment lines right above the block, and anywhere inside it."""
    above = dict(file_body.comments)
    lines = []
    line = block.line - 1
    while line in above:
        lines.append((line, above[line]))
        line -= 1
    lines.extend(c for c in file_body.comments if block.line <= c[0] <= block.end_line)
    found: list[Suppression] = []
    for line_no, text in sorted(lines):
        found.extend(parse_directive(text, Location(rel, line_no)))
    return found

