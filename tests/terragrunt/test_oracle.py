"""The Terragrunt fixtures checked against real Terraform: a case whose expected.yaml has an
`oracle:` setting has `.oracle/plan.json`, the plan of its module run as Terragrunt runs it
(scripts/gen_terragrunt_oracle.py: the unit's files copied over the module, the inputs as the
TF_VAR_ variables Terragrunt documents). The unit judged from its terragrunt.hcl must get the
verdicts the plan gets, table by table."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support.paths import FIXTURES

from analyzer.pipeline import scan

CASES = FIXTURES / "terragrunt"


def oracle_cases() -> list[Path]:
    return sorted(c for c in CASES.iterdir() if c.is_dir()
                  and "oracle" in (yaml.safe_load((c / "expected.yaml").read_text()) or {}))


def statuses(paths: list[str]) -> dict[str, str]:
    return {v.table.address: v.status.value for v in scan(paths).verdicts}


def test_there_is_an_oracle_case() -> None:
    assert oracle_cases(), "no Terragrunt fixture is checked against a real plan"


@pytest.mark.parametrize("case", oracle_cases(), ids=lambda p: p.name)
def test_unit_agrees_with_the_plan_of_its_module(case: Path) -> None:
    plan = case / ".oracle" / "plan.json"
    assert plan.is_file(), f"run python scripts/gen_terragrunt_oracle.py {case.name}"
    from_plan = statuses([str(plan)])
    assert from_plan, "the oracle plan holds no table"
    assert statuses([str(case)]) == from_plan
