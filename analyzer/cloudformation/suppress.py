"""Suppressions in templates: resource `Metadata` and `# iac-ddb-lint:ignore` comments.

    Metadata:
      iac-ddb-lint:
        ignore:
          - id: DDB001
            reason: cache table, rebuilt on deploy

or, in YAML, the same directive as Terraform's in the comment lines right above the logical id:

    # iac-ddb-lint:ignore DDB001 cache table, rebuilt on deploy
    CacheTable:
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.model import Location, Suppression
from analyzer.suppress import parse_directive

METADATA_KEY = "iac-ddb-lint"


def resource_suppressions(
    resource: Mapping[str, object], lines: list[str], line: int, rel: str
) -> list[Suppression]:
    """The ignores of one resource whose logical id is on 1-based `line`."""
    found = _metadata(resource, Location(rel, line))
    above = line - 2  # index of the line above the logical id
    comments: list[tuple[int, str]] = []
    while 0 <= above < len(lines) and lines[above].lstrip().startswith("#"):
        comments.append((above + 1, lines[above]))
        above -= 1
    for number, text in reversed(comments):
        found.extend(parse_directive(text, Location(rel, number)))
    return found


def _metadata(resource: Mapping[str, object], where: Location) -> list[Suppression]:
    metadata = resource.get("Metadata")
    ours = metadata.get(METADATA_KEY) if isinstance(metadata, Mapping) else None
    items = ours.get("ignore") if isinstance(ours, Mapping) else None
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            reason = item.get("reason")
            text = reason if isinstance(reason, str) else ""
            out.append(Suppression(str(item["id"]).strip().upper(), text, where))
    return out
