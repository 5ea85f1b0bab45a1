"""Terraform's file functions in a scan (issue 12): files inside the repository are read as
Terraform reads them; a path or link out of it, a file over the size cap, a FIFO, the home
directory are unknown and never read; without a FileAccess, every file function is unknown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer import boundary
from analyzer.cli import main
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.file_functions import FILE_ACCESS, MAX_FILE_BYTES
from analyzer.hcl.parse import parse_hcl
from analyzer.model import Unknown
from analyzer.terraform.file_access import RepositoryFiles

TABLE = """resource "aws_dynamodb_table" "t" {{
  name     = "t"
  hash_key = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = {pitr}
  }}
}}
"""


def _scan(path: Path) -> dict:
    run = CliRunner().invoke(main, ["--format", "json", str(path)])
    return json.loads(run.stdout)


def _repo(tmp_path: Path, pitr: str) -> tuple[Path, Path]:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    (repo / "app").mkdir()
    outside.mkdir()
    (outside / "on.json").write_text('{"pitr": true}')
    (repo / "app" / "main.tf").write_text(TABLE.format(pitr=pitr))
    return repo, outside


def _status(report: dict) -> str:
    [table] = report["tables"]
    return table["status"]


def test_a_file_elsewhere_in_the_repository_is_read(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path, 'jsondecode(file("${path.module}/../config/on.json")).pitr')
    (repo / "config").mkdir()
    (repo / "config" / "on.json").write_text('{"pitr": true}')
    assert _status(_scan(repo / "app")) == "protected"  # outside the scanned folder, inside git


@pytest.mark.parametrize("how", ["absolute", "climbing", "file link", "directory link"])
def test_a_file_outside_the_repository_is_never_read(tmp_path: Path, how: str) -> None:
    repo, outside = _repo(tmp_path, "PLACEHOLDER")
    paths = {
        "absolute": str(outside / "on.json"),
        "climbing": "${path.module}/../../outside/on.json",
        "file link": "${path.module}/linked.json",
        "directory link": "${path.module}/linked_dir/on.json",
    }
    (repo / "app" / "linked.json").symlink_to(outside / "on.json")
    (repo / "app" / "linked_dir").symlink_to(outside, target_is_directory=True)
    main_tf = repo / "app" / "main.tf"
    main_tf.write_text(TABLE.format(pitr=f'jsondecode(file("{paths[how]}")).pitr'))
    report = _scan(repo / "app")
    assert _status(report) == "unknown"
    assert "outside the repository" in json.dumps(report["tables"])


def test_a_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path, 'length(file("${path.module}/big.txt")) > 0')
    (repo / "app" / "big.txt").write_text("x" * (MAX_FILE_BYTES + 1))
    assert _status(_scan(repo / "app")) == "unknown"


def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path, 'length(file("${path.module}/pipe")) > 0')
    os.mkfifo(repo / "app" / "pipe")
    assert _status(_scan(repo / "app")) == "unknown"  # and the scan did not hang


def test_a_missing_file_is_terraforms_error_which_try_catches(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path, 'try(jsondecode(file("${path.module}/none.json")).pitr, false)')
    assert _status(_scan(repo / "app")) == "unprotected"


def _ev(expr: str, access: object) -> object:
    scope = {} if access is None else {FILE_ACCESS: access}
    return evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, scope)


def test_without_a_file_access_every_file_function_is_unknown() -> None:
    for expr in ('file("a")', 'fileexists("a")', 'fileset(".", "*")', 'templatefile("a", {})',
                 'filemd5("a")', 'filebase64("a")'):
        value = _ev(expr, None)
        assert isinstance(value, Unknown) and "not available" in value.reason, expr


def test_fileset_does_not_follow_links_and_skips_what_it_cannot_match(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "a.json").write_text("{}")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "link").symlink_to("/etc/passwd")
    files = RepositoryFiles(tmp_path)
    with boundary.scope([str(tmp_path)]):
        assert _ev('fileset(".", "conf/*.json")', files) == ["conf/a.json"]  # never enters other/
        assert isinstance(_ev('fileset(".", "**")', files), Unknown)


def test_templatefile_sees_only_its_vars_and_may_not_recurse(tmp_path: Path) -> None:
    (tmp_path / "t.tftpl").write_text("${name}-${upper(env)}")
    (tmp_path / "self.tftpl").write_text('${templatefile("t.tftpl", {name = 1, env = 2})}')
    files = RepositoryFiles(tmp_path)
    assert _ev('templatefile("t.tftpl", {name = "a", env = "b"})', files) == "a-B"
    assert _ev('try(templatefile("t.tftpl", {name = "a"}), "error")', files) == "error"
    assert _ev('try(templatefile("self.tftpl", {}), "error")', files) == "error"
    (tmp_path / "module_names.tftpl").write_text("${var.x}")
    scope = {"var": {"x": "module value"}, FILE_ACCESS: files}
    expr = parse_hcl('x = try(templatefile("module_names.tftpl", {}), "error")\n')
    assert evaluate(expr.attributes["x"].expr, scope) == "error"  # var is not one of its vars


def test_templatestring_takes_a_reference_not_a_literal() -> None:
    scope = {"local": {"t": "hi ${name}"}}
    expr = parse_hcl('x = templatestring(local.t, {name = "you"})\n').attributes["x"].expr
    assert evaluate(expr, scope) == "hi you"
    assert _ev('try(templatestring("hi", {}), "error")', None) == "error"
