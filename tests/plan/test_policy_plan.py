"""The policy rules on plan JSON made by real `terraform plan` (the committed plans of the policy
fixtures): the plan reads the recovery period, the retention and the copy destinations as HCL
mode does, and decides what HCL mode leaves open only from the plan's own values."""

from __future__ import annotations

import pytest
from support.paths import FIXTURES
from support.policy_options import policy_of

from analyzer.model import Policy, Status
from analyzer.pipeline import scan

P, U, K = Status.PROTECTED, Status.UNPROTECTED, Status.UNKNOWN


def statuses(case: str, policy: Policy) -> dict[str, Status]:
    result = scan([str(FIXTURES / "terraform" / case / "plan.json")], policy=policy)
    return {v.table.address.removeprefix("aws_dynamodb_table."): v.status
            for v in result.verdicts}


@pytest.mark.parametrize(("case", "policy", "expected"), [
    ("policy_min_pitr_days", Policy(min_pitr_days=14), {
        # an unset period is computed by the provider (unknown in the plan): AWS keeps 35 days
        "pitr_default": P, "pitr_exact": P, "pitr_short": U, "pitr_off_short": P,
        "backup_only": P, "none": U,
        "pitr_var_days": U, "pitr_maybe_short": U,  # planned with 7 days and PITR on
    }),
    ("policy_min_retention_days", Policy(min_retention_days=30), {
        "kept_35": P, "kept_7": U, "kept_forever": P, "kept_mixed": P, "kept_7_and_35": P,
        "pitr_only": P, "external_plan": K, "kept_var": U,
    }),
    ("policy_copy_region", Policy(copy_to_another_region=True), {
        # the vault ARNs are known only after apply: the configuration names the vault
        "to_dr": P, "to_same_vault": U, "to_literal_other": P, "to_literal_same": U,
        "no_copy": U, "pitr_only": U, "to_var": U,
    }),
])
def test_plan_mode_reads_the_policy_inputs(case: str, policy: Policy,
                                           expected: dict[str, Status]) -> None:
    assert statuses(case, policy) == expected


def _policy_cases() -> list[str]:
    import yaml

    cases = []
    for case in sorted((FIXTURES / "terraform").iterdir()):
        expected = case / "expected.yaml"
        if (case / "plan.json").is_file() and expected.is_file() and (
                yaml.safe_load(expected.read_text()) or {}).get("options"):
            cases.append(case.name)
    return cases


@pytest.mark.parametrize("case", _policy_cases())
def test_hcl_mode_under_a_policy_never_contradicts_the_plan(case: str) -> None:
    """The oracle rule under the fixture's own policy options: HCL mode may be unknown where
    the plan decides, never the opposite verdict."""
    import yaml

    options = yaml.safe_load((FIXTURES / "terraform" / case / "expected.yaml").read_text())[
        "options"]
    policy = policy_of(options)
    hcl = {v.table.address: v.status for v in scan([str(FIXTURES / "terraform" / case)],
                                                   policy=policy).verdicts}
    planned = statuses(case, policy)
    assert set(planned) == {a.removeprefix("aws_dynamodb_table.") for a in hcl}
    for address, status in hcl.items():
        if status is not Status.UNKNOWN:
            assert planned[address.removeprefix("aws_dynamodb_table.")] is status, address
