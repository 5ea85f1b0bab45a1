"""--create-baseline and --baseline (issue 14 item 4): a baseline hides the findings it lists,
keyed by rule, resource, unit and file (never the line), as a multiset, with paths relative to
the baseline file, from any working directory; stale entries are listed; a malformed baseline is
an error naming file:line:col, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.paths import REPO

from analyzer.cli import main

REPLICAS = Path(__file__).parent / "data" / "baseline_replicas"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/ (three findings) in a fresh directory, the working directory."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _findings(run: Result) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["resource"]) for f in json.loads(run.stdout)["findings"]]


def test_a_fresh_baseline_hides_every_finding(repo: Path) -> None:
    before = _run("--format", "json", "examples")
    assert before.exit_code == 1 and len(_findings(before)) == 3
    made = _run("--create-baseline", "baseline.json", "examples")
    assert made.exit_code == 0, made.output
    assert "wrote 3 findings to baseline baseline.json" in made.stderr
    assert "3 hidden by the baseline" in made.stdout
    document = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert document["iac-ddb-lint-baseline"] == 1
    assert {entry["file"] for entry in document["findings"]} == {
        "examples/app/main.tf", "examples/stack/template.yaml"}
    assert all("line" not in entry for entry in document["findings"])
    again = _run("--baseline", "baseline.json", "--format", "json", "examples")
    assert again.exit_code == 0, again.output
    assert _findings(again) == []
    assert json.loads(again.stdout)["summary"]["baselined"] == 3
    assert "3 findings hidden by baseline baseline.json" in again.stderr


def test_the_baseline_file_is_deterministic(repo: Path) -> None:
    _run("--create-baseline", "a.json", "examples")
    _run("--create-baseline", "b.json", "examples/stack", "examples/app", "examples/backup")
    assert (repo / "a.json").read_bytes() == (repo / "b.json").read_bytes()


def test_it_matches_from_another_directory_and_other_paths(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run("--create-baseline", "ci/baseline.json", "examples")
    monkeypatch.chdir(repo / "examples" / "app")
    run = _run("--baseline", "../../ci/baseline.json", "--format", "json", "..")
    assert run.exit_code == 0, run.output
    assert _findings(run) == []
    run = _run("--baseline", str(repo / "ci" / "baseline.json"), "--format", "json",
               str(repo / "examples"))
    assert _findings(run) == [] and run.exit_code == 0


def test_moved_lines_stay_hidden_and_new_findings_are_reported(repo: Path) -> None:
    _run("--create-baseline", "baseline.json", "examples")
    main_tf = repo / "examples" / "app" / "main.tf"
    text = main_tf.read_text(encoding="utf-8")
    # ten lines earlier in the file, and a new unprotected table at its end
    main_tf.write_text("\n" * 10 + text + '\nresource "aws_dynamodb_table" "fresh" {\n'
                       '  name     = "fresh"\n  hash_key = "id"\n}\n', encoding="utf-8")
    run = _run("--baseline", "baseline.json", "--format", "json", "examples")
    assert run.exit_code == 1
    assert _findings(run) == [("DDB001", "aws_dynamodb_table.fresh")]
    assert "3 findings hidden" in run.stderr


def test_hidden_findings_do_not_fail_the_run_but_errors_do(repo: Path) -> None:
    _run("--create-baseline", "baseline.json", "examples")
    (repo / "examples" / "app" / "broken.tf").write_text("resource {\n", encoding="utf-8")
    run = _run("--baseline", "baseline.json", "examples")
    assert run.exit_code == 2  # an unreadable input is never hidden
    assert "broken.tf:" in run.stdout


def test_a_baseline_is_not_written_from_an_incomplete_run(repo: Path) -> None:
    (repo / "examples" / "app" / "broken.tf").write_text("resource {\n", encoding="utf-8")
    run = _run("--create-baseline", "baseline.json", "examples")
    assert run.exit_code == 2
    assert "not written" in run.output
    assert not (repo / "baseline.json").exists()


def test_stale_entries_are_listed(repo: Path) -> None:
    _run("--create-baseline", "baseline.json", "examples")
    template = repo / "examples" / "stack" / "template.yaml"
    template.unlink()
    run = _run("--baseline", "baseline.json", "examples")
    assert run.exit_code == 0, run.output
    assert "1 entry no longer found" in run.stderr
    assert "  examples/stack/template.yaml: DDB001 SessionsTable" in run.stderr


def test_entries_are_a_multiset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPLICAS, tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    _run("--create-baseline", "baseline.json", "app")
    entries = json.loads((tmp_path / "baseline.json").read_text("utf-8"))["findings"]
    assert len(entries) == 3 and len({json.dumps(e) for e in entries}) == 1  # one key, thrice
    # Keep the key twice: a third finding with it is reported.
    document = json.loads((tmp_path / "baseline.json").read_text("utf-8"))
    document["findings"] = entries[:2]
    (tmp_path / "two.json").write_text(json.dumps(document), encoding="utf-8")
    run = _run("--baseline", "two.json", "--format", "json", "app")
    assert run.exit_code == 1
    assert _findings(run) == [("DDB001", "aws_dynamodb_table.global")]
    # A replica fixed: one of the three entries is stale.
    main_tf = tmp_path / "app" / "main.tf"
    fixed = 'region_name = "eu-west-1"\n    point_in_time_recovery = true'
    main_tf.write_text(main_tf.read_text("utf-8").replace('region_name = "eu-west-1"', fixed),
                       encoding="utf-8")
    run = _run("--baseline", "baseline.json", "app")
    assert run.exit_code == 0
    assert "2 findings hidden" in run.stderr and "1 entry no longer found" in run.stderr


@pytest.mark.parametrize(("text", "where", "what"), [
    ('{"iac-ddb-lint-baseline": 1,\n  "findings": [}', ":2:16:", "not JSON"),
    ("[]", ":1:1:", "JSON object"),
    ('{\n  "iac-ddb-lint-baseline": 7, "findings": []}', ":2:28:", "must be 1"),
    ('{"iac-ddb-lint-baseline": 1, "findings": [\n  {"rule_id": "DDB001", "resource": "x",\n'
     '   "unit": ".", "fil": "main.tf"}]}', ":3:17:", "unknown key 'fil'"),
    ('{"iac-ddb-lint-baseline": 1, "findings": [\n  {"rule_id": 1}]}', ":2:15:",
     "must be a string"),
    ('{"iac-ddb-lint-baseline": 1,\n "findings": {}}', ":2:14:", "must be a list"),
    ('\xff', ":1:1:", "cannot read"),
])
def test_a_malformed_baseline_is_an_error_at_its_position(
        repo: Path, text: str, where: str, what: str) -> None:
    (repo / "bad.json").write_bytes(text.encode("latin-1") if text == "\xff" else text.encode())
    run = _run("--baseline", "bad.json", "examples")
    assert run.exit_code == 2
    assert f"bad.json{where}" in run.output and what in run.output
    assert "Traceback" not in run.output


def test_a_missing_baseline_is_an_error(repo: Path) -> None:
    run = _run("--baseline", "nope.json", "examples")
    assert run.exit_code == 2
    assert "nope.json:1:1: cannot read the baseline" in run.output


def test_markdown_says_how_many_were_hidden(repo: Path) -> None:
    _run("--create-baseline", "baseline.json", "examples")
    run = _run("--baseline", "baseline.json", "--format", "markdown", "examples")
    assert "3 findings hidden by the baseline" in run.stdout


def test_changed_only_lists_as_stale_only_entries_of_the_reported_units(repo: Path) -> None:
    _run("--create-baseline", "baseline.json", "examples")
    document = json.loads((repo / "baseline.json").read_text("utf-8"))
    document["findings"].append({"rule_id": "DDB001", "resource": "aws_dynamodb_table.gone",
                                 "unit": "examples/app", "file": "examples/app/main.tf"})
    (repo / "baseline.json").write_text(json.dumps(document), encoding="utf-8")
    run = _run("--changed-only", "--baseline", "baseline.json", "examples/app/main.tf")
    assert run.exit_code == 0, run.output
    assert "2 findings hidden" in run.stderr  # the app's two; the stack's entry is not stale
    assert "1 entry no longer found" in run.stderr and "aws_dynamodb_table.gone" in run.stderr
    assert "SessionsTable" not in run.stderr


def test_sarif_and_junit_say_how_many_were_hidden(repo: Path) -> None:
    import xml.etree.ElementTree as ET

    assert _run("--create-baseline", "baseline.json", "examples").exit_code == 0
    sarif = _run("--format", "sarif", "--baseline", "baseline.json", "examples")
    assert sarif.exit_code == 0
    (run,) = json.loads(sarif.stdout)["runs"]
    assert run["results"] == [] and run["properties"] == {"baselined": 3}
    junit = _run("--format", "junit", "--baseline", "baseline.json", "examples")
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None
    assert [(p.get("name"), p.get("value")) for p in suite.iter("property")] == [
        ("baselined", "3")]
    without = _run("--format", "sarif", "examples")  # no baseline: no count to give
    assert "properties" not in json.loads(without.stdout)["runs"][0]
