"""Units (issue 10): one address in two roots is two tables, every format tells them apart, and a
scan that reads nothing says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.cli import main

TABLE = """resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

variable "name" {
  type = string
}
"""


def _shared_module_repo(tmp_path: Path) -> Path:
    """modules/table called by envs/dev and envs/prod: both tables live in one file."""
    (tmp_path / "modules" / "table").mkdir(parents=True)
    (tmp_path / "modules" / "table" / "main.tf").write_text(TABLE)
    for env in ("dev", "prod"):
        root = tmp_path / "envs" / env
        root.mkdir(parents=True)
        (root / "main.tf").write_text(
            f'module "orders" {{\n  source = "../../modules/table"\n  name = "orders-{env}"\n}}\n')
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_names_the_unit_of_every_table_and_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "terraform")  # units are paths from the working directory
    code, out, _ = _run("--format", "json", "roots_shared_module")
    document = json.loads(out)
    assert code == 1
    assert [(t["unit"], t["status"]) for t in document["tables"]] == [
        ("roots_shared_module/envs/dev", "unprotected"),
        ("roots_shared_module/envs/prod", "protected")]
    assert [f["unit"] for f in document["findings"]] == ["roots_shared_module/envs/dev"]


def test_text_and_ci_formats_tell_two_roots_tables_apart(tmp_path: Path) -> None:
    repo = _shared_module_repo(tmp_path)
    _, text, _ = _run(str(repo))
    assert "DDB001 module.orders.aws_dynamodb_table.this [envs/dev]" in text
    assert "DDB001 module.orders.aws_dynamodb_table.this [envs/prod]" in text
    _, sarif, _ = _run("--format", "sarif", str(repo))
    results = json.loads(sarif)["runs"][0]["results"]
    prints = [r["partialFingerprints"] for r in results]
    assert len(results) == 2 and prints[0] != prints[1]
    assert {r["message"]["text"].split(":")[0] for r in results} == {
        "module.orders.aws_dynamodb_table.this [envs/dev]",
        "module.orders.aws_dynamodb_table.this [envs/prod]"}
    _, gitlab, _ = _run("--format", "gitlab", str(repo))
    issues = json.loads(gitlab)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues) == 2


def test_fingerprints_do_not_depend_on_other_roots(tmp_path: Path) -> None:
    """Removing prod must not change dev's fingerprint (no occurrence counter between them)."""
    repo = _shared_module_repo(tmp_path)

    def dev_print() -> str:
        _, sarif, _ = _run("--format", "sarif", str(repo))
        results = json.loads(sarif)["runs"][0]["results"]
        [dev] = [r for r in results if "[envs/dev]" in r["message"]["text"]]
        return str(dev["partialFingerprints"])

    both = dev_print()
    (repo / "envs" / "prod" / "main.tf").unlink()
    (repo / "envs" / "prod").rmdir()
    assert dev_print() == both


def test_a_scan_that_finds_nothing_warns(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# not infrastructure\n")
    code, out, err = _run(str(tmp_path))
    assert code == 0 and "0 tables" in out
    assert "no Terraform configuration" in err and "no CloudFormation template" in err


def test_a_file_argument_no_loader_reads_warns(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# not infrastructure\n")
    code, _, err = _run(str(readme))
    assert code == 0
    assert f"{readme}: not a Terraform file" in err
    assert "no Terraform configuration" not in err  # one warning is enough
