"""`--format mermaid` and `--format dot`: the protection graph, golden on a real fixture;
hostile names escaped (every line still one statement of the grammar, and the labels read back
exactly); the Markdown report embeds the Mermaid graph up to a size cap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.hand_built import verdict
from support.paths import FIXTURES

from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Evidence,
    Location,
    Ref,
    Status,
    Tri,
)
from analyzer.pipeline import ScanResult, scan
from analyzer.report import dot, markdown, mermaid
from analyzer.report.graph import build

GOLDEN = Path(__file__).parent / "golden"
CASE = FIXTURES / "terraform" / "selection_star_condition"
HOSTILE = 'x"];\n s1-->t1 %%`<b>&amp;#quot;\\l @admin [y](https://evil.example) ü}{|'


@pytest.mark.parametrize(("module", "suffix"), [(mermaid, "mmd"), (dot, "dot")])
def test_golden_graph(module, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """Four tables (protected, unknown through a dashed edge, two unprotected), one selection,
    its plan."""
    result = scan([str(CASE)])
    text = module.render(result, [], [])
    assert text == (GOLDEN / f"selection_star_condition.{suffix}").read_text(encoding="utf-8")
    assert module.render(scan([str(CASE)]), [], []) == text  # deterministic


def test_edges_follow_the_verdicts() -> None:
    graph = build(scan([str(CASE)]))
    labels = {node.id: node.lines[0] for node in graph.nodes}
    edges = {(labels[e.source], labels[e.target], e.certain) for e in graph.edges}
    assert edges == {
        ("aws_backup_selection.by_condition", "aws_backup_plan.daily", True),
        ("aws_backup_selection.by_condition", "aws_dynamodb_table.tagged", True),
        ("aws_backup_selection.by_condition", "aws_dynamodb_table.tags_unknown", False),
    }
    styles = {node.lines[0]: node.style for node in graph.nodes if node.kind == "table"}
    assert styles["aws_dynamodb_table.untagged"] == "unprotected"
    assert styles["aws_dynamodb_table.tags_unknown"] == "unknown"


def _hostile_result() -> ScanResult:
    result = ScanResult(Path("/scan"))
    table = f'aws_dynamodb_table.t["{HOSTILE}"]'
    selection = f"aws_backup_selection.{HOSTILE}"
    plan = f"aws_backup_plan.{HOSTILE}"
    where = Location("main.tf", 9)
    evidence = Evidence("backup_selection", Tri.UNKNOWN, "may", selection, where)
    result.verdicts = [verdict(table, Status.UNKNOWN, 1, evidence)]
    result.inventory.selections = [
        BackupSelection(selection, Ref(plan, "id"), ("*",), (), (), (), where),
        BackupSelection("aws_backup_selection.other", f"plan-{HOSTILE}", (), (), (), (), where)]
    result.inventory.plans = [BackupPlan(plan, "p", 1, (None,), where)]
    return result


_MERMAID_LINE = re.compile(
    r'  [tspx]\d+(?:\[\("[^"\n]*"\)\]|\["[^"\n]*"\]|\(\["[^"\n]*"\]\)):::\w+'
    r"|  [tspx]\d+ (?:-->|-\.->) [tspx]\d+|  classDef \w+ [\w:#,. -]+|flowchart LR")
_DOT_STRING = r'"(?:[^"\\\n]|\\.)*"'
_DOT_LINE = re.compile(
    rf"  [tspx]\d+ \[label={_DOT_STRING}(?:, \w+=(?:{_DOT_STRING}|\w+))*\];"
    r"|  [tspx]\d+ -> [tspx]\d+(?: \[style=dashed\])?;"
    r'|digraph protection \{|  rankdir=LR;|  node \[fontname="Helvetica"\];|\}')


def test_hostile_names_cannot_break_mermaid() -> None:
    text = mermaid.render(_hostile_result(), [], [])
    lines = text.splitlines()
    assert all(_MERMAID_LINE.fullmatch(line) for line in lines), lines
    for bad in ("@admin", "://", "](", "`", "<b>", "%%", "&amp;"):
        assert bad not in text
    # every label reads back exactly (its lines joined by <br/>, entity codes decoded)
    graph = build(_hostile_result())
    for node, line in zip(graph.nodes, lines[1:], strict=False):
        label = re.search(r'"(.*)"', line).group(1)  # type: ignore[union-attr]
        decoded = [re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), part)
                   for part in label.split("<br/>")]
        assert decoded == list(node.lines)
    assert "\\n s1-->t1" in graph.nodes[0].lines[0]  # the newline is a visible escape


def test_hostile_names_cannot_break_dot() -> None:
    text = dot.render(_hostile_result(), [], [])
    lines = text.splitlines()
    assert all(_DOT_LINE.fullmatch(line) for line in lines), lines
    assert lines[0] == "digraph protection {" and lines[-1] == "}"
    graph = build(_hostile_result())
    for node, line in zip(graph.nodes, lines[3:], strict=False):
        label = re.match(rf"  \w+ \[label=({_DOT_STRING})", line).group(1)[1:-1]  # type: ignore[union-attr]
        parts = re.split(r"(?<!\\)\\n", label)  # the line breaks dot.py writes
        decoded = [re.sub(r"\\(.)", r"\1", p).replace("&amp;", "&") for p in parts]
        assert decoded == list(node.lines)


def test_a_plan_outside_the_scan_is_a_node_of_its_own() -> None:
    graph = build(_hostile_result())
    external = [n for n in graph.nodes if n.style == "external"]
    assert [n.lines[1] for n in external] == ["not in the scanned code"]
    assert any(e.target == external[0].id for e in graph.edges)


def test_markdown_embeds_the_graph_below_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    result = scan([str(CASE)])
    text = markdown.render(result, [], [])
    block = text.split("### Protection graph\n\n", 1)[1]
    assert block.startswith("```mermaid\nflowchart LR\n") and block.endswith("```\n")
    assert mermaid.render(result, [], []) in block
    monkeypatch.setattr(markdown, "GRAPH_MAX_TABLES", 3)
    capped = markdown.render(result, [], [])
    assert "```mermaid" not in capped
    assert "The graph of 4 tables is too large for a summary" in capped
    empty = markdown.render(ScanResult(Path("/scan")), [], [])
    assert "Protection graph" not in empty


def test_one_address_in_two_units_is_two_nodes_that_say_their_unit() -> None:
    graph = build(scan([str(FIXTURES / "terraform" / "roots_same_address")]))
    tables = {node.id: node.lines[0] for node in graph.nodes if node.kind == "table"}
    assert sorted(tables.values()) == ["aws_dynamodb_table.orders [envs/dev]",
                                       "aws_dynamodb_table.orders [envs/prod]"]
    selected = {tables[e.target] for e in graph.edges if e.target in tables}
    assert selected == {"aws_dynamodb_table.orders [envs/prod]"}  # a reference stays in its unit
