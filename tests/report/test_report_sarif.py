"""SARIF 2.1.0 as GitHub code scanning reads it: every SARIF produced here validates against the
official OASIS schema (offline), and fingerprints survive unrelated edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.hand_built import sample_result
from support.reports import (
    FIXTURES,
    assert_valid_sarif,
    copy_case,
    run,
    sarif_errors,
)

from analyzer import __version__
from analyzer.catalog import load_rules
from analyzer.engine import evaluate
from analyzer.report import sarif


def _render(result) -> str:  # type: ignore[no-untyped-def]
    rules = load_rules()
    return sarif.render(result, evaluate(result, rules), rules)


def test_the_schema_catches_what_github_would_refuse() -> None:
    document = json.loads(_render(sample_result()))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"][
        "startLine"
    ] = 0
    document["runs"][0]["tool"]["driver"]["information_uri"] = "x"
    errors = sarif_errors(document)
    assert any("startLine" in e for e in errors) and any("information_uri" in e for e in errors)


def test_hand_built_result() -> None:
    document = assert_valid_sarif(_render(sample_result()))
    assert document["version"] == "2.1.0"
    run_ = document["runs"][0]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("iac-ddb-lint", __version__)
    rules = load_rules()
    assert [r["id"] for r in driver["rules"]] == [r.id for r in rules]
    ddb001 = driver["rules"][0]
    assert ddb001["name"] == "dynamodb-table-without-backup"
    assert ddb001["shortDescription"]["text"] == rules[0].summary
    assert ddb001["fullDescription"]["text"] == rules[0].why
    assert "point_in_time_recovery" in ddb001["help"]["markdown"]
    assert "```hcl" in ddb001["help"]["markdown"] and "```yaml" in ddb001["help"]["markdown"]
    assert ddb001["defaultConfiguration"]["level"] == "error"
    assert ddb001["properties"]["security-severity"] == "8.0"
    assert "security" in ddb001["properties"]["tags"]
    warning_rule = next(r for r in driver["rules"] if r["id"] == "DDB002")
    assert warning_rule["properties"]["security-severity"] == "5.0"

    results = run_["results"]
    for item in results:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    users = next(r for r in results if "aws_dynamodb_table.users" in r["message"]["text"])
    assert users["level"] == "error"
    location = users["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "main.tf"
    assert location["region"]["startLine"] == 20
    events = next(r for r in results if "aws_dynamodb_table.events" in r["message"]["text"])
    assert events["level"] == "warning"
    cache = next(r for r in results if "aws_dynamodb_table.cache" in r["message"]["text"])
    assert cache["suppressions"] == [{"kind": "inSource", "justification": "rebuilt on deploy"}]
    assert "suppressions" not in users
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "unexpected token"


ALL_CASES = sorted(
    p for kind in FIXTURES.parent.iterdir() if kind.is_dir() for p in kind.iterdir() if p.is_dir()
)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_gives_valid_sarif(case: Path) -> None:
    result, text = run([str(case)], "sarif")
    document = assert_valid_sarif(text)
    assert len(document["runs"][0]["results"]) == len(evaluate(result, load_rules()))


def test_uris_are_repository_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case("central_backup_root", tmp_path)
    monkeypatch.chdir(tmp_path)
    _, text = run(["infra"], "sarif")
    document = assert_valid_sarif(text)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {"infra/app/tables.tf"}
    assert "originalUriBaseIds" not in document["runs"][0]  # no absolute path in the log


def test_suppressed_findings_are_results_with_their_reason() -> None:
    _, text = run([str(FIXTURES / "suppression")], "sarif")
    results = assert_valid_sarif(text)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 2
    assert all(s["suppressions"][0]["kind"] == "inSource" for s in suppressed)
    assert all(s["suppressions"][0]["justification"].strip() for s in suppressed)


def _prints(text: str) -> dict[tuple[str, str], tuple[str, int]]:
    results = assert_valid_sarif(text)["runs"][0]["results"]
    return {
        (r["ruleId"], r["message"]["text"].split(":")[0]): (
            r["partialFingerprints"]["iacDdbLint/v1"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    }


def test_fingerprints_survive_unrelated_line_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for case in ("suppression", "selection_tag", "pitr_settings"):
        copy_case(case, tmp_path, case)
    monkeypatch.chdir(tmp_path)
    paths = ["suppression", "selection_tag", "pitr_settings"]
    before = _prints(run(paths, "sarif")[1])
    for tf in sorted(tmp_path.rglob("*.tf")):
        text = tf.read_text(encoding="utf-8")
        tf.write_text("# moved\n\n\n" + text.replace("\n\n", "\n\n# note\n", 1), encoding="utf-8")
    after = _prints(run(paths, "sarif")[1])
    assert before.keys() == after.keys() and len(before) >= 6
    for key, (fingerprint, line) in before.items():
        assert after[key][0] == fingerprint, key
        assert after[key][1] > line, key  # the finding did move
    assert len({fp for fp, _ in before.values()}) == len(before)


def test_cli_writes_valid_sarif_and_prints_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from analyzer.cli import main

    copy_case("selection_tag", tmp_path)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(
        main, ["--format", "sarif", "--output", "reports/deep/results.sarif", "infra"]
    )
    assert out.exit_code == 1, out.output
    assert "infra/main.tf:12: DDB001" in out.output  # text paths too are from the working dir
    assert "DDB001 aws_dynamodb_table.untagged" in out.output
    assert out.output.rstrip().endswith("3 tables: 1 protected, 2 unprotected, 0 unknown")
    document = assert_valid_sarif((tmp_path / "reports/deep/results.sarif").read_text("utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {"infra/main.tf"}


def test_help_links_follow_the_package_homepage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "homepage", lambda: "https://example.invalid/iac-ddb-lint")
    driver = assert_valid_sarif(_render(sample_result()))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.invalid/iac-ddb-lint"
    assert {r["helpUri"] for r in driver["rules"]} == {"https://example.invalid/iac-ddb-lint#rules"}
    monkeypatch.setattr(sarif, "homepage", lambda: None)
    driver = assert_valid_sarif(_render(sample_result()))["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver and all("helpUri" not in r for r in driver["rules"])
