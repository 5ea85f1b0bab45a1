"""Snapshot the analyzer's outputs, to show that a speed change leaves them byte-identical.

    python benchmarks/snapshot.py OUT_DIR [EXTRA_DIR ...]   # write the snapshot
    diff -r BEFORE_DIR AFTER_DIR                           # compare two snapshots

Scans `examples/`, each of its folders, `tests/fixtures/` whole and by format, each
`tests/fixtures/<format>/<case>/` folder and any EXTRA_DIR (a generated corpus, say), each on
its own, in the JSON format and in the verbose text format (every verdict with its evidence),
and writes one file per scan and format holding the exit code and the output. Runs in one
process (click's test runner) to stay quick; the output is the same as a fresh process's (the
run is deterministic).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"json": ["--format", "json"], "txt": ["--format", "text", "-v", "--no-color"]}


def targets(root: Path, extra: list[str]) -> list[Path]:
    fixtures = root / "tests" / "fixtures"
    found = [root / "examples", *sorted(p for p in (root / "examples").iterdir() if p.is_dir())]
    # all fixtures in one scan too: tags and ARN patterns reach across units
    found += [fixtures, *sorted(p for p in fixtures.iterdir() if p.is_dir())]
    found += sorted(p for fmt in fixtures.iterdir() if fmt.is_dir()
                    for p in fmt.iterdir() if p.is_dir())
    return found + [Path(e).resolve() for e in extra]


def snapshot_name(root: Path, path: Path) -> str:
    try:
        text = str(path.relative_to(root))
    except ValueError:
        text = "extra/" + path.name
    return text.replace("/", "__")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("extra", nargs="*", help="further folders to scan (a generated corpus)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to scan in")
    args = parser.parse_args()
    root = args.root.resolve()
    from analyzer.cli import main as cli

    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    os.chdir(root)
    runner = CliRunner()
    for path in targets(root, args.extra):
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        for suffix, options in FORMATS.items():
            run = runner.invoke(cli, [*options, str(shown)], catch_exceptions=False)
            text = f"exit {run.exit_code}\n{run.output}"
            (args.out / f"{snapshot_name(root, path)}.{suffix}").write_text(text)
        print(shown, file=sys.stderr)


if __name__ == "__main__":
    main()
