"""Values from outside the code: --var, --var-file, TF_VAR_ and tfvars files, in Terraform's
precedence order. The fixtures live in tests/fixtures/terraform_inputs/ (not terraform/): their
verdicts depend on the inputs each test gives, so the generic fixture test must not scan them."""

from __future__ import annotations

import json

from click.testing import CliRunner
from support.paths import FIXTURES

from analyzer.cli import main

CASE = FIXTURES / "terraform_inputs" / "precedence"
FILES = CASE / "files"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["--format", "json", *args, str(CASE)], env=env or {})
    return result.exit_code, json.loads(result.stdout)


def statuses(report: dict) -> dict[str, str]:
    return {t["resource"].removeprefix("aws_dynamodb_table."): t["status"]
            for t in report["tables"]}


def test_tfvars_files_without_inputs() -> None:
    _, report = run()
    got = statuses(report)
    assert got["from_json"] == "protected"  # terraform.tfvars.json
    assert got["auto_json"] == "protected"  # z.auto.tfvars.json after a.auto.tfvars
    assert got["from_env"] == got["from_var"] == got["cli_order"] == "unprotected"
    assert not any(k.startswith(("listed", "shard")) for k in got)


def test_tf_var_environment_is_lowest_after_defaults() -> None:
    env = {"TF_VAR_from_env": "true", "TF_VAR_from_json": "false", "TF_VAR_shards": "2"}
    _, report = run(env=env)
    got = statuses(report)
    assert got["from_env"] == "protected"
    assert got["from_json"] == "protected"  # terraform.tfvars.json beats TF_VAR_
    assert got["shard[0]"] == got["shard[1]"] == "protected"  # number-typed: "2" is 2


def test_var_beats_tfvars_and_parses_complex_values() -> None:
    _, report = run("--var", "from_var=true", "--var", 'names=["carts", "orders"]')
    got = statuses(report)
    assert got["from_var"] == "protected"
    assert got['listed["carts"]'] == got['listed["orders"]'] == "protected"


def test_command_line_order_decides_between_var_and_var_file() -> None:
    off = str(FILES / "off.tfvars")
    on = str(FILES / "on.tfvars.json")
    assert statuses(run("--var", "cli_order=true", "--var-file", off)[1])["cli_order"] == (
        "unprotected")
    assert statuses(run("--var-file", off, "--var", "cli_order=true")[1])["cli_order"] == (
        "protected")
    assert statuses(run(f"--var-file={off}", f"--var-file={on}")[1])["cli_order"] == (
        "protected")


def test_unparsable_var_files_fail_closed_with_a_position() -> None:
    for name, position in (("broken.tfvars", ":1:13"), ("broken.tfvars.json", ":2:16")):
        code, report = run("--var-file", str(FILES / name))
        assert code == 2, name
        messages = [f"{e['file']}:{e['line']}:{e['col']}" for e in report["errors"]]
        assert any(m.endswith(name + position) for m in messages), messages


def test_var_without_equals_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["--var", "nonsense", str(CASE)])
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.output


def test_an_undeclared_var_is_named_on_stderr_and_changes_nothing() -> None:
    runner = CliRunner()
    plain = runner.invoke(main, ["--format", "json", str(CASE)])
    given = runner.invoke(main, ["--format", "json", "--var", "no_such_var=1", str(CASE)])
    assert given.exit_code == plain.exit_code
    assert json.loads(given.stdout) == json.loads(plain.stdout)
    assert 'no scanned Terraform root module declares variable "no_such_var"' in given.stderr
    assert "no_such_var" not in plain.stderr
