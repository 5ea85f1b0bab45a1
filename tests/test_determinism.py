"""The same input gives the same bytes: the CLI run as a user runs it (a subprocess), under two
different PYTHONHASHSEED values, and with its paths given in a different order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO

FIXTURES = Path("tests") / "fixtures" / "terraform"  # relative: reports name paths as given
EXAMPLES = Path("examples")
SEEDS = ("0", "12345")
FORMATS = ("json", "text")


def run_cli(args: list[str], seed: str) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_VAR_", "IAC_DDB_LINT"))}
    env.update({"PYTHONHASHSEED": seed, "NO_COLOR": "1"})
    run = subprocess.run([sys.executable, "-m", "analyzer", *args], cwd=REPO, env=env,
                         capture_output=True, timeout=300, check=False)
    return run.returncode, run.stdout, run.stderr


def cases(top: Path) -> list[str]:
    return sorted(p.as_posix() for p in (REPO / top).iterdir() if p.is_dir()
                  and not p.name.startswith("."))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", [FIXTURES, EXAMPLES], ids=str)
def test_output_does_not_depend_on_hash_seed(target: Path, fmt: str) -> None:
    args = ["--format", fmt, "--no-color", target.as_posix()]
    first, second = (run_cli(args, seed) for seed in SEEDS)
    assert first[1], f"no output from {args}: {first[2]!r}"
    assert first == second, f"{args}: output differs between PYTHONHASHSEED={SEEDS}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", [FIXTURES, EXAMPLES], ids=str)
def test_output_does_not_depend_on_path_order(target: Path, fmt: str) -> None:
    paths = [str(Path(p).relative_to(REPO)) for p in cases(target)]
    assert len(paths) > 1, f"{target}: needs at least two folders to reorder"
    shuffled = paths[1::2] + paths[::2]  # interleaved, so neither sorted nor simply reversed
    forward = run_cli(["--format", fmt, "--no-color", *paths], SEEDS[0])
    backward = run_cli(["--format", fmt, "--no-color", *reversed(paths)], SEEDS[1])
    mixed = run_cli(["--format", fmt, "--no-color", *shuffled], SEEDS[0])
    assert forward[1], f"no output: {forward[2]!r}"
    assert forward == backward == mixed, f"{target}: output depends on the order of the paths"
