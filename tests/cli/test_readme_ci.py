"""The README's CI recipes are valid YAML, and the plan-in-CI ones make the plan, convert it with
`terraform show -json` and judge the JSON with formats the command line accepts."""

from __future__ import annotations

import re
import shlex

import yaml
from support.paths import REPO

from analyzer.cli.reporting import FORMATS

README = (REPO / "README.md").read_text(encoding="utf-8")
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def yaml_blocks() -> list[str]:
    return YAML_BLOCK.findall(README)


def plan_recipes() -> dict[str, object]:
    """The recipes of the "Plan JSON in CI" section, by their first comment (the file name)."""
    section = README.split("### Plan JSON in CI", 1)[1].split("\n## ", 1)[0]
    return {block.splitlines()[0]: yaml.safe_load(block) for block in YAML_BLOCK.findall(section)}


def lint_commands(lines: list[str]) -> list[list[str]]:
    commands = []
    for line in lines:
        for part in line.split("&&"):
            words = shlex.split(part)
            if words and words[0].endswith("iac-ddb-lint"):
                commands.append(words)
    return commands


def check_outputs(command: list[str]) -> None:
    for i, word in enumerate(command):
        if word in ("--format", "--output", "-o"):
            value = command[i + 1]
            fmt = value if word == "--format" else value.split(":", 1)[0]
            assert fmt in FORMATS, command


def test_every_yaml_block_of_the_readme_parses() -> None:
    blocks = yaml_blocks()
    assert len(blocks) >= 5
    for block in blocks:
        yaml.safe_load(block)  # raises on invalid YAML


def test_the_github_plan_workflow() -> None:
    workflow = plan_recipes()["# .github/workflows/iac-ddb-lint-plan.yml"]
    assert isinstance(workflow, dict)
    steps = workflow["jobs"]["dynamodb-backups"]["steps"]
    setup = next(s for s in steps if str(s.get("uses", "")).startswith("hashicorp/setup-terraform"))
    assert setup["with"]["terraform_wrapper"] is False  # the wrapper corrupts the JSON
    script = "\n".join(str(s.get("run", "")) for s in steps)
    assert "plan -input=false" in script and "show -json" in script
    (command,) = lint_commands(script.splitlines())
    assert command[-1] == "plans/"  # the directory the loop writes one plan per workspace to
    check_outputs(command)


def test_the_gitlab_plan_job() -> None:
    config = plan_recipes()["# .gitlab-ci.yml"]
    assert isinstance(config, dict)
    job = config["iac-ddb-lint-plan"]
    script = [str(line) for line in job["script"]]
    assert any("show -json tfplan > tfplan.json" in line for line in script)
    (command,) = lint_commands(script)
    assert command[-1] == "tfplan.json"
    check_outputs(command)
    reports = job["artifacts"]["reports"]
    assert f"gitlab:{reports['codequality']}" in command
    assert f"junit:{reports['junit']}" in command
