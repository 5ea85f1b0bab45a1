"""Parse speed of tree-sitter-hcl against the analyzer's Lark parser on the same files (issue 13).

    pip install tree-sitter tree-sitter-hcl           # optional: skipped when missing
    python benchmarks/parser_compare.py               # a generated 100-root corpus
    python benchmarks/parser_compare.py DIR [--runs 3]

Both parse every `.tf` file's text in memory (no cache, no file reading in the timing), best of
`--runs`, CPU time. Lark is timed bare (`parser.parse`) and through `parse_hcl` (what the
analyzer does: Lark plus the conversion to bodies); tree-sitter bare (its syntax tree only,
which the evaluator cannot use as it is) and with a walk that visits every node once from
Python (the least any conversion to our tree shape costs). Also counts the files tree-sitter
accepts that Lark refuses and the reverse.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import generate


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def _walk_all(node: object) -> int:
    cursor = node.walk()  # type: ignore[attr-defined]
    count, down = 0, True
    while True:
        if down:
            count += 1
            _ = cursor.node.type, cursor.node.start_point
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            down = True
            continue
        if not cursor.goto_parent():
            return count
        down = False


def compare(texts: list[str], runs: int) -> None:
    from analyzer.hcl.parse import _parser, parse_hcl
    from analyzer.hcl.tree_cache import set_enabled

    set_enabled(False)
    lark = _parser()
    size = sum(len(t.encode()) for t in texts) / (1 << 20)
    print(f"{len(texts)} files, {size:.2f} MiB")
    bare = best(runs, lambda: [lark.parse(t + "\n") for t in texts])
    full = best(runs, lambda: [parse_hcl(t) for t in texts])
    print(f"Lark parse:           {bare:7.2f} s CPU  ({bare / size:6.2f} s/MiB)")
    print(f"Lark + bodies:        {full:7.2f} s CPU  ({full / size:6.2f} s/MiB)")
    try:
        import tree_sitter
        import tree_sitter_hcl
    except ImportError:
        print("tree-sitter / tree-sitter-hcl not installed: skipped")
        return
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    raw = [t.encode() for t in texts]
    ts_bare = best(runs, lambda: [parser.parse(b) for b in raw])
    ts_walk = best(runs, lambda: [_walk_all(parser.parse(b).root_node) for b in raw])
    nodes = sum(_walk_all(parser.parse(b).root_node) for b in raw)
    print(f"tree-sitter parse:    {ts_bare:7.2f} s CPU  ({ts_bare / size:6.2f} s/MiB), "
          f"{bare / max(ts_bare, 1e-9):.0f}x faster than Lark")
    print(f"tree-sitter + walk:   {ts_walk:7.2f} s CPU  ({ts_walk / size:6.2f} s/MiB), "
          f"{nodes} nodes, {full / max(ts_walk, 1e-9):.1f}x faster than Lark + bodies")
    ts_errors = sum(parser.parse(b).root_node.has_error for b in raw)
    print(f"files tree-sitter marks as erroneous: {ts_errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--roots", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        top = args.dir or Path(tmp) / "corpus"
        if args.dir is None:
            generate(top, args.roots)
        texts = [p.read_text() for p in sorted(top.rglob("*.tf"))]
    if not texts:
        sys.exit(f"no .tf files under {top}")
    compare(texts, args.runs)


if __name__ == "__main__":
    main()
