"""Issue 15, item 15: a report that standard output cannot take (a full disk, a closed pipe or
descriptor) is exit 2 with one line on stderr, never a traceback or exit 1; SIGINT is exit 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.paths import REPO

COMMAND = [sys.executable, "-m", "analyzer"]


def _one_line(stderr: bytes) -> str:
    lines = stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    return lines[0]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_stdout_is_exit_2_with_one_line() -> None:
    with open("/dev/full", "wb") as full:
        run = subprocess.run([*COMMAND, "examples/"], cwd=REPO, stdout=full,
                             stderr=subprocess.PIPE, timeout=120, check=False)
    assert run.returncode == 2
    assert "cannot write the report to standard output" in _one_line(run.stderr)


def test_closed_pipe_is_exit_2_with_one_line() -> None:
    child = subprocess.Popen([*COMMAND, "examples/"], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before anything is written (`| head -c0`)
    stderr = child.stderr.read()
    assert child.wait(timeout=120) == 2
    assert "Broken pipe" in _one_line(stderr)


def test_closed_descriptor_is_exit_2_not_a_silent_pass() -> None:
    def close_stdout() -> None:
        os.close(1)

    run = subprocess.run([*COMMAND, "examples/"], cwd=REPO, stderr=subprocess.PIPE,
                         preexec_fn=close_stdout, timeout=120, check=False)
    assert run.returncode == 2
    assert "standard output is closed" in _one_line(run.stderr)


TABLE = 'resource "aws_dynamodb_table" "t{i}" {{\n  name = "t{i}-${{var.x}}"\n}}\n'


def test_sigint_is_exit_130(tmp_path: Path) -> None:
    for root in range(400):  # far more than a couple of seconds of work
        unit = tmp_path / f"r{root:03d}"
        unit.mkdir()
        body = 'variable "x" {\n  default = "a"\n}\n' + "".join(
            TABLE.format(i=i) for i in range(10))
        (unit / "main.tf").write_text(body)
    child = subprocess.Popen([*COMMAND, str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    time.sleep(2.0)  # well past start-up, where our handler is installed
    assert child.poll() is None, "the scan finished before it could be interrupted"
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 130
    assert _one_line(stderr) == "iac-ddb-lint: interrupted"
    assert stdout == b""
