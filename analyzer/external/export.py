"""`--export-selections FILE`: the backup configuration a run found, as an exchange file.

It holds the selections (Organizations backup policies included, as the model holds them:
one selection per tag selection and Region), the plans and the Region settings of the scanned
tree, never the objects the run imported itself: a file says what one repository declares.
Deterministic: objects sorted by unit, place and content; keys in a fixed order; the same tree
gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TypeVar

from analyzer.external import encode
from analyzer.external.imported import is_external
from analyzer.model import Inventory

T = TypeVar("T")


def exchange_document(inventory: Inventory, source: str, inside: str = ".") -> dict[str, object]:
    """The exchange file's content for the objects of `inventory` that the scan found. `inside`
    is the scanned tree's root relative to the scan root the objects' paths start from: the
    file's paths start from the tree's root, so the same tree gives the same file from any
    working directory."""
    document: dict[str, object] = {
        "format": encode.FORMAT,
        "version": encode.VERSION,
        "source": source,
        "selections": _sorted(inventory.selections, encode.selection),
        "plans": _sorted(inventory.plans, encode.plan),
        "region_settings": _sorted(inventory.region_settings, encode.region_settings),
    }
    if inside in ("", "."):
        return document
    rebased = _rebased(document, inside)
    assert isinstance(rebased, dict)
    return rebased


def _rebased(node: object, inside: str) -> object:
    """`node` with every `file` and `unit` under `inside` made relative to it."""
    if isinstance(node, list):
        return [_rebased(item, inside) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, item in node.items():
        if key in ("file", "unit") and isinstance(item, str):
            item = "." if item == inside else item.removeprefix(inside + "/")
        out[key] = _rebased(item, inside)
    return out


def exchange_text(inventory: Inventory, source: str, inside: str = ".") -> str:
    document = exchange_document(inventory, source, inside)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _sorted(items: Iterable[T], convert: Callable[[T], dict[str, object]]
            ) -> list[dict[str, object]]:
    entries = {json.dumps(convert(item), sort_keys=True): convert(item)
               for item in items if not is_external(getattr(item, "unit", ""))}
    return [entries[key] for key in sorted(entries, key=lambda k: (_order(entries[k]), k))]


def _order(entry: dict[str, object]) -> tuple[str, str, int, int, str]:
    line, col = entry["line"], entry["col"]
    assert isinstance(line, int) and isinstance(col, int)
    return (str(entry["unit"]), str(entry["file"]), line, col, str(entry["address"]))
