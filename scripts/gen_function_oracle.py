"""Ask Terraform what its built-in functions return (the oracle of test_function_oracle.py).

    python scripts/gen_function_oracle.py            # rewrite tests/hcl/data/function_oracle.json
    python scripts/gen_function_oracle.py --check    # fail if the committed oracle is stale

Every expression of tests/hcl/data/function_cases.txt (but those marked `# unknown:`) is wrapped
as `try({v = EXPR}, {e = true})` (a value, or "Terraform reports an error") and all of them are
evaluated by one `terraform console`
run in a temporary copy of tests/hcl/data/oracle_files/ (the working directory the file functions
read), with tests/hcl/data/oracle_locals.hcl as its main.tf. When one expression makes the whole
line fail (a value JSON cannot hold), the cases are split until it is found; it is recorded as
`{"fails": true}`. Needs Terraform on PATH (the analyzer never runs it); without it, says so and
exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "hcl" / "data"
CASES = DATA / "function_cases.txt"
ORACLE = DATA / "function_oracle.json"


def read_cases(path: Path = CASES) -> list[tuple[str, str | None]]:
    """(expression, why our evaluator answers unknown there, or None), comments left out."""
    out: list[tuple[str, str | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        expr, _, why = line.partition(" # unknown:")
        out.append((expr.strip(), why.strip() or None))
    return out


def wrapped(expr: str) -> str:
    return f"try({{v = {expr}}}, {{e = true}})"


def _console(workdir: Path, exprs: list[str]) -> list[object] | None:
    line = "jsonencode([" + ", ".join(wrapped(e) for e in exprs) + "])\n"
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    run = subprocess.run(["terraform", "console"], input=line, cwd=workdir, env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    try:
        found = json.loads(json.loads(run.stdout)) if run.returncode == 0 else None
    except ValueError:  # an error message instead of the value
        found = None
    return found if isinstance(found, list) and len(found) == len(exprs) else None


def evaluate_all(workdir: Path, exprs: list[str]) -> list[object]:
    found = _console(workdir, exprs)
    if found is not None:
        return found
    if len(exprs) == 1:
        return [{"fails": True}]
    half = len(exprs) // 2
    return evaluate_all(workdir, exprs[:half]) + evaluate_all(workdir, exprs[half:])


def generate() -> list[dict[str, object]]:
    """Terraform's answer for every case our evaluator must decide (the others may depend on
    the machine: abspath(), a home directory)."""
    exprs = [expr for expr, unknown in read_cases() if unknown is None]
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp) / "work"
        shutil.copytree(DATA / "oracle_files", workdir)
        shutil.copy(DATA / "oracle_locals.hcl", workdir / "main.tf")
        results = evaluate_all(workdir, exprs)
    return [{"expr": e, "terraform": r} for e, r in zip(exprs, results, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the oracle is stale")
    options = parser.parse_args()
    if shutil.which("terraform") is None:
        print("terraform is not on PATH: nothing generated")
        return 0
    text = json.dumps(generate(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if options.check:
        stale = not ORACLE.exists() or ORACLE.read_text(encoding="utf-8") != text
        print("function_oracle.json is stale" if stale else "function_oracle.json is current")
        return 1 if stale else 0
    ORACLE.write_text(text, encoding="utf-8")
    print(f"wrote {ORACLE} ({text.count(chr(10) + ' {')} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
