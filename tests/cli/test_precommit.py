"""The published hooks (.pre-commit-hooks.yaml) driven through the real pre-commit framework.

A throw-away copy of this checkout (working tree as it is now, committed in a temporary git
repository) is the hook repository; a second throw-away repository is the user's, laid out like
tests/fixtures/terraform/central_backup_root (an application root with the tables and a central
backup root whose tag selection protects one of them). pre-commit installs the hook with pip into
PRE_COMMIT_HOME under tmp, once for the module; the analyzer itself never touches the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import REPO

FIXTURE = REPO / "tests" / "fixtures" / "terraform" / "central_backup_root"
HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
HOOK_DIRS = ("analyzer", "rules")

pytestmark = [
    pytest.mark.slow,  # about a minute: pre-commit pip-installs the hook once per module
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def _git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    clean.pop("SKIP", None)
    return {
        **clean,
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[str, str]:
    """(path, commit) of a git repository holding this checkout's working tree as it is."""
    target = tmp_path_factory.mktemp("hook-repo")
    for name in HOOK_FILES:
        shutil.copy2(REPO / name, target / name)
    for name in HOOK_DIRS:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_rules")
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    _git(target, "init", "-q", env=env)
    _git(target, "add", "-A", env=env)
    _git(target, "commit", "-q", "-m", "snapshot", env=env)
    return str(target), _git(target, "rev-parse", "HEAD", env=env)


@pytest.fixture
def user_repo(tmp_path: Path, hook_repo: tuple[str, str], env: dict[str, str]) -> Iterator[Path]:
    """A user's repository with both hooks configured and installed as the git hook."""
    path, rev = hook_repo
    repo = tmp_path / "user"
    (repo / "app").mkdir(parents=True)
    (repo / "backup").mkdir()
    shutil.copy2(FIXTURE / "app" / "tables.tf", repo / "app" / "tables.tf")
    for name in ("plan.tf", "selection.tf"):
        shutil.copy2(FIXTURE / "backup" / name, repo / "backup" / name)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n"
        "      - id: iac-ddb-lint\n      - id: iac-ddb-lint-all\n",
        encoding="utf-8",
    )
    _git(repo, "init", "-q", env=env)
    _git(repo, "add", ".pre-commit-config.yaml", env=env)
    _git(repo, "commit", "-q", "-m", "config", env=env)
    _pre_commit(repo, env, "install")
    yield repo


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _commit(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    """`git add FILES && git commit`: the installed hook decides."""
    _git(repo, "add", "-A", *files, env=env)
    return subprocess.run(
        ["git", "commit", "-m", "change"], cwd=repo, env=env, capture_output=True, text=True
    )


def _without_untagged(text: str) -> str:
    start = text.index('resource "aws_dynamodb_table" "untagged"')
    return text[:start].rstrip() + "\n"


def test_bare_table_fails_and_is_named(user_repo: Path, env: dict[str, str]) -> None:
    done = _commit(user_repo, env, "app", "backup")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "app/tables.tf:12: DDB001 aws_dynamodb_table.untagged" in out
    assert "aws_dynamodb_table.tagged:" not in out  # protected by the central root's selection
    assert _git(user_repo, "rev-list", "--count", "HEAD", env=env) == "1"  # commit refused


def test_covered_table_passes_and_backup_only_change_fails(
    user_repo: Path, env: dict[str, str]
) -> None:
    tables = user_repo / "app" / "tables.tf"
    tables.write_text(_without_untagged(tables.read_text(encoding="utf-8")), encoding="utf-8")
    done = _commit(user_repo, env, "app", "backup")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"changed units\)\.+Passed", out) and re.search(r"repository\)\.+Passed", out)

    # A table-only change is judged against the backup root it does not touch.
    tables.write_text(tables.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    done = _commit(user_repo, env, "app/tables.tf")
    assert done.returncode == 0, done.stdout + done.stderr

    # Only the backup root changes: the selection no longer matches the tag.
    selection = user_repo / "backup" / "selection.tf"
    text = selection.read_text(encoding="utf-8").replace('value = "central"', 'value = "other"')
    selection.write_text(text, encoding="utf-8")
    done = _commit(user_repo, env, "backup/selection.tf")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "app/tables.tf:1: DDB001 aws_dynamodb_table.tagged" in out


def test_deleted_backup_root_is_caught_by_the_whole_repository_hook(
    user_repo: Path, env: dict[str, str]
) -> None:
    tables = user_repo / "app" / "tables.tf"
    tables.write_text(_without_untagged(tables.read_text(encoding="utf-8")), encoding="utf-8")
    assert _commit(user_repo, env, "app", "backup").returncode == 0
    _git(user_repo, "rm", "-q", "backup/selection.tf", env=env)
    done = _pre_commit(user_repo, env, "run")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    # pre-commit hands no file to the per-file hook (a deleted file is not passed) ...
    assert "(no files to check)" in out
    # ... and the whole-repository hook sees the table lose its protection.
    assert "app/tables.tf:1: DDB001 aws_dynamodb_table.tagged" in out
