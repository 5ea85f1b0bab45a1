"""A central backup repository's selections, exported to a file and counted in an application
repository's run: real fixtures (tests/fixtures/external/), a golden export, the verdicts and
their evidence, and a hostile or invalid file refused with its position (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import FIXTURES, REPO

from analyzer.cli import main
from analyzer.external import ExternalSources, read_sources
from analyzer.external.export import exchange_text
from analyzer.model import Status, Verdict
from analyzer.pipeline import scan

HERE = FIXTURES / "external"
BACKUP, APP = HERE / "backup_repo", HERE / "app_repo"
GOLDEN = HERE / "backup_repo.selections.json"
NO_REGION = HERE / "backup_repo_no_region.selections.json"
REGENERATE = ("iac-ddb-lint --export-selections tests/fixtures/external/{0}.selections.json "
              "tests/fixtures/external/{0}")


def verdicts(*exchange: Path) -> dict[str, Verdict]:
    sources = read_sources([str(p) for p in exchange])
    result = scan([str(APP)], external=sources) if exchange else scan([str(APP)])
    return {v.table.address: v for v in result.verdicts}


def status(found: dict[str, Verdict]) -> dict[str, str]:
    return {address: v.status.value for address, v in found.items()}


@pytest.mark.parametrize("case", ["backup_repo", "backup_repo_no_region"])
def test_the_export_is_the_golden_file(case: str) -> None:
    result = scan([str(HERE / case)])
    golden = (HERE / f"{case}.selections.json").read_text(encoding="utf-8")
    assert exchange_text(result.inventory, case) == golden, REGENERATE.format(case)


def test_the_export_is_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    written = []
    for seed in ("0", "4242"):
        out = tmp_path / f"{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "analyzer", "--export-selections", str(out),
             "tests/fixtures/external/backup_repo"],
            cwd=REPO, env=env, capture_output=True, timeout=300, check=False)
        assert run.returncode == 0, run.stderr
        written.append(out.read_bytes())
    assert written[0] == written[1] == GOLDEN.read_bytes()


def test_imported_selections_protect_the_tables_they_select() -> None:
    found = verdicts(GOLDEN)
    assert status(found) == {
        "aws_dynamodb_table.orders": "protected",  # tag backup = daily
        "aws_dynamodb_table.invoices": "protected",  # "*" and condition tier = gold
        "aws_dynamodb_table.sessions": "unprotected",  # backup = weekly
        "aws_dynamodb_table.scratch": "unprotected",  # excluded by not_resources
        "aws_dynamodb_table.ledger": "unprotected",  # the backup repo's reference is its own
        "aws_dynamodb_table.orders_virginia": "unprotected",  # us-east-1, selections eu-west-1
        "aws_dynamodb_table.reports": "unknown",  # class = an unknown value
    }
    (selected,) = [e for e in found["aws_dynamodb_table.orders"].evidence
                   if e.applies.value == "yes"]
    given = str(GOLDEN)
    assert selected.source == f"backup_repo:main.tf:27 aws_backup_selection.by_tag (from {given})"
    assert "assuming backup_repo deploys it to the table's AWS account" in selected.message
    assert selected.location is not None and selected.location.file.endswith(GOLDEN.name)
    (maybe,) = [e for e in found["aws_dynamodb_table.reports"].evidence
                if e.applies.value == "unknown"]
    assert "var.class_value has no default" in maybe.message  # the reason, kept


def test_without_the_file_every_table_is_unprotected() -> None:
    assert set(status(verdicts()).values()) == {"unprotected"}


def test_a_selection_of_unknown_region_protects_nothing_for_certain() -> None:
    found = verdicts(NO_REGION)
    orders = found["aws_dynamodb_table.orders"]
    assert orders.status is Status.UNKNOWN
    assert any("its Region is unknown" in e.message for e in orders.evidence)
    assert found["aws_dynamodb_table.sessions"].status is Status.UNPROTECTED


def test_the_command_line_reports_the_origin(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["--format", "json", "--selections-from", str(GOLDEN),
                                    str(APP)])
    assert run.exit_code == 1, run.output
    tables = {t["resource"]: t for t in json.loads(run.output)["tables"]}
    sources = [e["source"] for e in tables["aws_dynamodb_table.orders"]["protection"]]
    assert f"backup_repo:main.tf:27 aws_backup_selection.by_tag (from {GOLDEN})" in sources


def test_imported_constructs_are_not_reported_here(tmp_path: Path) -> None:
    """DDB004 about a selection is the exporting repository's finding, at its own line."""
    exported = tmp_path / "warnings.json"
    warnings_case = FIXTURES / "terraform" / "selection_warnings"
    runner = CliRunner()
    first = runner.invoke(main, ["--export-selections", str(exported), str(warnings_case)])
    assert "DDB004" in first.output
    second = runner.invoke(main, ["--selections-from", str(exported), str(APP)])
    assert "DDB004" not in second.output, second.output
    assert "DDB002" in second.output, second.output  # they were read: they may select tables


