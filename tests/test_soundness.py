"""Soundness against real plans: the analyzer never says *protected* where a real
`terraform plan` shows the table certainly unprotected.

The oracle (support/plan_oracle.py) is small and independent of the analyzer: from a plan's
`resource_changes` alone it names the tables whose PITR is off and that no selection or backup
policy in the plan could select, saying "maybe protected" whenever in doubt. Three views:

* every committed `plan.json` (planned as the fixture is, with `plan.tfvars` for variables that
  have no value), scanned without inputs;
* every variant plan `<root>/.plans/<name>=<value>,....json` (scripts/gen_plan_fixtures.py plans
  each value a root's bool and validated variables allow), scanned with the same `--var` values;
* the variants of variables that have no value (no default, no auto-loaded tfvars) against a
  scan *without* them: "protected" there must hold in every world, so in each variant's too.

These read committed JSON only, so they need no Terraform; one slow test replans the switched
fixture with real Terraform (skipped where it is absent) to show the committed variants are fresh.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import plan_oracle
from support.paths import REPO

from analyzer.inputs import TerraformInputs
from analyzer.model import Status
from analyzer.pipeline import scan

FIXTURES = REPO / "tests" / "fixtures" / "terraform"
GENERATOR = REPO / "scripts" / "gen_plan_fixtures.py"

# (plan file relative to FIXTURES) -> why the analyzer is unsound there, a known bug owned by
# somebody else: the test is xfail(strict=True), so fixing the bug makes it fail until removed.
KNOWN_UNSOUND: dict[str, str] = {}


def _generator() -> ModuleType:
    """scripts/gen_plan_fixtures.py: the one definition of cases, roots and variants."""
    if "gen_plan_fixtures" in sys.modules:
        return sys.modules["gen_plan_fixtures"]
    spec = importlib.util.spec_from_file_location("gen_plan_fixtures", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def planned_roots() -> list[tuple[Path, Path]]:
    """(case, root) of every root with a committed plan.json."""
    return [(case, root) for case in GEN.case_dirs(FIXTURES) if not GEN.skip_reason(case)
            for root in GEN.plan_roots(case) if (root / GEN.PLAN_JSON).is_file()]


def variant_plans() -> list[tuple[Path, Path, Path]]:
    """(case, root, variant plan) of every committed variant plan."""
    return [(case, root, path) for case, root in planned_roots()
            for path in sorted((root / GEN.VARIANTS_DIR).glob("*.json"))]


def plan_id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


def param(*values: Any, path: Path) -> Any:
    reason = KNOWN_UNSOUND.get(plan_id(path))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*values, id=plan_id(path), marks=marks)


def nested_roots(case: Path, root: Path) -> list[Path]:
    """Other roots of the case inside `root`: scanning `root` reads them too."""
    return [r for r in GEN.plan_roots(case) if r != root and root in r.parents]


def other_plans(case: Path, root: Path) -> list[dict[str, Any]]:
    """The plans of the nested roots: their selections may select this root's tables."""
    return [plan_oracle.load_plan(r / GEN.PLAN_JSON) for r in nested_roots(case, root)
            if (r / GEN.PLAN_JSON).is_file()]


def protected(case: Path, root: Path, assignment: tuple[tuple[str, str], ...] = ()
              ) -> set[tuple[str, str | None]]:
    """(address, replica region) of the tables of `root` (not of a nested root) that the
    analyzer says are protected, scanning `root` with `--var name=value` for `assignment`."""
    inputs = TerraformInputs(cli=[("var", f"{k}={v}") for k, v in assignment], env={})
    others = [r.relative_to(root).as_posix() for r in nested_roots(case, root)]
    return {(v.table.address, v.table.replica_region)
            for v in scan([str(root)], inputs if assignment else None).verdicts
            if v.status is Status.PROTECTED
            and not any(v.table.location.file.startswith(f"{o}/") for o in others)}


def unsound(case: Path, root: Path, plan_path: Path,
            assignment: tuple[tuple[str, str], ...] = ()) -> list[str]:
    plan = plan_oracle.load_plan(plan_path)
    bad = protected(case, root, assignment) & plan_oracle.unprotected(
        plan, other_plans(case, root))
    return sorted(f"{address}@{region}" if region else address for address, region in bad)


@pytest.mark.parametrize(("case", "root"),
                         [param(c, r, path=r / GEN.PLAN_JSON) for c, r in planned_roots()])
def test_protected_is_never_certainly_unprotected_in_the_plan(case: Path, root: Path) -> None:
    bad = unsound(case, root, root / GEN.PLAN_JSON)
    assert not bad, f"we say protected, the plan shows certainly unprotected: {bad}"


@pytest.mark.parametrize(("case", "root", "path"),
                         [param(c, r, p, path=p) for c, r, p in variant_plans()])
def test_variant_with_the_same_vars_is_sound(case: Path, root: Path, path: Path) -> None:
    assignment = GEN.parse_variant_file(path)
    names = {name for name, _ in assignment}
    if any(names & set(GEN.root_variables(n)) for n in nested_roots(case, root)):
        pytest.skip("a nested root declares the variable too; its plan was made without it")
    bad = unsound(case, root, path, assignment)
    assert not bad, (f"with {assignment} we say protected, the plan made with the same values "
                     f"shows certainly unprotected: {bad}")


