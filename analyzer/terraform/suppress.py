"""Inline suppressions: `# iac-ddb-lint:ignore DDB001 <reason>` above or inside a resource, and
the waivers other tools' syntax states there (terraform.peer_waivers)."""

from __future__ import annotations

from analyzer.hcl.parse import Block, Body
from analyzer.model import Location, Suppression
from analyzer.suppress import parse_directive
from analyzer.terraform.peer_waivers import peer_waivers


def block_suppressions(file_body: Body, block: Block, rel: str) -> list[Suppression]:
    """Directives in the comment lines right above the block, and anywhere inside it; then
    other tools' waivers of the PITR check, where those tools read them."""
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
    return found + peer_waivers(file_body, block, rel)