def test_an_export_holds_only_what_the_tree_declares(tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    run = CliRunner().invoke(main, ["--selections-from", str(GOLDEN), "--export-selections",
                                    str(again), str(APP)])
    assert run.exit_code == 1, run.output
    document = json.loads(again.read_text(encoding="utf-8"))
    assert document["source"] == "app_repo"
    assert document["selections"] == document["plans"] == document["region_settings"] == []


def test_an_export_with_an_unreadable_input_is_not_written(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run = CliRunner().invoke(main, ["--export-selections", str(out),
                                    str(FIXTURES / "terraform" / "syntax_error")])
    assert run.exit_code == 2
    assert not out.exists() and "not written" in run.output


def test_an_export_of_several_workspaces_is_refused(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["--export-selections", str(tmp_path / "o.json"),
                                    "--workspace", "a", "--workspace", "b", str(BACKUP)])
    assert run.exit_code == 2 and "at most one --workspace" in run.output


def _document(**changes: object) -> dict[str, object]:
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def _bad_selection(**changes: object) -> dict[str, object]:
    document = _document()
    selections = document["selections"]
    assert isinstance(selections, list)
    selections[0].update(changes)
    return document


@pytest.mark.parametrize(("content", "where", "says"), [
    (b'{"format": "iac-ddb-lint-selections",\n  "version": 1,, }', "2:16", "double quotes"),
    (json.dumps({"format": "other"}).encode(), "1:12", "not an exchange file"),
    (json.dumps(_document(version=2)).encode(), "1:", "version 2 is not one"),
    (json.dumps(_document(version=True)).encode(), "1:", "version True"),
    (json.dumps(_bad_selection(extra=1), indent=1).encode(), "", 'unknown key "extra"'),
    (json.dumps(_bad_selection(region=3), indent=1).encode(), "", '"selections[0].region"'),
    (json.dumps(_bad_selection(resources=[{"ref": "x"}]), indent=1).encode(), "", 'no "attr"'),
    (json.dumps(_bad_selection(list_of_tags=[{"op": "Equals"}]), indent=1).encode(), "",
     'no "key"'),
    (json.dumps(_bad_selection(line="12"), indent=1).encode(), "", "must be an integer"),
    (b"[" * 50_000, "1:34", "nested more than"),
    (b'{"format": "\xff"}', "1:13", "not UTF-8"),
    (b"", "1:1", "end of the file"),
])
def test_an_invalid_file_is_an_error_at_its_position(
    tmp_path: Path, content: bytes, where: str, says: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    run = CliRunner().invoke(main, ["--selections-from", str(bad), str(APP)])
    assert run.exit_code == 2, run.output
    assert f"{bad}:{where}" in run.output and says in run.output, run.output
    assert "Traceback" not in run.output
    assert isinstance(run.exception, SystemExit)  # click's exit 2, not an escaped error


def test_an_invalid_entry_is_located_at_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_bad_selection(region=3), indent=1), encoding="utf-8")
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1)
                if '"region": 3' in text)
    run = CliRunner().invoke(main, ["--selections-from", str(bad), str(APP)])
    assert f"{bad}:{line}:" in run.output, run.output


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.external import imported

    monkeypatch.setattr(imported, "MAX_FILE_BYTES", 100)
    run = CliRunner().invoke(main, ["--selections-from", str(GOLDEN), str(APP)])
    assert run.exit_code == 2 and "larger than 100 bytes" in run.output, run.output


