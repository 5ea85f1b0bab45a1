"""Packaging for people who depend on it (issue 14 item 15): the Apache-2.0 LICENSE and its
PEP 639 metadata, Python version classifiers that match requires-python, no notes to ourselves
in pyproject.toml, no invented project address, and a --help that names every input."""

from __future__ import annotations

import re
import sys

import pytest
from click.testing import CliRunner
from support.paths import REPO

import analyzer
from analyzer.cli import main

tomllib = pytest.importorskip("tomllib")
PYPROJECT = (REPO / "pyproject.toml").read_text(encoding="utf-8")
PROJECT = tomllib.loads(PYPROJECT)["project"]


def test_the_license_is_the_full_apache_2_text() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:5] == ["Apache", "License", "Version", "2.0,", "January"]
    for part in ("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
                 "9. Accepting Warranty or Additional Liability.",
                 "END OF TERMS AND CONDITIONS", "APPENDIX: How to apply the Apache License"):
        assert part in text
    assert len(text.splitlines()) > 190


def test_the_metadata_declares_it_as_pep_639_says() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    backend = tomllib.loads(PYPROJECT)["build-system"]["requires"]
    assert any(re.fullmatch(r"hatchling>=1\.(2[7-9]|[3-9]\d)(\.\d+)?", r) for r in backend)
    assert not any(c.startswith("License ::") for c in PROJECT["classifiers"])  # PEP 639


def test_python_classifiers_follow_requires_python() -> None:
    low = int(re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"]).group(1))
    minors = sorted(int(m) for c in PROJECT["classifiers"]
                    for m in re.findall(r"^Programming Language :: Python :: 3\.(\d+)$", c))
    assert minors[0] == low and minors == list(range(low, minors[-1] + 1))
    if sys.version_info >= (3, low):  # the interpreter running the tests is a supported one
        assert sys.version_info[1] in minors


def test_pyproject_holds_no_notes_to_ourselves() -> None:
    comments = [line.split("#", 1)[1] for line in PYPROJECT.splitlines() if "#" in line]
    assert not [c for c in comments if re.search(r"\bissue \d+|\bTODO\b|\bFIXME\b", c)]


def test_no_project_address_is_invented() -> None:
    # Links (SARIF helpUri, cfn-lint source_url, project URLs) wait for a public address.
    assert analyzer.PROJECT_URL == "" or analyzer.PROJECT_URL.startswith("https://")
    assert ("urls" in PROJECT) == bool(analyzer.PROJECT_URL)


def test_help_names_every_input_and_shows_examples() -> None:
    text = CliRunner().invoke(main, ["--help"]).output
    for word in ("Terraform", "CloudFormation", "SAM", "CDK", "plan", "Examples:",
                 "iac-ddb-lint infra/", "--tf-dir"):
        assert word in text
