"""Plan mode with its configuration: on every committed fixture plan (real `terraform plan`,
sitting in the root it was planned from) each table is reported at the block HCL mode reports
it at, and the same findings are suppressed; a directory that is not the plan's configuration
is not used, and says so."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from support.paths import FIXTURES, REPO

from analyzer.catalog import load_rules
from analyzer.engine import evaluate
from analyzer.hybrid.join import _checked, block_key
from analyzer.model import Partial, Ref, Status, Unknown
from analyzer.pipeline import ScanResult, scan

sys.path.insert(0, str(REPO / "tests" / "terraform"))
from test_plan_agreement import nested_roots, plan_files, plan_id

TERRAFORM = FIXTURES / "terraform"


def _tables(result: ScanResult) -> dict[tuple[str, str | None], tuple[str, int]]:
    """Where each table is reported, as a path from the repository (scan roots differ)."""
    return {(v.table.address, v.table.replica_region): (
        (result.root / v.table.location.file).relative_to(REPO).as_posix(),
        v.table.location.line) for v in result.verdicts}


def _suppressed(result: ScanResult) -> set[tuple[str, str, str | None]]:
    return {(f.rule_id, f.resource, f.suppression_reason)
            for f in evaluate(result, load_rules()) if f.suppressed}


@pytest.mark.parametrize("path", plan_files(), ids=plan_id)
def test_plan_verdicts_sit_at_their_blocks(path: Path) -> None:
    others = nested_roots(path.parent)
    hcl = scan([str(path.parent)])
    plan = scan([str(path)])
    assert not plan.warnings, plan.warnings
    inside = path.parent.relative_to(REPO).as_posix()
    ours = {k: v for k, v in _tables(hcl).items()
            if not any(v[0].startswith(f"{inside}/{o}/") for o in others)}
    where = _tables(plan)
    moved = {k: (ours[k], where[k]) for k in ours.keys() & where.keys() if ours[k] != where[k]}
    assert not moved, moved
    assert all(not file.endswith("plan.json") for file, _ in where.values())
    assert {s[1] for s in _suppressed(plan)} <= set(a for a, _ in where)
    hcl_suppressed = {s for s in _suppressed(hcl) if (s[1], None) in where}
    assert _suppressed(plan) == hcl_suppressed


def test_suppression_comments_apply_to_plan_verdicts() -> None:
    result = scan([str(TERRAFORM / "suppression" / "plan.json")])
    assert {s[1] for s in _suppressed(result)} == {"aws_dynamodb_table.cache",
                                                   "aws_dynamodb_table.scratch"}
    module = scan([str(TERRAFORM / "module_suppression" / "plan.json")])
    assert _suppressed(module)  # the comment on the module block reaches its tables


def test_block_key_strips_instance_keys() -> None:
    assert block_key('module.a["x.y"].module.b[0].aws_dynamodb_table.t["k]"]') == (
        ("a", "b"), "aws_dynamodb_table.t")
    assert block_key("aws_dynamodb_table.t") == ((), "aws_dynamodb_table.t")


def test_a_reference_the_plan_does_not_plan_is_not_taken() -> None:
    planned = {"aws_dynamodb_table.x"}
    assert _checked((Ref("aws_dynamodb_table.x", "arn"), "arn:*"), planned) == (
        Ref("aws_dynamodb_table.x", "arn"), "arn:*")
    gone = _checked((Partial(("arn:", Ref("aws_dynamodb_table.y[0]", "name"))),), planned)
    assert isinstance(gone, Unknown) and "aws_dynamodb_table.y[0]" in gone.reason
    assert _checked((Ref("data.aws_dynamodb_table.d", "arn"),), planned) == (
        Ref("data.aws_dynamodb_table.d", "arn"),)  # data sources are not planned changes


def _copy(case: str, target: Path) -> Path:
    shutil.copytree(TERRAFORM / case, target, ignore=shutil.ignore_patterns("expected.yaml"))
    return target


def test_other_files_beside_the_plan_are_not_its_configuration(tmp_path: Path) -> None:
    root = _copy("suppression", tmp_path / "infra")
    shutil.copy(TERRAFORM / "selection_derived_arn" / "plan.json", root / "plan.json")
    result = scan([str(root / "plan.json")])
    (warning,) = result.warnings
    assert "the Terraform files beside it are not the configuration the plan was made" in warning
    assert "only the plan has aws_backup_plan.daily" in warning
    assert {v.table.location.file for v in result.verdicts} == {"plan.json"}
    assert not result.inventory.errors
    assert not _suppressed(result)


def test_an_unreadable_tf_dir_is_an_error(tmp_path: Path) -> None:
    root = _copy("suppression", tmp_path / "infra")
    (root / "broken.tf").write_text('resource "aws_s3_bucket" {\n', encoding="utf-8")
    (tmp_path / "plans").mkdir()
    shutil.move(root / "plan.json", tmp_path / "plans" / "prod.json")
    result = scan([str(tmp_path / "plans")], tf_dir=str(root))
    assert [e.location.file for e in result.inventory.errors] == ["infra/broken.tf"]
    assert "--tf-dir infra could not be read (infra/broken.tf:" in result.warnings[0]
    assert {v.status for v in result.verdicts} == {Status.UNPROTECTED}  # judged alone


def test_a_state_file_shows_no_configuration(tmp_path: Path) -> None:
    root = _copy("suppression", tmp_path / "infra")
    state = {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {
        "resources": [{"address": "aws_dynamodb_table.cache", "mode": "managed",
                       "type": "aws_dynamodb_table", "name": "cache",
                       "values": {"name": "cache"}}]}}}
    (tmp_path / "state.json").write_text(json.dumps(state), encoding="utf-8")
    result = scan([str(tmp_path / "state.json")], tf_dir=str(root))
    assert "the plan shows no configuration" in result.warnings[0]
    assert [v.table.location.file for v in result.verdicts] == ["state.json"]


def test_code_edited_since_the_plan_is_not_taken_for_it(tmp_path: Path) -> None:
    """The blocks match, but the selection now names another table than when it was planned:
    its resources are unknown, never the edited code's (which would protect `users`)."""
    root = _copy("selection_direct_reference", tmp_path / "infra")
    main = root / "main.tf"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "[aws_dynamodb_table.orders.arn]", "[aws_dynamodb_table.users.arn]"), encoding="utf-8")
    result = scan([str(root / "plan.json")])
    assert not result.warnings
    (selection,) = result.inventory.selections
    assert isinstance(selection.resources, Unknown)
    assert "changed since the plan was made" in selection.resources.reason
    assert {v.status for v in result.verdicts} == {Status.UNKNOWN}
    assert scan([str(TERRAFORM / "selection_direct_reference" / "plan.json")]).verdicts[
        0].status is Status.PROTECTED  # unedited: the HCL stands for the plan


def test_a_variable_the_plan_does_not_know_is_another_configuration(tmp_path: Path) -> None:
    root = _copy("selection_direct_reference", tmp_path / "infra")
    (root / "variables.tf").write_text('variable "extra" {\n  default = 1\n}\n', encoding="utf-8")
    (warning,) = scan([str(root / "plan.json")]).warnings
    assert "differs in its variables: only the plan has nothing; only the files have extra" \
        in warning
