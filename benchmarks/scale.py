"""Scaling benchmark (issue 13): iac-ddb-lint against checkov and trivy on generated monorepos.

    python benchmarks/scale.py                        # 500, 1,000, 2,000, 4,000 tables
    python benchmarks/scale.py --sizes 500 2000 20000 --runs 3 --json out.json
    python benchmarks/plot.py out.json docs/scaling.png

For each size, `corpus.py` writes the monorepo (20 tables a root), then each tool runs as a
fresh process: iac-ddb-lint cold (an empty user cache: `XDG_CACHE_HOME` points at a new
directory) and warm (the same cache again, files unchanged), `checkov -d DIR -c CKV_AWS_28
--quiet` and `trivy config DIR` when installed (skipped otherwise; `--checkov`/`--trivy` name
them). It prints wall time, CPU time (user + system) and peak memory (maxrss) of every run,
the median of `--runs`, and the ratios the issue sets targets for. The small case is
`examples/app` (4 tables): first run after installing (empty cache) and warm. On a shared
machine compare ratios within one run, and CPU time rather than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus import TABLES_PER_ROOT, generate

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident set size


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """One fresh process, its own rusage (os.wait4), output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} exited {process.returncode}: {' '.join(command)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f) for r in runs) for f in ("wall", "cpu", "rss_mb")))


def ours() -> list[str]:
    script = Path(sys.executable).parent / "iac-ddb-lint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "analyzer"]


def peer(name: str, given: str | None) -> str | None:
    if given:
        return given if Path(given).exists() or shutil.which(given) else None
    return shutil.which(name)


class Bench:
    def __init__(self, runs: int, checkov: str | None, trivy: str | None) -> None:
        self.runs = runs
        self.peers = {"checkov": checkov, "trivy": trivy}

    def ours(self, path: Path) -> dict[str, Run]:
        """Cold: a new, empty cache for each run. Warm: the run after it in the same cache.
        No cache: warm, but `--no-cache` (every file parsed again; the parser itself cached)."""
        cold, warm, reparse = [], [], []
        command = [*ours(), "--format", "json", str(path)]
        for _ in range(self.runs):
            with tempfile.TemporaryDirectory() as cache:
                env = {**os.environ, "XDG_CACHE_HOME": cache}
                cold.append(measure(command, env))
                warm.append(measure(command, env))
                reparse.append(measure([*command, "--no-cache"], env))
        return {"cold": median(cold), "warm": median(warm), "no_cache": median(reparse)}

    def others(self, path: Path) -> dict[str, Run]:
        commands = {
            "checkov": ["-d", str(path), "-c", "CKV_AWS_28", "--quiet"],
            "trivy": ["config", "--quiet", str(path)],
        }
        found = {}
        for name, binary in self.peers.items():
            if binary is not None:
                found[name] = median([measure([binary, *commands[name]])
                                      for _ in range(self.runs)])
        return found


def cell(run: Run | None) -> str:
    if run is None:
        return "skipped"
    return f"{run.wall:.2f} s ({run.cpu:.2f} s CPU), {run.rss_mb:.0f} MB"


def ratio(a: Run, b: Run | None) -> str:
    return "" if b is None else f"{a.wall / b.wall:.2f}x ({a.cpu / b.cpu:.2f}x CPU)"


def print_table(rows: list[dict]) -> None:
    print("| tables (roots) | iac-ddb-lint cold | warm | warm `--no-cache` "
          "| checkov `-c CKV_AWS_28` | trivy `config` | cold ÷ faster peer | warm ÷ faster peer |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        peers = [row.get(n) for n in ("checkov", "trivy") if row.get(n)]
        fastest = min(peers, key=lambda r: r.wall) if peers else None
        print(f"| {row['label']} | {cell(row['cold'])} | {cell(row['warm'])} "
              f"| {cell(row['no_cache'])} "
              f"| {cell(row.get('checkov'))} | {cell(row.get('trivy'))} "
              f"| {ratio(row['cold'], fastest)} | {ratio(row['warm'], fastest)} |")
    sized = [r for r in rows if r.get("tables")]
    if len(sized) >= 2:
        low, high = sized[0], sized[-1]
        growth = high["tables"] / low["tables"]
        print(f"\n{low['tables']} → {high['tables']} tables ({growth:.0f}x): cold wall "
              f"{high['cold'].wall / low['cold'].wall:.2f}x, CPU "
              f"{high['cold'].cpu / low['cold'].cpu:.2f}x, memory "
              f"{high['cold'].rss_mb / low['cold'].rss_mb:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--runs", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--checkov", help="checkov executable (default: on PATH)")
    parser.add_argument("--trivy", help="trivy executable (default: on PATH)")
    parser.add_argument("--peers-up-to", type=int, default=4000,
                        help="run the peers only up to this many tables")
    parser.add_argument("--json", type=Path, help="also write the results here (for plot.py)")
    args = parser.parse_args()
    bench = Bench(args.runs, peer("checkov", args.checkov), peer("trivy", args.trivy))
    small = ROOT / "examples" / "app"
    rows = [{"label": "4 (examples/app)", "tables": 0, **bench.ours(small), **bench.others(small)}]
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            roots = max(1, size // (TABLES_PER_ROOT + 1))
            tree = Path(work) / f"r{roots}"
            tables = generate(tree, roots)
            row = {"label": f"{tables:,} ({roots})", "tables": tables, **bench.ours(tree)}
            if tables <= args.peers_up_to:
                row.update(bench.others(tree))
            rows.append(row)
            print(f"{row['label']}: {cell(row['cold'])}", file=sys.stderr)
            shutil.rmtree(tree)
    print_table(rows)
    if args.json:
        data = [{k: asdict(v) if isinstance(v, Run) else v for k, v in r.items()} for r in rows]
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
