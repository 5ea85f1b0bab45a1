"""Graphviz DOT of the protection graph (`graph.py`): `dot -Tsvg` draws it.

Tables are cylinders filled by status (unprotected red with a bold border, unknown amber and
dashed, protected green), selections boxes, plans rounded boxes; a selection's edge to a table
is solid when it certainly selects it, dashed when it may. Ids are generated (`t1`); labels are
double-quoted strings with `\\`, `"` and `&` escaped (Graphviz reads entities in labels), and
control characters are already written as visible escapes, so no scanned name can end a string
or a statement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.report.graph import Graph, Node, build

if TYPE_CHECKING:
    from analyzer.catalog import Rule
    from analyzer.model import Finding
    from analyzer.pipeline import ScanResult

_STYLES = {
    "protected": 'shape=cylinder, style=filled, fillcolor="#d8f3dc", color="#2d6a4f"',
    "unprotected": 'shape=cylinder, style="filled,bold", fillcolor="#ffd6d6", color="#c1121f", '
    "penwidth=3",
    "unknown": 'shape=cylinder, style="filled,dashed", fillcolor="#fff1c1", color="#b7791f", '
    "penwidth=2",
    "selection": 'shape=box, style=filled, fillcolor="#e7ecff", color="#3a5ba0"',
    "plan": 'shape=box, style="rounded,filled", fillcolor="#f1e8ff", color="#6a4c93"',
    "external": 'shape=box, style="rounded,dashed", color="#777777"',
}


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
    lines = ["digraph protection {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    lines += [f"  {_node(node)}" for node in graph.nodes]
    for edge in graph.edges:
        style = "" if edge.certain else " [style=dashed]"
        lines.append(f"  {edge.source} -> {edge.target}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(node: Node) -> str:
    label = "\\n".join(escape(line) for line in node.lines)
    return f'{node.id} [label="{label}", {_STYLES[node.style]}];'


def escape(text: str) -> str:
    """`text` inside a DOT double-quoted string, read literally."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
