"""The repository boundary (issue 15): a scan reads nothing outside the repository of its PATHs,
only regular files, and never a file Terraform itself ignores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main

TABLE = """resource "aws_dynamodb_table" "{name}" {{
  name     = "{name}"
  hash_key = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
}}
"""
SELECT_ALL = """resource "aws_backup_selection" "all" {
  name         = "all"
  plan_id      = "plan"
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  resources    = ["arn:aws:dynamodb:*:*:table/*"]
}
"""


def _scan(*args: str) -> tuple[int, dict, str]:
    """A JSON run from inside the scanned directory (the last argument), as a user runs it:
    reported paths are relative to the working directory."""
    here = os.getcwd()
    os.chdir(args[-1])
    try:
        run = CliRunner().invoke(main, ["--format", "json", *args])
    finally:
        os.chdir(here)
    return run.exit_code, json.loads(run.stdout), run.stderr


def _repo(tmp_path: Path) -> tuple[Path, Path]:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "app").mkdir(parents=True)
    outside.mkdir()
    (repo / "app" / "main.tf").write_text(TABLE.format(name="orders"))
    return repo, outside


def test_a_directory_link_out_of_the_repository_is_not_walked(tmp_path: Path) -> None:
    repo, outside = _repo(tmp_path)
    (outside / "main.tf").write_text(TABLE.format(name="elsewhere"))
    (repo / "escape").symlink_to(outside, target_is_directory=True)
    (repo / "root").symlink_to("/", target_is_directory=True)
    code, report, _ = _scan(str(repo))
    assert [t["resource"] for t in report["tables"]] == ["aws_dynamodb_table.orders"]
    assert sorted(e["file"] for e in report["errors"]) == ["escape", "root"]
    assert all("leads outside the repository" in e["message"] for e in report["errors"])
    assert code == 2


def test_a_tfvars_link_to_a_secret_is_not_read(tmp_path: Path) -> None:
    repo, outside = _repo(tmp_path)
    (outside / "secret").write_text('tier = "s3cr3t-value"\n')
    (repo / "app" / "leak.auto.tfvars").symlink_to(outside / "secret")
    code, report, err = _scan(str(repo))
    assert "s3cr3t-value" not in json.dumps(report) + err
    [error] = report["errors"]
    assert error["file"] == "app/leak.auto.tfvars" and "outside the repository" in error["message"]
    assert code == 2


def test_links_inside_the_repository_are_fine(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path)
    (repo / "shared.tfvars").write_text("x = 1\n")
    (repo / "app" / "shared.auto.tfvars").symlink_to(repo / "shared.tfvars")
    code, report, _ = _scan(str(repo))
    assert report["errors"] == [] and code == 1


def test_a_module_source_out_of_the_repository_is_an_error(tmp_path: Path) -> None:
    repo, outside = _repo(tmp_path)
    (outside / "mod").mkdir()
    (outside / "mod" / "main.tf").write_text(SELECT_ALL)
    (repo / "app" / "mod.tf").write_text('module "m" {\n  source = "../../outside/mod"\n}\n')
    code, report, _ = _scan(str(repo))
    [error] = report["errors"]
    assert error["file"] == "app/mod.tf" and "outside the repository" in error["message"]
    assert [t["status"] for t in report["tables"]] == ["unknown"]  # never protected by it
    assert code == 2


def test_a_var_file_named_on_the_command_line_may_live_anywhere(tmp_path: Path) -> None:
    repo, outside = _repo(tmp_path)
    (outside / "ci.tfvars").write_text("x = 1\n")
    code, report, _ = _scan("--var-file", str(outside / "ci.tfvars"), str(repo))
    assert report["errors"] == [] and code == 1


def test_hidden_and_backup_files_are_ignored_as_terraform_does(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path)
    for name in (".backup.tf", "backup.tf~", "#backup.tf#"):
        (repo / "app" / name).write_text(SELECT_ALL)
    code, report, _ = _scan(str(repo))
    assert [t["status"] for t in report["tables"]] == ["unprotected"]
    assert code == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_like_terraform_is_an_error_not_a_hang(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path)
    os.mkfifo(repo / "app" / "pipe.tf")
    run = subprocess.run([sys.executable, "-m", "analyzer", "--format", "json", "."],
                         cwd=repo, capture_output=True, text=True, timeout=60, check=False)
    report = json.loads(run.stdout)
    [error] = report["errors"]
    assert error["file"] == "app/pipe.tf" and "not a regular file" in error["message"]
    assert run.returncode == 2


def test_a_directory_that_cannot_be_listed_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(Tests run as root here, where chmod 000 does not stop reads: the denial is simulated.)"""
    repo, _ = _repo(tmp_path)
    (repo / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, report, _ = _scan(str(repo))
    assert [(e["file"], e["message"]) for e in report["errors"]] == [
        ("locked", "cannot list directory: Permission denied")]
    assert code == 2


def test_a_template_that_cannot_be_read_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = _repo(tmp_path)
    (repo / "stack.yaml").write_text("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n")
    real_open = os.open

    def deny(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("stack.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    code, report, _ = _scan(str(repo))
    assert [e["file"] for e in report["errors"]] == ["stack.yaml"]
    assert code == 2


def _unprivileged() -> tuple[list[str], dict[str, object]] | None:
    """How to run the CLI as a user that file modes apply to: as `nobody` when the tests run as
    root (root reads through chmod 000), else as ourselves; None when impossible here. `setpriv`
    first: it drops root only at the exec, so an interpreter under /root still starts."""
    command = [sys.executable, "-m", "analyzer"]
    if not hasattr(os, "geteuid"):
        return None
    if os.geteuid() != 0:
        return command, {}
    try:
        import pwd

        nobody = pwd.getpwnam("nobody")
    except (ImportError, KeyError):
        return None
    import shutil

    ways: list[tuple[list[str], dict[str, object]]] = [
        (command, {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []})]
    if shutil.which("setpriv"):
        ways.insert(0, (["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
                         "--clear-groups", *command], {}))
    for prefix, extra in ways:
        try:
            probe = subprocess.run([*prefix, "--version"], cwd="/", capture_output=True,
                                   timeout=60, check=False, **extra)  # type: ignore[call-overload]
        except OSError:
            continue
        if probe.returncode == 0:
            return prefix, extra
    return None


def test_unreadable_inputs_are_errors_for_a_real_unprivileged_user() -> None:
    """Not simulated: file modes stop the reads. A .tf, a template, a directory that cannot be
    listed and one that can be listed but not entered are each an error naming the path (exit 2);
    what can be read is still judged."""
    way = _unprivileged()
    if way is None:
        pytest.skip("cannot run as an unprivileged user here")
    command, run_as = way
    import shutil
    import tempfile

    tree = Path(tempfile.mkdtemp(prefix="iac-ddb-lint-perm-"))
    try:
        repo = tree / "repo"
        for folder in ("app", "cfn", "locked", "closed"):
            (repo / folder).mkdir(parents=True)
        (repo / "app" / "main.tf").write_text(TABLE.format(name="orders"))
        (repo / "app" / "secret.tf").write_text(SELECT_ALL)
        template = ("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                    "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n")
        (repo / "cfn" / "good.yaml").write_text(template)
        (repo / "cfn" / "stack.yaml").write_text(template)
        for folder in ("locked", "closed"):
            (repo / folder / "main.tf").write_text(SELECT_ALL)
            (repo / folder / "stack.yaml").write_text(template)
        for path in [tree, *tree.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (repo / "app" / "secret.tf").chmod(0o600)
        (repo / "cfn" / "stack.yaml").chmod(0o600)
        (repo / "locked").chmod(0o300)  # may enter, may not list
        (repo / "closed").chmod(0o644)  # may list, may not enter
        if os.geteuid() != 0:  # as ourselves: make the modes bite for the owner too
            for path in (repo / "app" / "secret.tf", repo / "cfn" / "stack.yaml"):
                path.chmod(0o000)
            (repo / "locked").chmod(0o100)
            (repo / "closed").chmod(0o400)
        run = subprocess.run([*command, "--format", "json", "."],
                             cwd=repo, capture_output=True, text=True, timeout=120, check=False,
                             **run_as)  # type: ignore[call-overload]
    finally:
        for path in (repo / "locked", repo / "closed"):
            path.chmod(0o755)
        shutil.rmtree(tree)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    report = json.loads(run.stdout)
    errors = {e["file"]: e["message"] for e in report["errors"]}
    assert errors == {
        "app/secret.tf": "cannot read file: Permission denied",
        "cfn/stack.yaml": "cannot read the file: Permission denied",
        "locked": "cannot list directory: Permission denied",
        "closed": "cannot enter directory: Permission denied",
    }
    statuses = {(t["file"], t["resource"]): t["status"] for t in report["tables"]}
    assert statuses == {("app/main.tf", "aws_dynamodb_table.orders"): "unknown",
                        ("cfn/good.yaml", "T"): "protected"}
    assert run.returncode == 2
