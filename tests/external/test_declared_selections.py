"""Selections declared by hand (`external-selection` in the configuration) for backup policies
managed elsewhere: a tag selection (StringEquals, OR over the values) in the declared Region;
an omitted Region is unknown, so it never proves a table protected."""

from __future__ import annotations

from support.paths import FIXTURES

from analyzer.aws import judge
from analyzer.external import Declared, ExternalSources, declared_selections
from analyzer.external.declared import origin_location
from analyzer.model import (
    Inventory,
    Location,
    Pitr,
    RegionSettings,
    Status,
    Table,
    Tags,
    Unknown,
    Verdict,
)
from analyzer.pipeline import scan

ORIGIN = "pyproject.toml:14"
DAILY = Declared("backup", ["daily", "hourly"], "eu-west-1", ORIGIN)


def table(name: str, tags: dict[str, str | Unknown], region: str | Unknown = "eu-west-1"
          ) -> Table:
    return Table(f"aws_dynamodb_table.{name}", name, region, Tags(tags), Pitr(False),
                 Location("main.tf", 1), unit=".")


def judged(declared: Declared, *tables: Table, settings: tuple[RegionSettings, ...] = ()
           ) -> dict[str, Verdict]:
    inventory = Inventory(tables=list(tables), selections=declared_selections([declared]),
                          region_settings=list(settings))
    return {v.table.name: v for v in judge(inventory)}  # type: ignore[misc]


def test_a_table_tagged_with_any_declared_value_is_protected() -> None:
    found = judged(DAILY, table("a", {"backup": "daily"}), table("b", {"backup": "hourly"}),
                   table("c", {"backup": "weekly"}), table("d", {}),
                   table("e", {"Backup": "daily"}))  # keys are case-sensitive
    assert {name: v.status for name, v in found.items()} == {
        "a": Status.PROTECTED, "b": Status.PROTECTED, "c": Status.UNPROTECTED,
        "d": Status.UNPROTECTED, "e": Status.UNPROTECTED}
    (selected,) = [e for e in found["a"].evidence if e.applies.value == "yes"]
    assert selected.source == f"external-selection at {ORIGIN}"
    assert selected.location == Location("pyproject.toml", 14)
    assert 'tag backup = "daily" (external-selection)' in selected.message
    assert "runs in the table's AWS account" in selected.message


def test_another_region_is_not_selected_and_an_unknown_one_is_assumed_and_said() -> None:
    found = judged(DAILY, table("far", {"backup": "daily"}, "us-east-1"),
                   table("open", {"backup": "daily"}, Unknown("the provider's region")))
    assert found["far"].status is Status.UNPROTECTED
    assert found["open"].status is Status.PROTECTED
    assert any("assuming the table is in the selection's Region eu-west-1" in e.message
               for e in found["open"].evidence)


def test_an_omitted_region_never_proves_protection() -> None:
    anywhere = Declared("backup", ["daily"], None, ORIGIN)
    found = judged(anywhere, table("a", {"backup": "daily"}), table("c", {"backup": "weekly"}))
    assert found["a"].status is Status.UNKNOWN
    assert any('declare region = "..." at pyproject.toml:14' in e.message
               for e in found["a"].evidence)
    assert found["c"].status is Status.UNPROTECTED


def test_an_unknown_tag_value_stays_unknown() -> None:
    found = judged(DAILY, table("a", {"backup": Unknown("var.backup has no default")}))
    assert found["a"].status is Status.UNKNOWN


def test_a_region_opted_out_of_dynamodb_is_not_protected_by_a_tag() -> None:
    opted_out = RegionSettings("aws_backup_region_settings.s", "eu-west-1", False,
                               Location("backup.tf", 3), unit=".")
    found = judged(DAILY, table("a", {"backup": "daily"}), settings=(opted_out,))
    assert found["a"].status is Status.UNPROTECTED


def test_a_prefixed_key_is_the_bare_tag() -> None:
    prefixed = Declared("aws:ResourceTag/backup", ["daily"], "eu-west-1", ORIGIN)
    assert judged(prefixed, table("a", {"backup": "daily"}))["a"].status is Status.PROTECTED


def test_declarations_count_in_a_scan() -> None:
    sources = ExternalSources(declarations=(DAILY,))
    result = scan([str(FIXTURES / "external" / "app_repo")], external=sources)
    got = {v.table.address: v.status.value for v in result.verdicts}
    assert got["aws_dynamodb_table.orders"] == "protected"
    assert got["aws_dynamodb_table.scratch"] == "protected"  # no exclusion declared
    assert got["aws_dynamodb_table.orders_virginia"] == "unprotected"  # us-east-1
    assert got["aws_dynamodb_table.sessions"] == "unprotected"


def test_origins_become_locations() -> None:
    assert origin_location("a/pyproject.toml:14") == Location("a/pyproject.toml", 14)
    assert origin_location("c:/x.toml:3:5") == Location("c:/x.toml", 3, 5)
    assert origin_location("the configuration") == Location("the configuration", 0)


def test_the_command_line_takes_the_configuration_s_declarations() -> None:
    import click

    from analyzer.cli import main
    from analyzer.cli.external_options import META_KEY, external_sources

    ctx = click.Context(main)
    assert external_sources(ctx, ()) is None
    ctx.meta[META_KEY] = [DAILY]
    sources = external_sources(ctx, ())
    assert sources is not None and sources.declarations == (DAILY,)
