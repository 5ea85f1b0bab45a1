"""Every built-in function of Terraform 1.11 is either implemented or listed, with its reason,
as not evaluated; none is both, and none is missing. The list is what Terraform itself prints
(`terraform metadata functions -json`, committed as data/terraform_functions.json)."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.hcl import functions  # noqa: F401 - importing it registers every function
from analyzer.hcl.file_functions import SCOPED
from analyzer.hcl.unevaluated_functions import NOT_EVALUATED
from analyzer.hcl.values import FUNCTIONS

SIGNATURES = json.loads((Path(__file__).parent / "data" / "terraform_functions.json").read_text(
    encoding="utf-8"))["function_signatures"]
TERRAFORM = {name for name in SIGNATURES if "::" not in name}
IMPLEMENTED = set(FUNCTIONS) | set(SCOPED) | {"try", "can"}


def test_every_terraform_function_is_implemented_or_not_evaluated_with_a_reason() -> None:
    missing = sorted(TERRAFORM - IMPLEMENTED - set(NOT_EVALUATED))
    assert not missing, f"built-in functions neither implemented nor listed: {missing}"


def test_no_function_is_both_implemented_and_not_evaluated() -> None:
    assert not IMPLEMENTED & set(NOT_EVALUATED)
    assert all(reason.strip() for reason in NOT_EVALUATED.values())


def test_we_know_no_function_terraform_does_not_have() -> None:
    assert not (IMPLEMENTED | set(NOT_EVALUATED)) - TERRAFORM


def test_namespaced_names_are_the_same_functions() -> None:
    """Terraform 1.8+ also spells each function `core::name`."""
    assert {name.removeprefix("core::") for name in SIGNATURES if "::" in name} == TERRAFORM


def test_a_missing_function_would_be_seen() -> None:
    """The check has teeth: without one implementation, a function is reported missing."""
    impl = FUNCTIONS.pop("setproduct")
    try:
        assert "setproduct" in TERRAFORM - (set(FUNCTIONS) | set(SCOPED)) - set(NOT_EVALUATED)
    finally:
        FUNCTIONS["setproduct"] = impl
