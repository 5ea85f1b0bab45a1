"""The composite GitHub Action (action.yml), its shell steps run as written, the way the runner
runs them (`bash --noprofile --norc -eo pipefail`), with the runner's files and variables faked in
tmp (actions/cache, a `uses:` step, is left out): the install step pip-installs a copy of this
checkout, and finds it installed the second time (what a restored cache gives); the lint step
writes SARIF and the job summary and prints annotations."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support.paths import REPO
from support.reports import assert_valid_sarif, copy_case

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("bash"), reason="bash")]


def _steps(inputs: dict[str, str]) -> list[dict]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs)

    def expand(text: str) -> str:
        return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], text)

    return [
        {
            "run": expand(step["run"]),
            "env": {k: expand(str(v)) for k, v in (step.get("env") or {}).items()},
            "shell": step["shell"],
        }
        for step in action["runs"]["steps"]
        if "run" in step
    ]


def _action_copy(target: Path) -> Path:
    for name in ("pyproject.toml", "README.md", "LICENSE", "action.yml"):
        shutil.copy2(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_rules")
    for name in ("analyzer", "rules"):
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    return target


def test_action_steps_as_written(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    copy_case("central_backup_root", workspace)
    (tmp_path / "action").mkdir()
    action_dir = _action_copy(tmp_path / "action")
    runner = {
        "GITHUB_ACTION_PATH": str(action_dir),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
        "NO_COLOR": "1",
    }
    (tmp_path / "runner-temp").mkdir()
    steps = _steps({"path": "infra", "format": "github", "sarif-file": "reports/lint.sarif"})
    steps.insert(2, steps[1])  # install again: the venv is there, nothing is installed
    codes, logs = [], []
    for step in steps:
        assert step["shell"] == "bash"
        script = tmp_path / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env={**os.environ, **runner, **step["env"]},
            capture_output=True,
            text=True,
            timeout=600,
        )
        codes.append(done.returncode)
        logs.append(done.stdout + done.stderr)
    assert codes == [0, 0, 0, 1], logs  # key, installed, found installed; findings fail
    assert "using the cached virtual environment" in logs[2]
    assert logs[3].startswith("::error file=infra/app/tables.tf,line=12,title=DDB001 ")
    output = (tmp_path / "github-output").read_text(encoding="utf-8").splitlines()
    assert output[0].startswith("key=iac-ddb-lint-venv-")
    assert output[1:] == ["sarif-file=reports/lint.sarif"]
    document = assert_valid_sarif((workspace / "reports/lint.sarif").read_text("utf-8"))
    assert document["runs"][0]["results"][0]["ruleId"] == "DDB001"
    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## iac-ddb-lint: ❌ 1 of 2 DynamoDB tables not protected")
