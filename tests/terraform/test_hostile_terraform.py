"""Hostile Terraform (issue 15): arguments Terraform rejects are errors at file:line:col with the
table never protected; a file that cannot be parsed (too large, too deep, out of memory) is an
error of its own while every other file is still read; module fan-out stays bounded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.model import Status
from analyzer.pipeline import scan
from analyzer.terraform import files
from analyzer.terraform.module_tree import MAX_MODULE_INSTANCES

TABLE = """resource "aws_dynamodb_table" "{name}" {{
  {meta}
  name     = "{name}"
  hash_key = "id"
  point_in_time_recovery {{
    enabled = true
  }}
}}
"""


def _table(name: str, meta: str = "") -> str:
    return TABLE.format(name=name, meta=meta)


def _scan(root: Path) -> tuple[dict[str, Status], list[str]]:
    result = scan([str(root)])
    statuses = {v.table.address: v.status for v in result.verdicts}
    errors = [str(e) for e in result.inventory.errors]
    return statuses, errors


@pytest.mark.parametrize(("meta", "message"), [
    ("count = -5", "must not be negative"),
    ("count = 1.5", "not a whole number"),
    ('count = "many"', "not a number"),
    ("count = null", "count is null"),
    ('for_each = ["a", "b"]', "for_each is a list"),
    ("for_each = keys({a = 1})", "for_each is a list"),
    ('for_each = [for v in ["a"] : v]', "for_each is a list"),
    ('for_each = "a"', "for_each is a string"),
    ("for_each = toset([[1], [2]])", "collection of collections"),
])
def test_rejected_count_and_for_each_are_errors(tmp_path: Path, meta: str, message: str) -> None:
    (tmp_path / "main.tf").write_text(_table("t", meta))
    statuses, errors = _scan(tmp_path)
    assert len(errors) == 1 and errors[0].startswith("main.tf:2:3: ") and message in errors[0]
    assert list(statuses.values()) == [Status.UNKNOWN]


@pytest.mark.parametrize("meta", [
    'count = "2"', "count = 2.0", 'for_each = toset(["a", "b"])', "for_each = {a = 1, b = 2}",
    "for_each = var.names",  # a set(string) variable holds a list here: no error
])
def test_valid_count_and_for_each_are_no_errors(tmp_path: Path, meta: str) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "names" {\n  type = set(string)\n  default = ["a", "b"]\n}\n'
        + _table("t", meta))
    statuses, errors = _scan(tmp_path)
    assert errors == []
    assert set(statuses.values()) == {Status.PROTECTED} and len(statuses) == 2


def test_a_rejected_module_for_each_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(_table("t"))
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source = "./m"\n  for_each = ["a"]\n}\n')
    statuses, errors = _scan(tmp_path)
    assert [e.split(": ")[0] for e in errors] == ["main.tf:3:3"]
    assert Status.PROTECTED not in statuses.values()


def test_an_error_is_reported_once_per_block(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(_table("t", "count = -1"))
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source = "./m"\n  for_each = toset(["a", "b"])\n}\n'
        'output "o" {\n  value = module.m\n}\n')
    _, errors = _scan(tmp_path)
    assert len(errors) == 1 and errors[0].startswith("m/main.tf:2:3: ")


@pytest.mark.parametrize("text", [
    'locals {{\n  x = "{}"\n}}\n'.format("a" * 10_000_000),
    "locals {\n  x = <<EOT\n" + ("a" * 100 + "\n") * 30_000 + "EOT\n}\n",  # 3 MB, short lines
    "locals {{\n  x = {}\n}}\n".format("(" * 5000 + "1" + ")" * 5000),
    "locals {{\n  x = {}\n}}\n".format("[" * 5000 + "1" + "]" * 5000),
])
def test_an_unreadable_file_is_an_error_and_the_others_are_read(
    tmp_path: Path, text: str
) -> None:
    (tmp_path / "bad.tf").write_text(text)
    (tmp_path / "good.tf").write_text(_table("t"))
    statuses, errors = _scan(tmp_path)
    assert len(errors) == 1 and errors[0].startswith("bad.tf:2:")
    assert statuses == {"aws_dynamodb_table.t": Status.UNKNOWN}  # bad.tf may hold an opt-out


@pytest.mark.parametrize(("text", "where"), [
    ('{\n  "locals": {\n    "x": "%s"\n  }\n}\n' % ("a" * 10_000_000), "bad.tf.json:3:10: "),
    ('{\n  "locals": {\n    "%s": 1\n  }\n}\n' % ("k" * 2_000_000), "bad.tf.json:3:5: "),
    ('{\n  "locals": {\n    "x": 1,\n    "x": 2\n  }\n}\n', "bad.tf.json:4:5: "),
])
def test_tf_json_has_the_limits_and_errors_of_native_syntax(
    tmp_path: Path, text: str, where: str
) -> None:
    """A 10 MB string (value or key) and a duplicate argument are errors at their position, as
    in a .tf file; the other file is still read."""
    (tmp_path / "bad.tf.json").write_text(text)
    (tmp_path / "good.tf").write_text(_table("t"))
    statuses, errors = _scan(tmp_path)
    assert len(errors) == 1 and errors[0].startswith(where), errors
    assert statuses == {"aws_dynamodb_table.t": Status.UNKNOWN}


@pytest.mark.parametrize(("for_each", "kind"), [
    ('"on"', "a string"), ("5", "a number"), ("null", "null"), ("var.flag", "a bool"),
])
def test_a_dynamic_for_each_that_is_not_a_collection_is_an_error(
    tmp_path: Path, for_each: str, kind: str
) -> None:
    """Terraform: "Invalid dynamic for_each value ... An iterable collection is required"."""
    (tmp_path / "main.tf").write_text(
        'variable "flag" {\n  default = true\n}\n'
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n'
        f'  dynamic "point_in_time_recovery" {{\n    for_each = {for_each}\n'
        "    content {\n      enabled = true\n    }\n  }\n}\n")
    statuses, errors = _scan(tmp_path)
    assert len(errors) == 1 and errors[0].startswith("main.tf:7:5: ") and kind in errors[0]
    assert statuses == {"aws_dynamodb_table.t": Status.UNKNOWN}


@pytest.mark.parametrize("for_each", ["[true]", "{a = true}", 'toset(["a"])', "var.unset"])
def test_a_dynamic_for_each_over_a_collection_or_unknown_is_no_error(
    tmp_path: Path, for_each: str
) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "unset" {}\n'
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n'
        f'  dynamic "point_in_time_recovery" {{\n    for_each = {for_each}\n'
        "    content {\n      enabled = true\n    }\n  }\n}\n")
    _, errors = _scan(tmp_path)
    assert errors == []


@pytest.mark.parametrize("failure", [MemoryError, RecursionError])
def test_running_out_while_parsing_is_an_error_of_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    real = files.parse_hcl

    def parse(text: str) -> object:
        if "boom" in text:
            raise failure()
        return real(text)

    monkeypatch.setattr(files, "parse_hcl", parse)
    (tmp_path / "bad.tf").write_text('locals {\n  boom = 1\n}\n')
    (tmp_path / "good.tf").write_text(_table("t"))
    statuses, errors = _scan(tmp_path)
    assert len(errors) == 1 and errors[0].startswith("bad.tf:1:1: ")
    assert statuses == {"aws_dynamodb_table.t": Status.UNKNOWN}


def test_module_fan_out_is_bounded(tmp_path: Path) -> None:
    """Three levels of 100 instances each: a million tables, unless the root's budget stops it.
    The limit's error is reported once; no table is protected; the scan ends."""
    fan_out = ('module "{n}" {{\n  source = "{s}"\n'
               '  for_each = toset([for i in range(100) : "k${{i}}"])\n}}\n')
    root = tmp_path / "root"
    for here, below in [("a", "b"), ("b", "c")]:
        (root / here).mkdir(parents=True)
        (root / here / "main.tf").write_text(fan_out.format(n=f"to_{below}", s=f"../{below}"))
    (root / "main.tf").write_text(fan_out.format(n="to_a", s="./a"))
    (root / "c").mkdir()
    (root / "c" / "main.tf").write_text(_table("t"))
    run = subprocess.run(
        [sys.executable, "-m", "analyzer", "--format", "json", str(root)],
        capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "internal error" not in run.stdout + run.stderr
    report = json.loads(run.stdout)
    messages = [e["message"] for e in report["errors"]]
    assert len(messages) == 1  # once per root, at the call that crosses the limit
    assert messages[0].startswith(f"more than {MAX_MODULE_INSTANCES} module instances in this root")
    assert {t["status"] for t in report["tables"]} == {"unknown"}
    assert len(report["tables"]) <= MAX_MODULE_INSTANCES


def test_an_hcl_file_over_the_parse_cap_is_an_error_at_once(tmp_path: Path) -> None:
    """Short lines, no long literal: the whole file is refused before the slow parser runs."""
    import time

    from analyzer.hcl.parse import MAX_HCL_CHARS

    block = 'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b{i}"\n}}\n'
    text = "".join(block.format(i=i) for i in range(MAX_HCL_CHARS // 30))
    (tmp_path / "big.tf").write_text(text, encoding="utf-8")
    started = time.monotonic()
    (error,) = scan([str(tmp_path)]).inventory.errors
    assert time.monotonic() - started < 10
    loc = error.location
    assert (loc.file, loc.line, loc.col) == ("big.tf", 1, 1) and "parses as HCL" in error.message
