"""The GitHub Action's wiring (issue 14 item 16), without installing anything: every input
reaches a script through an environment variable and never as `${{ inputs.* }}` pasted into a
`run:` script (script injection); the lint step turns the inputs into the argument list it
should, quoted words and hostile values included, with a stand-in for the venv's Python that
records its arguments; the venv is cached under a key of the runner, the interpreter and the
action's files, and found on Linux/macOS (bin/python) and Windows (Scripts/python.exe) alike."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.paths import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
INPUTS = ACTION["inputs"]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def _step(step_id_or_name: str) -> dict:
    [step] = [s for s in STEPS if step_id_or_name in (s.get("id"), s.get("name"))]
    return step


def test_no_expression_is_pasted_into_a_script() -> None:
    for step in STEPS:
        if "run" in step:
            assert step["shell"] == "bash"  # on every runner, Windows included (Git Bash)
            assert not EXPRESSION.search(step["run"]), step["name"]


def test_every_input_reaches_a_script_through_the_environment() -> None:
    wired: dict[str, str] = {}
    for step in STEPS:
        for variable, value in (step.get("env") or {}).items():
            found = EXPRESSION.fullmatch(str(value).strip())
            assert found, f"{variable}: only a plain expression, never text around it"
            name = found.group(1).strip().removeprefix("inputs.")
            wired[name] = variable
            assert variable in step["run"], f"{variable} is unused"
    assert set(wired) == set(INPUTS)


@pytest.mark.parametrize(("name", "option"), [
    ("var-file", "--var-file"), ("parameter", "--parameter"), ("exit-zero", "--exit-zero"),
    ("config", "--config"), ("fail-on", "--fail-on"), ("format", "--format"),
])
def test_inputs_are_named_after_their_options(name: str, option: str) -> None:
    assert name in INPUTS
    assert option in _step("lint")["run"]


def test_the_venv_is_cached_per_runner_interpreter_and_action_files() -> None:
    cache = [s for s in STEPS if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(cache) == 1
    assert cache[0]["with"]["key"] == "${{ steps.setup.outputs.key }}"
    assert cache[0]["with"]["path"] == "${{ runner.temp }}/iac-ddb-lint-venv"
    setup = _step("setup")["run"]
    for part in ("RUNNER_OS", "RUNNER_ARCH", "python_version", "sys.executable",
                 "pyproject.toml", "analyzer/**/*", "rules/**/*"):
        assert part in setup
    for step in (_step("Install iac-ddb-lint"), _step("lint")):
        assert "Scripts/python.exe" in step["run"] and "/bin/python" in step["run"]


def test_the_key_step_writes_a_key(tmp_path: Path) -> None:
    out = tmp_path / "output"
    env = {**os.environ, "GITHUB_ACTION_PATH": str(REPO), "GITHUB_OUTPUT": str(out),
           "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64"}
    _bash(_step("setup")["run"], env, tmp_path)
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"key=iac-ddb-lint-venv-Linux-X64-\w+\d+\.\d+\.\d+-[0-9a-f]{20}", line)


def _bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    path = cwd / "step.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
                          check=False)


RECORDER = """#!/bin/sh
# Stands in for the venv's Python: the analyzer's arguments are recorded, one a line.
if [ "$1" = "-m" ]; then
  shift 2
  for word in "$@"; do printf '%s\\n' "$word"; done > "$RECORD"
  exit 0
