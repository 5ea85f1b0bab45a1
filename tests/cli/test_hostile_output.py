"""Issue 15, item 15: a report that standard output cannot take (a full disk, a closed pipe or
descriptor) is exit 2 with one line on stderr, never a traceback or exit 1; SIGINT is exit 130,
SIGTERM 143, each with one line. All run the real command as a subprocess."""

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


def _many_roots(tmp_path: Path, roots: int) -> Path:
    for root in range(roots):
        unit = tmp_path / f"r{root:03d}"
        unit.mkdir()
        body = 'variable "x" {\n  default = "a"\n}\n' + "".join(
            TABLE.format(i=i) for i in range(10))
        (unit / "main.tf").write_text(body)
    return tmp_path


@pytest.mark.parametrize(("signum", "code", "message"), [
    (signal.SIGINT, 130, "iac-ddb-lint: interrupted"),
    (signal.SIGTERM, 143, "iac-ddb-lint: terminated"),
])
def test_a_signal_is_its_exit_code_with_one_line(
    tmp_path: Path, signum: int, code: int, message: str
) -> None:
    # far more than a couple of seconds of work: every file parsed (no cache of parsed files)
    root = _many_roots(tmp_path, 1200)
    child = subprocess.Popen([*COMMAND, "--no-cache", str(root)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # well past start-up, where our handler is installed
    assert child.poll() is None, "the scan finished before it could be interrupted"
    child.send_signal(signum)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == code
    assert _one_line(stderr) == message
    assert stdout == b""


def test_a_reader_that_stops_after_one_line_is_exit_2_with_one_line(tmp_path: Path) -> None:
    """`iac-ddb-lint DIR | head -1` with a report larger than the pipe holds."""
    root = _many_roots(tmp_path, 60)  # 600 findings: more than a 64 KiB pipe buffer
    run = subprocess.run(["bash", "-c", '"$@" | head -1; exit "${PIPESTATUS[0]}"', "sh",
                          *COMMAND, str(root)], cwd=REPO, capture_output=True, timeout=180,
                         check=False)
    assert run.stdout.count(b"\n") == 1 and b"DDB00" in run.stdout
    assert run.returncode == 2
    assert "cannot write the report to standard output" in _one_line(run.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("output", ["json:/dev/full", "sarif:/dev/full"])
def test_an_output_file_on_a_full_disk_is_exit_2_with_one_line(output: str) -> None:
    run = subprocess.run([*COMMAND, "examples/", "-o", output], cwd=REPO,
                         capture_output=True, timeout=120, check=False)
    assert run.returncode == 2
    assert "cannot write /dev/full" in _one_line(run.stderr)
