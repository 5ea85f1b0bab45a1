"""Wall-clock benchmarks of whole CLI runs, as a user starts them.

    python benchmarks/bench_cli.py            # small + large cases, 15 runs each
    python benchmarks/bench_cli.py --runs 5

Cases: the shipped `examples/app` (four tables, the "4-table directory" of the README), the
shipped `examples/stack` (one CloudFormation template), a generated 4,600-line SAM template
(`sam_template.py`, the issue's 0.5 s target), and a generated tree of 100 root modules
with 5 tables each plus a central tag-based backup root. Each run is a fresh `python -m analyzer`
process, so interpreter start-up and imports are included.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sam_template import FUNCTIONS as SAM_FUNCTIONS
from sam_template import template

ROOT = Path(__file__).resolve().parent.parent

TABLE = """resource "aws_dynamodb_table" "t{i}" {{
  name     = "svc{m}-table-{i}"
  hash_key = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  tags = merge(local.common, {{ backup = "{tag}" }})
  point_in_time_recovery {{
    enabled = var.pitr
  }}
}}
"""


def generate(tree: Path, modules: int = 100, tables: int = 5) -> None:
    for m in range(modules):
        unit = tree / f"svc{m:03d}"
        unit.mkdir(parents=True)
        head = f'locals {{\n  common = {{ service = "svc{m}" }}\n}}\n'
        head += 'variable "pitr" {\n  default = false\n}\n'
        body = "".join(TABLE.format(i=i, m=m, tag="daily" if i % 2 else "none")
                       for i in range(tables))
        (unit / "main.tf").write_text(head + body)
    backup = tree / "backup"
    backup.mkdir()
    (backup / "main.tf").write_text(
        'resource "aws_backup_selection" "tagged" {\n  name = "tagged"\n'
        '  plan_id = "plan-id"\n  iam_role_arn = "arn:aws:iam::111122223333:role/backup"\n'
        '  selection_tag {\n    type  = "STRINGEQUALS"\n    key   = "backup"\n'
        '    value = "daily"\n  }\n}\n')


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_run(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run."""
    times, cpu = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), _children_cpu()
        subprocess.run([sys.executable, "-m", "analyzer", "--format", "json", str(path)],
                       cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
    return times, cpu


def report(name: str, measured: tuple[list[float], list[float]]) -> None:
    times, cpu = measured
    print(f"{name:<34} median {statistics.median(times) * 1000:7.0f} ms"
          f"   min {min(times) * 1000:7.0f} ms   max {max(times) * 1000:7.0f} ms"
          f"   CPU median {statistics.median(cpu) * 1000:7.0f} ms")


def cfn_lint_imported(path: Path) -> bool:
    code = ("import sys; from analyzer.cli import main\n"
            "try:\n    main([sys.argv[1]], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print('cfnlint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    return out.stdout.strip().endswith("True")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "analyzer", str(ROOT / "examples")],
                   cwd=ROOT, capture_output=True, check=False)  # warm the grammar cache
    report("examples/app (4 tables)", time_run(ROOT / "examples" / "app", args.runs))
    report("examples/stack (1 template)", time_run(ROOT / "examples" / "stack", args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        sam = Path(tmp) / "sam" / "template.yaml"
        sam.parent.mkdir()
        sam.write_text(template(SAM_FUNCTIONS))
        report("SAM template (4,600 lines)", time_run(sam.parent, args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        report("generated (100 roots, 500 tables)", time_run(Path(tmp), max(3, args.runs // 3)))
    print("cfn-lint imported on a Terraform-only run:", cfn_lint_imported(ROOT / "examples"))


if __name__ == "__main__":
    main()
