"""`analyzer/rules.json`, what a run reads, holds exactly the rule files of `rules/` (regenerate it
with `python scripts/gen_rules_data.py`), passes the checks the YAML passes, and spares a run the
YAML parser (issue 13, start-up)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.paths import REPO
from support.runs import run_imports

from analyzer import catalog
from analyzer.catalog import RuleFileError


def test_the_json_is_fresh() -> None:
    fresh = catalog.rules_document(REPO / "rules")
    assert catalog.RULES_DATA.read_text(encoding="utf-8") == fresh, (
        "rules/ changed: run `python scripts/gen_rules_data.py`")


def test_a_run_reads_the_same_rules_as_the_yaml_gives() -> None:
    from_yaml = catalog._load_dir(str(REPO / "rules"))
    from_json = catalog.load_rules()
    assert [r.id for r in from_json] == [r.id for r in from_yaml] and len(from_json) >= 9
    strip = [{**vars(r), "path": ""} for r in from_json]
    assert strip == [{**vars(r), "path": ""} for r in from_yaml]
    assert all(r.path.endswith(f"rules.json: {r.id}-{r.name}.yaml") for r in from_json)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["rules"]["DDB001-dynamodb-table-without-backup.yaml"].update(severity="info"),
     "severity 'info'"),
    (lambda d: d["rules"].update({"bad.yaml": {}}), "file name must look like"),
    (lambda d: d.update(format=2), "not a rule document"),
    (lambda d: d["rules"]["DDB002-dynamodb-table-protection-unknown.yaml"].update(id="DDB001"),
     "does not match the file name"),
])
def test_a_broken_document_is_an_error(tmp_path: Path, change: object, message: str) -> None:
    document = json.loads(catalog.RULES_DATA.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(RuleFileError, match=message):
        catalog._load_data(str(path))


@pytest.mark.parametrize("text", ["", "[]", "{", '{"format": 1, "rules": {}}'])
def test_an_unreadable_document_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"rules\.json"):
        catalog._load_data(str(path))


def test_a_terraform_run_imports_no_yaml_parser() -> None:
    out, imported = run_imports([str(REPO / "examples" / "app")], ("yaml",))
    assert "DDB001" in out
    assert imported == []
