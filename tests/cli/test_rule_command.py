"""`iac-ddb-lint rule DDB001` and `--list-rules [-v]`: the rule catalog, in full, on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import REPO

from analyzer.catalog import load_rules
from analyzer.cli import main

TABLE = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n'


def _run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("rule", load_rules(), ids=lambda rule: rule.id)
def test_rule_prints_the_full_text(rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    out = _run(["rule", rule.id.lower()])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == f"{rule.id} {rule.name} ({rule.severity})"
    assert lines[-1] == f"Docs: README.md#{rule.id.lower()}"
    text = " ".join(out.output.split())
    for part in (rule.summary, rule.why, rule.short_fix):
        assert " ".join(part.split()) in text
    for example in (rule.fix_terraform, rule.fix_cloudformation):
        assert all(f"    {line}".rstrip() in lines for line in example.splitlines())
    assert _run(["rule", rule.id]).output == out.output  # deterministic, any case
    data = json.loads(_run(["rule", rule.id, "--format", "json"]).output)
    assert (data["id"], data["short_fix"], data["why"]) == (rule.id, rule.short_fix, rule.why)
    fixes = {"terraform": rule.fix_terraform, "cloudformation": rule.fix_cloudformation}
    assert data["fix"] == fixes


def test_unknown_rule_is_exit_2_and_lists_the_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = _run(["rule", "DDB999\x1b[2J"])
    assert out.exit_code == 2
    assert "unknown rule 'DDB999\\x1b[2J'" in out.output and "\x1b" not in out.output
    assert ", ".join(rule.id for rule in load_rules()) in out.output
    assert _run(["rule", "DDB001", "infra"]).exit_code == 2  # one id, no paths


def test_a_directory_named_rule_is_still_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rule").mkdir()
    (tmp_path / "rule" / "main.tf").write_text(TABLE)
    monkeypatch.chdir(tmp_path)
    for args in (["rule/"], ["rule"]):
        out = _run(args)
        assert out.exit_code == 1 and "DDB001 aws_dynamodb_table.t" in out.output
    out = _run(["rule", "DDB001"])  # `rule` is a path here: DDB001 must be one too
    assert out.exit_code == 2 and "'DDB001' does not exist" in out.output


def test_an_id_that_is_a_path_is_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "DDB001").mkdir()
    monkeypatch.chdir(tmp_path)
    out = _run(["rule", "DDB001"])
    assert out.exit_code == 2 and "'rule' does not exist" in out.output


def test_list_rules_verbose_adds_rationale_and_fixes() -> None:
    rules = load_rules()
    short = _run(["--list-rules"]).output
    assert "Why:" not in short
    full = _run(["--list-rules", "-v"])
    assert full.exit_code == 0 and full.output.startswith(short)
    for rule in rules:
        assert f"{rule.id} {rule.name} ({rule.severity})" in full.output
        assert f"Docs: README.md#{rule.id.lower()}" in full.output
    listed = json.loads(_run(["--list-rules", "--format", "json"]).output)
    assert [(i["short_fix"], i["docs"]) for i in listed] == [
        (r.short_fix, r.docs_link) for r in rules
    ]
    assert "why" not in listed[0]
    assert "why" in json.loads(_run(["--list-rules", "-v", "--format", "json"]).output)[0]


def test_readme_has_an_anchor_and_the_short_fix_of_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rules_section = readme.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    for rule in load_rules():
        assert f"\n#### {rule.id}\n" in rules_section  # GitHub's anchor: #ddb001
        assert f"Fix: {rule.short_fix}." in rules_section
