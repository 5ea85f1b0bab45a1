"""An exchange file holds the model's objects exactly: every fixture's selections, plans and
Region settings (unknown values with their reasons, references, partly known strings, template
scenarios, Organizations policies) are read back equal, and written again byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import FIXTURES

from analyzer.external.decode import read_exchange
from analyzer.external.export import exchange_text
from analyzer.external.positioned_json import parse
from analyzer.model import Inventory, Partial, Ref, Unknown
from analyzer.pipeline import scan

CASES = sorted(p for fmt in ("terraform", "cloudformation", "plan", "external")
               for p in (FIXTURES / fmt).iterdir() if p.is_dir() and not p.name.startswith("."))


def _round_trip(inventory: Inventory) -> tuple[str, Inventory]:
    text = exchange_text(inventory, "repo")
    exchange = read_exchange(parse(text))
    assert exchange.source == "repo"
    back = Inventory(selections=[s for s, _ in exchange.selections],
                     plans=[p for p, _ in exchange.plans],
                     region_settings=[r for r, _ in exchange.region_settings])
    return text, back


@pytest.fixture(scope="module")
def inventories() -> dict[Path, Inventory]:
    return {case: scan([str(case)]).inventory for case in CASES}


def test_every_fixture_round_trips(inventories: dict[Path, Inventory]) -> None:
    for case, inventory in inventories.items():
        text, back = _round_trip(inventory)
        assert set(back.selections) == set(inventory.selections), case.name
        assert set(back.plans) == set(inventory.plans), case.name
        assert set(back.region_settings) == set(inventory.region_settings), case.name
        assert exchange_text(back, "repo") == text, case.name


def test_the_fixtures_exercise_every_kind_of_value(inventories: dict[Path, Inventory]) -> None:
    """Otherwise the round trip above would prove less than it says."""
    seen: set[str] = set()
    for inventory in inventories.values():
        for s in inventory.selections:
            patterns = () if isinstance(s.resources, Unknown) else s.resources
            seen |= {type(p).__name__ for p in patterns if isinstance(p, (Ref, Partial))}
            seen |= {"unknown resources"} if isinstance(s.resources, Unknown) else set()
            seen |= {"scenario"} if s.scenario else set()
            seen |= {"undecided"} if s.undecided else set()
            seen |= {"policy"} if s.kind == "aws_organizations_policy" else set()
            seen |= {"unknown tag value"} if not isinstance(s.list_of_tags, Unknown) and any(
                isinstance(c.value, Unknown) for c in s.list_of_tags) else set()
        seen |= {"unknown rules"} if any(
            isinstance(p.rule_count, Unknown) for p in inventory.plans) else set()
        seen |= {"undecided opt-in"} if any(
            r.exists or isinstance(r.dynamodb_opt_in, Unknown)
            for r in inventory.region_settings) else set()
    assert seen >= {"Ref", "Partial", "unknown resources", "scenario", "undecided", "policy",
                    "unknown tag value", "undecided opt-in"}, seen


def test_a_reference_keeps_its_known_value() -> None:
    from analyzer.model import BackupSelection, Location

    where = Location("main.tf", 3, 1)
    selection = BackupSelection(
        "aws_backup_selection.s", Ref("aws_backup_plan.p", "id"),
        (Ref("data.aws_dynamodb_table.t", "arn", "arn:aws:dynamodb:eu-west-1:1:table/t"),
         Partial(("arn:aws:dynamodb:", Unknown("the Region"), ":1:table/",
                  Ref("aws_dynamodb_table.x", "name")))),
        Unknown("computed"), Unknown("from a module"), (), where, unit="envs/prod")
    _, back = _round_trip(Inventory(selections=[selection]))
    assert back.selections == [selection]