fi
exec "$REAL_PYTHON" "$@"
"""


def _lint_argv(tmp_path: Path, **inputs: str) -> tuple[int, list[str], str]:
    venv_python = tmp_path / "temp" / "iac-ddb-lint-venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True, exist_ok=True)
    venv_python.write_text(RECORDER, encoding="utf-8")
    venv_python.chmod(0o755)
    step = _step("lint")
    values = {name: str(spec.get("default", "")) for name, spec in INPUTS.items()}
    values.update(inputs)
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path / "temp"), "RECORD": str(tmp_path / "argv"),
           "REAL_PYTHON": sys.executable, "GITHUB_OUTPUT": str(tmp_path / "output")}
    env.pop("GITHUB_STEP_SUMMARY", None)
    for variable, value in step["env"].items():
        env[variable] = values[EXPRESSION.fullmatch(value).group(1).strip()[len("inputs."):]]
    done = _bash(step["run"], env, tmp_path)
    record = tmp_path / "argv"
    argv = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return done.returncode, argv, done.stderr


pytestmark = pytest.mark.skipif(not shutil.which("bash") or os.name == "nt", reason="bash")


def test_the_defaults_make_the_plain_run(tmp_path: Path) -> None:
    code, argv, _ = _lint_argv(tmp_path)
    assert code == 0
    # no path and no --fail-on: a configuration file's paths and fail-on apply (else . and error)
    assert argv == ["--format", "text", "--output", "sarif:iac-ddb-lint.sarif", "--"]


def test_every_input_becomes_its_option(tmp_path: Path) -> None:
    code, argv, _ = _lint_argv(
        tmp_path, **{"exit-zero": "true", "var-file": "env/prod.tfvars\nwith space.tfvars\n",
                     "parameter": "Environment=prod\r\nName=two words", "config": "ci/lint.toml",
                     "args": "--var 'x=a b' --workspace prod", "path": "infra stacks",
                     "fail-on": "warning"})
    assert code == 0
    assert argv == ["--format", "text", "--output", "sarif:iac-ddb-lint.sarif",
                    "--fail-on", "warning", "--exit-zero", "--var-file", "env/prod.tfvars",
                    "--var-file", "with space.tfvars", "--parameter", "Environment=prod",
                    "--parameter", "Name=two words", "--config", "ci/lint.toml",
                    "--var", "x=a b", "--workspace", "prod", "--", "infra", "stacks"]


@pytest.mark.parametrize("hostile", [
    "$(touch pwned)", "`touch pwned`", "x; touch pwned", "x && touch pwned", "'$(touch pwned)'",
    "\"${GITHUB_TOKEN}\"", "x\ntouch pwned",
])
def test_no_input_runs_as_code(tmp_path: Path, hostile: str) -> None:
    inputs = {name: hostile for name in ("args", "var-file", "parameter", "config", "path",
                                         "sarif-file", "format", "fail-on")}
    code, argv, _ = _lint_argv(tmp_path, **inputs)
    assert not (tmp_path / "pwned").exists()
    assert code == 0 and argv  # passed on as data (the analyzer then refuses what is wrong)


def test_unbalanced_quotes_and_a_wrong_flag_are_errors(tmp_path: Path) -> None:
    code, argv, err = _lint_argv(tmp_path, args="--var 'x=a")
    assert (code, argv) == (2, []) and "cannot be split" in err
    code, argv, err = _lint_argv(tmp_path, **{"exit-zero": "yes"})
    assert (code, argv) == (2, []) and "true or false" in err


def test_the_readme_shows_an_os_matrix() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### GitHub Actions", 1)[1].split("\n### ", 1)[0]
    workflows = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section,
                                                                  re.S)]
    matrices = [job["strategy"]["matrix"]["os"] for workflow in workflows if "jobs" in workflow
                for job in workflow["jobs"].values() if "strategy" in job]
    assert any({"ubuntu-latest", "macos-latest", "windows-latest"} <= set(m) for m in matrices)


def test_the_project_ci_runs_the_action_on_every_os() -> None:
    """`.github/workflows/ci.yml` runs this action (uses: ./) on Linux, macOS and Windows
    runners, with inputs it has, and checks the failed outcome and the SARIF it wrote."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    job = workflow["jobs"]["action"]
    assert set(job["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest", "macos-latest", "windows-latest"}
    uses = [step for step in job["steps"] if step.get("uses") == "./"]
    assert len(uses) == 2
    for step in uses:
        assert set(step["with"]) <= set(INPUTS)
        assert (REPO / step["with"]["path"]).is_dir()
    checks = [step for step in job["steps"] if "run" in step]
    assert checks and all(step["shell"] == "bash" for step in checks)
    assert "steps.lint.outcome" in str(checks[0]["env"])
    assert workflow["jobs"]["tests"]["steps"][-1]["run"] == "bash .ci/run"
