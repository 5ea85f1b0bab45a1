"""The scaling curve (tables vs seconds) from `scale.py --json`, as a PNG.

    pip install -e '.[benchmark]'
    python benchmarks/plot.py results.json docs/scaling.png
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SERIES = (("cold", "iac-ddb-lint, cold (empty cache)", "o-"),
          ("warm", "iac-ddb-lint, warm", "s-"),
          ("checkov", "checkov -c CKV_AWS_28", "^--"),
          ("trivy", "trivy config", "v--"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("png", type=Path)
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    rows = [r for r in json.loads(args.results.read_text()) if r.get("tables")]
    figure, (wall, cpu) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, label, style in SERIES:
        points = [(r["tables"], r[key]) for r in rows if r.get(key)]
        if not points:
            continue
        tables = [t for t, _ in points]
        wall.plot(tables, [run["wall"] for _, run in points], style, label=label)
        cpu.plot(tables, [run["cpu"] for _, run in points], style, label=label)
    for axes, what in ((wall, "wall time (s)"), (cpu, "CPU time, user + system (s)")):
        axes.set_xlabel("DynamoDB tables (20 a root module)")
        axes.set_ylabel(what)
        axes.set_xlim(left=0)
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
    wall.legend()
    figure.suptitle("iac-ddb-lint on generated Terraform monorepos (benchmarks/scale.py)")
    figure.tight_layout()
    figure.savefig(args.png, dpi=110)


if __name__ == "__main__":
    main()