def free_variants() -> list[Any]:
    """The variants that only set variables which have no value when none is given."""
    return [param(c, r, p, path=p) for c, r, p in variant_plans()
            if {name for name, _ in GEN.parse_variant_file(p)} <= GEN.free_variables(r)]


@pytest.mark.parametrize(("case", "root", "path"), free_variants())
def test_protected_without_a_value_holds_in_every_variant(case: Path, root: Path,
                                                           path: Path) -> None:
    bad = unsound(case, root, path)
    assert not bad, (f"without a value for {GEN.parse_variant_file(path)} we say protected, "
                     f"but the plan made with {path.stem} shows certainly unprotected: {bad}")


def test_variant_plans_are_named_by_declared_variables_and_normalised() -> None:
    for _case, root, path in variant_plans():
        declared = GEN.root_variables(root)
        assignment = GEN.parse_variant_file(path)
        assert assignment and all(name in declared for name, _ in assignment), path
        assert GEN.variant_file(root, assignment) == path, path
        text = path.read_text(encoding="utf-8")
        assert "/tmp/" not in text and "gen-plan-" not in text, path
        plan = plan_oracle.load_plan(path)
        for name, value in assignment:
            assert GEN._text(plan["variables"][name]["value"]) == value, (path, name)


def test_the_oracle_is_not_vacuous() -> None:
    """Some committed plans do show certainly unprotected tables (else the checks prove
    nothing), among them a variant that switches a selection off."""
    found = {plan_id(p) for _c, r, p in [(c, r, r / GEN.PLAN_JSON) for c, r in planned_roots()]
             + variant_plans() if plan_oracle.unprotected(plan_oracle.load_plan(p))}
    assert len(found) >= 5, found
    assert "switched_backups/.plans/backups_enabled=false.json" in found, found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_switched_variants_are_fresh() -> None:
    """Real Terraform plans switched_backups and its variants exactly as committed."""
    if GEN.find_plugin_dir() is None:
        pytest.skip("no offline AWS provider mirror (tf-plugin-dir / TF_PLUGIN_DIR)")
    run = subprocess.run([sys.executable, str(GENERATOR), "--check", "-j", "3",
                          "switched_backups"], capture_output=True, text=True, check=False,
                         timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 plan(s) ok" in run.stdout, run.stdout


# ---- the oracle itself, on hand-written plans -------------------------------------------------


def _rc(address: str, after: dict[str, Any], unknown: dict[str, Any] | None = None,
        actions: tuple[str, ...] = ("create",)) -> dict[str, Any]:
    kind = address.split(".")[-2]
    return {"address": address, "mode": "managed", "type": kind,
            "change": {"actions": list(actions), "after": after, "after_unknown": unknown or {}}}


ORDERS = _rc("aws_dynamodb_table.orders", {"name": "orders"}, {"point_in_time_recovery": True})


def _judge(*selections: dict[str, Any]) -> set[tuple[str, str | None]]:
    return plan_oracle.unprotected({"resource_changes": [ORDERS, *selections]})


def test_oracle_unprotected_only_when_nothing_may_select() -> None:
    gone = ("aws_dynamodb_table.orders", None)
    other = {"resources": ["arn:aws:dynamodb:us-east-1:1:table/users"], "selection_tag": []}
    assert _judge() == {gone}
    assert _judge(_rc("aws_backup_selection.s", other)) == {gone}
    assert _judge(_rc("aws_backup_selection.s", {"resources": ["*"]}, actions=("delete",))) == {
        gone}
    maybe = [
        {"resources": ["arn:aws:dynamodb:*:*:table/*"]},
        {"resources": ["arn:aws:dynamodb:us-east-1:1:table/orders"]},
        {"resources": [], "selection_tag": [{"key": "b", "type": "STRINGEQUALS", "value": "y"}]},
        {**other, "condition": [{"string_equals": [{"key": "k", "value": "v"}]}]},
    ]
    for after in maybe:
        assert _judge(_rc("aws_backup_selection.s", after)) == set(), after
    assert _judge(_rc("aws_backup_selection.s", {}, {"resources": True})) == set()
    assert _judge(_rc("aws_organizations_policy.p", {"type": "BACKUP_POLICY"})) == set()
    assert _judge(_rc("aws_organizations_policy.p", {"type": "TAG_POLICY"})) == {gone}


def test_oracle_reads_pitr_and_replicas() -> None:
    table = _rc("aws_dynamodb_table.t", {
        "name": "t", "point_in_time_recovery": [{"enabled": True}],
        "replica": [{"region_name": "eu-west-1", "point_in_time_recovery": False},
                    {"region_name": "us-west-2", "point_in_time_recovery": True}]})
    assert plan_oracle.unprotected({"resource_changes": [table]}) == {
        ("aws_dynamodb_table.t", "eu-west-1")}
    unknown = _rc("aws_dynamodb_table.u", {"point_in_time_recovery": [{"enabled": None}]},
                  {"point_in_time_recovery": [{"enabled": True}]})
    assert plan_oracle.unprotected({"resource_changes": [unknown]}) == set()
