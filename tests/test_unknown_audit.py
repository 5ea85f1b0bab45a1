"""Issue 12: every unknown verdict of tests/fixtures/ is unknown by nature.
scripts/audit_unknowns.py sorts each undecided reason into a documented class; a reason no
class holds is a verdict the code decides (a gap in the evaluator). docs/unknown-verdicts.md
is its committed output."""

from __future__ import annotations

import sys

import pytest
from support.paths import REPO

sys.path.insert(0, str(REPO / "scripts"))
import audit_unknowns  # scripts/, on the path just above


@pytest.fixture(scope="module")
def unknowns() -> list[audit_unknowns.Unknown]:
    return audit_unknowns.collect()


def test_every_unknown_reason_is_unknown_by_nature(unknowns) -> None:
    gaps = [f"{u.case} {u.table}: {text}" for u in unknowns for cls, text in u.reasons
            if cls == audit_unknowns.UNCLASSIFIED]
    assert unknowns, "the fixtures have unknown verdicts; none found means the scan failed"
    assert not gaps, f"unknown verdicts the code decides (gaps) or undocumented classes: {gaps}"


def test_the_committed_summary_is_up_to_date(unknowns) -> None:
    committed = audit_unknowns.OUTPUT.read_text()
    assert committed == audit_unknowns.render(unknowns), (
        "docs/unknown-verdicts.md is stale: rerun python scripts/audit_unknowns.py")


def test_an_unseen_reason_is_a_gap() -> None:
    assert audit_unknowns.classify("the table's name is decided by a function we skip") == (
        audit_unknowns.UNCLASSIFIED)
    assert audit_unknowns.classify("var.x has no default and no value is set") == "unset-input"


def test_every_class_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    missing = [c.name for c in audit_unknowns.CLASSES if f"`{c.name}`" not in readme]
    assert not missing, f"README.md does not list these unknown-by-nature classes: {missing}"
