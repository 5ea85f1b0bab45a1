"""Discovery and hostile input, on real directory trees built in a temporary folder: links that
loop or dangle, directories that are never scanned, files handed in one by one, input that no
parser should survive."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main
from analyzer.discover import discover

TABLE = """resource "aws_dynamodb_table" "{name}" {{
  name     = "{name}"
  hash_key = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
}}
"""


def write_table(directory: Path, name: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.tf").write_text(TABLE.format(name=name))


def scan_json(*args: str) -> tuple[int, dict]:
    """A JSON run from the scanned directory (the last argument, or a file's directory), as a
    user runs it: reported paths are relative to the working directory."""
    here, target = os.getcwd(), Path(args[-1])
    os.chdir(target if target.is_dir() else target.parent)
    try:
        run = CliRunner().invoke(main, ["--format", "json", *args])
    finally:
        os.chdir(here)
    return run.exit_code, json.loads(run.output)


def test_skips_tool_state_and_hidden_directories(tmp_path: Path) -> None:
    write_table(tmp_path / "app", "kept")
    for skipped in (".terraform/modules/x", ".git/x", "node_modules/x", ".hidden"):
        write_table(tmp_path / skipped, "skipped")
    units = discover([str(tmp_path)]).units
    assert [u.path.name for u in units] == ["app"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_link_loops_and_dangling_links_neither_hang_nor_fail(tmp_path: Path) -> None:
    write_table(tmp_path / "app", "orders")
    (tmp_path / "app" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "app" / "dangling.tf").symlink_to(tmp_path / "missing.tf")
    (tmp_path / "dangling_dir").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    code, report = scan_json(str(tmp_path))
    assert [t["resource"] for t in report["tables"]] == ["aws_dynamodb_table.orders"]
    # A dangling dangling.tf is a file Terraform tries to read and cannot: an error, as there
    # (fail closed); the loop and the dangling directory link are walked past quietly.
    assert [(e["file"], e["message"]) for e in report["errors"]] == [
        ("app/dangling.tf", "cannot read file: No such file or directory")]
    assert code == 2


def test_a_file_argument_pulls_in_its_whole_directory(tmp_path: Path) -> None:
    write_table(tmp_path / "infra", "orders")
    (tmp_path / "infra" / "backup.tf").write_text(
        'resource "aws_backup_selection" "all" {\n'
        '  name         = "all"\n'
        '  plan_id      = "plan"\n'
        '  iam_role_arn = "arn:aws:iam::111122223333:role/backup"\n'
        '  resources    = ["arn:aws:dynamodb:*:*:table/*"]\n'
        "}\n"
    )
    code, report = scan_json(str(tmp_path / "infra" / "backup.tf"))
    assert [(t["resource"], t["status"]) for t in report["tables"]] == [
        ("aws_dynamodb_table.orders", "protected")
    ]
    assert code == 0


def test_paths_are_relative_to_the_scanned_directory(tmp_path: Path) -> None:
    write_table(tmp_path / "a" / "b", "orders")
    _, report = scan_json(str(tmp_path))
    assert report["tables"][0]["file"] == "a/b/orders.tf"


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, [str(tmp_path / "nope")])
    assert run.exit_code == 2
    assert "nope" in run.output


@pytest.mark.parametrize(
    "expression",
    ["(" * 3000 + "true" + ")" * 3000, "[" * 3000 + "]" * 3000, "!" * 5000 + "true"],
    ids=["parentheses", "lists", "negations"],
)
def test_deeply_nested_expressions_never_crash(tmp_path: Path, expression: str) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_dynamodb_table" "deep" {\n'
        '  name = "deep"\n'
        "  point_in_time_recovery {\n"
        f"    enabled = {expression}\n"
        "  }\n"
        "}\n"
    )
    run = CliRunner().invoke(main, ["--format", "json", str(tmp_path)])
    assert run.exception is None or isinstance(run.exception, SystemExit)
    report = json.loads(run.output)
    statuses = [t["status"] for t in report["tables"]]
    # Either the file is an error naming a place, or the table gets a verdict: never a crash.
    assert report["errors"] or statuses, run.output
    if report["errors"]:
        assert run.exit_code == 2
        assert report["errors"][0]["line"] >= 1
