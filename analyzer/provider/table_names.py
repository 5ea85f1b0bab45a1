"""A table name known only in parts (`orders-${var.env}`, `!Sub "orders-${Env}"`): its literal
start and end (`Table.name_ends`) decide some ARN patterns whatever the unknown middle is
(`table/orders-*` selects it, `table/cache-*` never does). Shared by the loaders."""

from __future__ import annotations

from analyzer.model import Partial


def partial_ends(value: object) -> tuple[str, str] | None:
    """The literal start and end of a string known only in parts; None for any other value."""
    if not isinstance(value, Partial) or all(isinstance(p, str) for p in value.parts):
        return None
    parts = value.parts
    first = next(i for i, p in enumerate(parts) if not isinstance(p, str))
    last = max(i for i, p in enumerate(parts) if not isinstance(p, str))
    return "".join(str(p) for p in parts[:first]), "".join(str(p) for p in parts[last + 1:])
