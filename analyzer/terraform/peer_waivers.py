"""Where a waiver written for another tool applies in Terraform: where that tool reads it.

- checkov: `#checkov:skip=CKV_AWS_28:reason` inside the resource block (checkov reads the lines
  strictly between the block's first and last line).
- trivy and tfsec: `#trivy:ignore:AVD-AWS-0024` on the line of, or in the run of consecutive
  ignore lines right above, the resource block, its `point_in_time_recovery` block or that
  block's `enabled`; trivy matches a rule to a result on its line or the next, and through the
  result's parents, so also above a `module` block for the tables the call declares.
- KICS: `# kics-scan ignore-block` on the line right above the resource block or its
  `point_in_time_recovery` block; `ignore-line` on or right above the line KICS reports (the
  block's first line, `point_in_time_recovery`, `enabled`); `disable=<the PITR query>` in the
  file's header comments. KICS reads each file alone: nothing reaches into a module from its
  call, and checkov's skips are taken on resource blocks only.

Each tool checks PITR on `aws_dynamodb_table` (checkov's CKV_AWS_165 is for global tables, which
add no table here): a waiver on another resource type waives nothing of ours.
"""

from __future__ import annotations

import re

from analyzer.catalog import UNPROTECTED_RULE
from analyzer.hcl.parse import Block, Body
from analyzer.model import Location, Suppression
from analyzer.peer_waivers import (
    CHECKOV_CHECKS,
    KICS_BLOCK,
    KICS_DISABLE,
    KICS_LINE,
    TERRAFORM_TABLE,
    PeerComment,
    may_hold_peer_waiver,
    parse_peer_comment,
)

PITR_BLOCK = "point_in_time_recovery"
_TRIVY_RULE = re.compile(r"\b(?:trivy|tfsec):ignore:", re.IGNORECASE)


def peer_waivers(body: Body, block: Block, rel: str) -> list[Suppression]:
    """The PITR waivers of other tools that apply to `block` (a resource or module call)."""
    candidates = [(line, text) for line, text in body.comments if may_hold_peer_waiver(text)]
    stated = [(line, item) for line, text in candidates
              for item in parse_peer_comment(text, "terraform")]
    table = block.type == "resource" and block.labels[:1] == [TERRAFORM_TABLE]
    if not stated or not (table or block.type == "module"):
        return []
    anchors = _anchors(block)
    trivy_lines = _trivy_lines(anchors, {line for line, text in candidates
                                         if _TRIVY_RULE.search(text)})
    header_end = _first_code_line(body)
    found = []
    for line, item in stated:
        if item.tool == "checkov":
            applies = (table and item.waives == CHECKOV_CHECKS[TERRAFORM_TABLE]
                       and block.line < line < block.end_line)
        elif item.tool in ("trivy", "tfsec"):
            applies = line in trivy_lines
        else:
            applies = table and _kics_applies(item, line, block, header_end)
        if applies:
            found.append(Suppression(UNPROTECTED_RULE, item.reason, Location(rel, line),
                                     tool=item.tool, waives=item.waives, expires=item.expires))
    return found


def _pitr_block(block: Block) -> Block | None:
    if block.type != "resource":
        return None  # a module call
    return next((b for b in block.body.blocks if b.type == PITR_BLOCK), None)


def _anchors(block: Block) -> list[int]:
    """The lines a peer reports its PITR finding at, or whose parents they are."""
    lines = [block.line]
    pitr = _pitr_block(block)
    if pitr is not None:
        lines.append(pitr.line)
        enabled = pitr.body.attributes.get("enabled")
        if enabled is not None:
            lines.append(enabled.line)
    return lines


def _trivy_lines(anchors: list[int], ruled: set[int]) -> set[int]:
    """Each anchor's own line and the consecutive rule lines right above it (trivy moves a run
    of ignore lines down to the line below the last one)."""
    lines: set[int] = set()
    for anchor in anchors:
        lines.add(anchor)
        above = anchor - 1
        while above in ruled:
            lines.add(above)
            above -= 1
    return lines


def _first_code_line(body: Body) -> int:
    lines = [b.line for b in body.blocks] + [a.line for a in body.attributes.values()]
    return min(lines, default=1 << 30)


def _kics_applies(item: PeerComment, line: int, block: Block, header_end: int) -> bool:
    pitr = _pitr_block(block)
    if item.kics_command == KICS_BLOCK:
        return line == block.line - 1 or (pitr is not None and line == pitr.line - 1)
    if item.kics_command == KICS_LINE:
        reported = _anchors(block)
        return line in reported or line + 1 in reported
    return item.kics_command == KICS_DISABLE and line < header_end
