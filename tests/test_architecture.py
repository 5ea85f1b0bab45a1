"""The tree shows the architecture: layer contracts hold (and catch a new cycle), modules stay
small, every package is described in docs/architecture.md and has its tests folder, and no
document links outside the repository except to public URLs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO, TESTS

PACKAGE = REPO / "analyzer"
MAX_MODULE_LINES = 350
LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def _packages() -> list[str]:
    return sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    if not Path(LINT_IMPORTS).exists():
        pytest.skip("import-linter is not installed")
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_the_layer_contracts_hold() -> None:
    run = _lint_imports(REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize("injected", [
    # a cycle inside one package: the file reader would import the module context that uses it
    ("terraform/files.py", "from analyzer.terraform import context  # noqa: F401\n"),
    # a loader that judges: Terraform importing coverage
    ("terraform/collect.py", "from analyzer.aws import judge  # noqa: F401\n"),
    # one language importing another
    ("cloudformation/detect.py", "import analyzer.terraform.tags  # noqa: F401\n"),
])
def test_lint_imports_fails_when_a_change_breaks_a_contract(
        tmp_path: Path, injected: tuple[str, str]) -> None:
    shutil.copytree(PACKAGE, tmp_path / "analyzer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    module, line = injected
    target = tmp_path / "analyzer" / module
    target.write_text(target.read_text(encoding="utf-8") + line, encoding="utf-8")
    run = _lint_imports(tmp_path)
    assert run.returncode != 0, run.stdout
    assert "BROKEN" in run.stdout


def test_no_module_is_over_the_size_limit() -> None:
    big = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not big, f"modules over {MAX_MODULE_LINES} lines: {big}"


def test_every_package_is_described_and_tested() -> None:
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    undocumented = [p for p in _packages() if f"`analyzer/{p}/`" not in doc]
    assert not undocumented, f"packages docs/architecture.md does not describe: {undocumented}"
    untested = [p for p in _packages() if not list((TESTS / p).glob("test_*.py"))]
    assert not untested, f"packages without a tests/<package>/ folder: {untested}"


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _documents() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
            *sorted((REPO / "rules").glob("*.yaml"))]


def test_links_stay_in_the_repository_or_are_public() -> None:
    bad = []
    for doc in _documents():
        for target in _LINK.findall(doc.read_text(encoding="utf-8")):
            if target.startswith(("https://", "http://", "#", "mailto:")):
                continue
            path = (doc.parent / target.split("#", 1)[0]).resolve()
            if not path.is_relative_to(REPO) or not path.exists():
                bad.append(f"{doc.relative_to(REPO)}: {target}")
    assert not bad, f"links that leave the repository or point nowhere: {bad}"
