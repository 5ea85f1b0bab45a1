"""Mermaid flowchart of the protection graph (`graph.py`): GitHub renders it in Markdown, pull
requests and job summaries.

Tables are cylinders coloured by status (unprotected red with a thick border, unknown amber and
dashed, protected green), selections boxes, plans stadiums; a selection's edge to a table is
solid when it certainly selects it, dashed when it may. Labels are quoted, and every character
outside a small safe set is written as a Mermaid entity code (`#35;`), so no scanned name can
close a label, start a statement, a link or a mention.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from analyzer.report.graph import Graph, Node, build

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.model import Finding
    from analyzer.pipeline import ScanResult

_SAFE = frozenset(string.ascii_letters + string.digits + " ._-/,=*+'!?$~^[]():")
_SHAPES = {"table": ('[("', '")]'), "selection": ('["', '"]'), "plan": ('(["', '"])')}
_CLASSES = (
    "classDef protected fill:#d8f3dc,stroke:#2d6a4f,color:#081c15",
    "classDef unprotected fill:#ffd6d6,stroke:#c1121f,stroke-width:3px,color:#370617",
    "classDef unknown fill:#fff1c1,stroke:#b7791f,stroke-width:2px,stroke-dasharray:5 3,"
    "color:#3d2c00",
    "classDef selection fill:#e7ecff,stroke:#3a5ba0,color:#0b1a3a",
    "classDef plan fill:#f1e8ff,stroke:#6a4c93,color:#21103a",
    "classDef external fill:#f4f4f4,stroke:#777,stroke-dasharray:3 3,color:#222",
)


def render(
    result: ScanResult,
    findings: list[Finding],
    rules: list[Rule],
    *,
    color: bool = False,
    verbose: bool = False,
) -> str:
    return graph_text(build(result))


def graph_text(graph: Graph) -> str:
    lines = ["flowchart LR"]
    lines += [f"  {_node(node)}" for node in graph.nodes]
    for edge in graph.edges:
        arrow = "-->" if edge.certain else "-.->"
        lines.append(f"  {edge.source} {arrow} {edge.target}")
    lines += [f"  {line}" for line in _CLASSES]
    return "\n".join(lines) + "\n"


def _node(node: Node) -> str:
    start, end = _SHAPES[node.kind]
    label = "<br/>".join(escape(line) for line in node.lines)
    return f"{node.id}{start}{label}{end}:::{node.style}"


def escape(text: str) -> str:
    """`text` inside a quoted Mermaid label: unsafe characters as entity codes, and no `://`
    or `](` left for a renderer to turn into a link."""
    out = "".join(ch if ch in _SAFE else f"#{ord(ch)};" for ch in text)
    return out.replace("://", "#58;//").replace("](", "]#40;")
