"""What a reader may see of a syntax tree, for Lark's classes and the analyzer's alike."""

from __future__ import annotations

from typing import Any

POSITIONS = ("line", "column", "end_line", "end_column", "start_pos", "end_pos")


def tree_shape(node: Any) -> Any:
    """Rule names, meta positions (None when empty), token types, texts and positions."""
    if isinstance(node, str):  # both token classes are strings
        return ("K", node.type, str(node), *(getattr(node, name) for name in POSITIONS))
    meta = node.meta
    where = None if meta.empty else tuple(getattr(meta, name, None) for name in POSITIONS)
    return ("T", node.data, where, tuple(tree_shape(child) for child in node.children))
