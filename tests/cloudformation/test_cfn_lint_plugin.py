"""cfn-lint, where it earns its place: every fixture template that claims to be valid passes
cfn-lint without errors (so fixtures are templates CloudFormation would accept), and
iac-ddb-lint works as a cfn-lint plugin (`--append-rules analyzer.cfnlint_plugin`).
Skipped cleanly when cfn-lint is not installed (it is a test dependency, never a runtime one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.paths import FIXTURES as ALL_FIXTURES

from analyzer.cloudformation.decode import parse_template
from analyzer.cloudformation.detect import is_template, may_be_template

cfnlint_api = pytest.importorskip("cfnlint.api")

FIXTURES = ALL_FIXTURES / "cloudformation"


def valid_templates() -> list[Path]:
    """Templates in fixture cases that expect no load errors."""
    found = []
    for case in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        expected = yaml.safe_load((case / "expected.yaml").read_text()) or {}
        if expected.get("errors"):
            continue
        for path in sorted(case.rglob("*")):
            if path.is_file() and may_be_template(str(path)):
                data, problems = parse_template(path.read_text(), path.name)
                if is_template(data) and not problems:
                    found.append(path)
    return found


def test_there_are_templates_to_check() -> None:
    assert len(valid_templates()) >= 15


@pytest.mark.parametrize("path", valid_templates(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_passes_cfn_lint(path: Path) -> None:
    matches = cfnlint_api.lint_file(path)
    errors = [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in matches
              if m.rule.id.startswith("E")]
    assert errors == []


def _cfn_lint(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=FIXTURES, check=False)


def test_plugin_reports_unprotected_tables() -> None:
    run = _cfn_lint("yaml_pitr/tables.yaml", "suppression/stack.yaml", "--format", "parseable",
                    "--append-rules", "analyzer.cfnlint_plugin")
    lines = sorted(line.split(":")[0] + ":" + line.split(":")[1] + " " + line.split(":")[5]
                   for line in run.stdout.splitlines() if ":E9901:" in line)
    assert lines == [
        "suppression/stack.yaml:31 E9901",  # NoReason: an ignore without a reason
        "suppression/stack.yaml:41 E9901",  # Orders; Cache and Scratch are suppressed
        "yaml_pitr/tables.yaml:16 E9901",
        "yaml_pitr/tables.yaml:28 E9901",
    ], run.stdout + run.stderr
    assert "CartsTable: not protected" in run.stdout


def test_plugin_is_quiet_on_protected_templates() -> None:
    run = _cfn_lint("selection_getatt/stack.yaml", "--append-rules", "analyzer.cfnlint_plugin")
    assert "Orders:" not in run.stdout and "E9901" in run.stdout  # Carts only
    assert run.stdout.count("E9901") == 1, run.stdout