def test_a_directory_or_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    for given in (str(tmp_path), str(tmp_path / "missing.json")):
        run = CliRunner().invoke(main, ["--selections-from", given, str(APP)])
        assert run.exit_code == 2, run.output


def test_no_sources_add_nothing() -> None:
    assert not ExternalSources()
    assert not ExternalSources().inventory(APP).selections


def test_a_selection_of_one_template_scenario_is_unknown_elsewhere(tmp_path: Path) -> None:
    """The other stack's condition values are not this run's: its matches are unknown."""
    from analyzer.external.imported import imported_inventory

    case = FIXTURES / "cloudformation" / "novalue_selection_list"
    exported = tmp_path / "stack.json"
    exported.write_text(exchange_text(scan([str(case)]).inventory, "stacks"), encoding="utf-8")
    sources = read_sources([str(exported)])
    exported_selections = [s for s, _ in sources.files[0].exchange.selections]
    imported = imported_inventory(sources.files, tmp_path).selections
    pairs = [(before, after) for before, after in zip(exported_selections, imported, strict=True)
             if before.scenario is not None]
    assert pairs
    for before, after in pairs:
        assert before.scenario is not None and after.scenario is None
        assert after.undecided is not None
        assert f"it exists only {before.scenario.text}" in after.undecided.reason


@pytest.mark.parametrize(("plan", "expected"), [
    ({"rule_count": 0}, "unprotected"),  # a plan without a rule backs nothing up
    ({"exists": {"unknown": "count = var.enabled ? 1 : 0"}}, "unknown"),
    ({"rule_count": {"unknown": "dynamic rule blocks"}}, "unknown"),
])
def test_an_imported_selection_protects_through_its_imported_plan(
    tmp_path: Path, plan: dict[str, object], expected: str
) -> None:
    document = _document()
    plans = document["plans"]
    assert isinstance(plans, list) and len(plans) == 1
    plans[0].update(plan)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    found = status(verdicts(edited))
    assert found["aws_dynamodb_table.orders"] == expected
    assert found["aws_dynamodb_table.sessions"] == "unprotected"


def test_an_imported_opt_out_stops_tag_selections(tmp_path: Path) -> None:
    document = _document()
    settings = document["region_settings"]
    assert isinstance(settings, list)
    settings[0]["dynamodb_opt_in"] = False
    edited = tmp_path / "opted_out.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    found = verdicts(edited)
    assert found["aws_dynamodb_table.orders"].status is Status.UNPROTECTED
    assert any("opted out of DynamoDB" in e.message and "backup_repo:main.tf:82" in e.message
               for e in found["aws_dynamodb_table.orders"].evidence)


def test_a_huge_number_is_an_error_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "huge.json"
    bad.write_text('{"format": "iac-ddb-lint-selections", "version": ' + "9" * 5000 + "}")
    run = CliRunner().invoke(main, ["--selections-from", str(bad), str(APP)])
    assert run.exit_code == 2 and f"{bad}:1:" in run.output, run.output


@pytest.mark.parametrize("where", ["repository", "parent", "outside"])
def test_the_export_is_the_same_bytes_from_any_working_directory(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reports print paths from the working directory; the file's paths start from the tree.
    cwd = {"repository": HERE / "backup_repo", "parent": HERE, "outside": tmp_path}[where]
    monkeypatch.chdir(cwd)
    out = tmp_path / "export.json"
    result = CliRunner().invoke(main, ["--export-selections", str(out),
                                       str(HERE / "backup_repo")])
    assert result.exit_code in (0, 1), result.output
    assert out.read_bytes() == GOLDEN.read_bytes()
