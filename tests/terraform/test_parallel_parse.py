"""Parsing across processes (analyzer.terraform.parallel_parse) changes no byte of the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.hcl.parse import HclSyntaxError
from analyzer.terraform import files, parallel_parse

TABLE = """resource "aws_dynamodb_table" "t{i}" {{
  name     = "svc-table-{i}"
  hash_key = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = {pitr}
  }}
  tags = {{ backup = "{tag}" }}
}}
"""

SELECTION = """resource "aws_backup_selection" "tagged" {
  name         = "tagged"
  plan_id      = "plan-id"
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
"""


def _tree(root: Path) -> Path:
    """Twelve roots of two files each (more than MIN_FILES), one with a syntax error."""
    for unit in range(12):
        directory = root / f"svc{unit:02d}"
        directory.mkdir(parents=True)
        (directory / "tables.tf").write_text("".join(
            TABLE.format(i=i, pitr="true" if i % 2 else "false",
                         tag="daily" if (unit + i) % 3 else "none") for i in range(3)))
        (directory / "backup.tf").write_text(SELECTION if unit % 2 else "locals {}\n")
    (root / "svc05" / "broken.tf").write_text('resource "aws_dynamodb_table" "x" {\n  name = \n')
    return root


def _run(tree: Path, cache: Path, jobs: str) -> tuple[int, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), parallel_parse.JOBS_VARIABLE: jobs}
    done = subprocess.run([sys.executable, "-m", "analyzer", "--format", "json", "-v", str(tree)],
                          capture_output=True, text=True, env=env, check=False)
    return done.returncode, done.stdout + done.stderr


def test_parallel_and_serial_runs_print_the_same_bytes(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "repo")
    serial = _run(tree, tmp_path / "cache1", "1")
    parallel = _run(tree, tmp_path / "cache2", "2")
    assert serial == parallel
    assert serial[0] == 2 and "svc05/broken.tf" in serial[1]  # the syntax error still reported
    assert _run(tree, tmp_path / "cache2", "2") == serial  # warm, from the workers' entries


def test_prefetch_parses_what_parse_file_would(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path / "repo")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(parallel_parse.JOBS_VARIABLE, "2")
    monkeypatch.setattr(files, "_BODIES", {})
    directories = sorted(p for p in tree.iterdir())
    assert parallel_parse.prefetch(directories) == 25
    for directory in directories:
        for path in files.configuration_files(directory):
            key = files.file_key(path)
            assert key is not None and files.is_known(key)
            text, _ = files.read_text(path, path.name)
            assert text is not None
            expected, got = files.parse_text(path, text), files._BODIES[key]
            if isinstance(expected, HclSyntaxError):
                assert isinstance(got, HclSyntaxError)
                assert (got.line, got.col, got.message) == (expected.line, expected.col,
                                                            expected.message)
            else:
                assert got == expected  # positions: the byte test above
    monkeypatch.setattr(files, "_BODIES", {})
    assert parallel_parse.prefetch(directories) == 0  # all cached now: loaded in-process
    monkeypatch.setattr(files, "_BODIES", {})


def test_one_job_or_few_files_start_no_pool(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path / "repo")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "_BODIES", {})
    monkeypatch.setenv(parallel_parse.JOBS_VARIABLE, "1")
    assert parallel_parse.prefetch(sorted(tree.iterdir())) == 0
    monkeypatch.setenv(parallel_parse.JOBS_VARIABLE, "2")
    assert parallel_parse.prefetch(sorted(tree.iterdir())[:2]) == 0  # 4 small files
