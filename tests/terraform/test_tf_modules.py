"""Module calls beyond what expected.yaml says: provider inheritance, the DDB005 notice, where
known-module tables are reported, and the known-module data itself."""

from __future__ import annotations

from pathlib import Path

from support.paths import FIXTURES as ALL_FIXTURES

from analyzer.pipeline import scan
from analyzer.terraform.registry import _catalog, normalize

FIXTURES = ALL_FIXTURES / "terraform"


def test_providers_map_and_default_provider_pass_down() -> None:
    result = scan([str(FIXTURES / "nested_modules")])
    regions = {v.table.address: v.table.region for v in result.verdicts}
    assert regions["module.prod.module.orders.aws_dynamodb_table.this"] == "us-east-1"
    assert regions["module.dev_west.module.events.aws_dynamodb_table.this"] == "us-west-2"


def test_unknown_remote_module_is_a_notice_at_its_block() -> None:
    notices = scan([str(FIXTURES / "remote_module_not_analysed")]).inventory.notices
    assert [(n.rule_id, n.resource, str(n.location)) for n in notices] == [
        ("DDB005", "module.ledger", "main.tf:15"), ("DDB005", "module.archive", "main.tf:20")]
    assert "terraform init" in notices[0].message


def test_known_module_tables_are_reported_at_the_module_call() -> None:
    result = scan([str(FIXTURES / "registry_known_modules")])
    where = {v.table.address: str(v.table.location) for v in result.verdicts}
    assert where["module.orders.aws_dynamodb_table.this[0]"] == "main.tf:5"
    assert where["module.sessions.aws_dynamodb_table.default[0]"] == "main.tf:44"
    assert not any(v.table.name == "never-created" for v in result.verdicts)


def test_known_module_sources_are_normalized() -> None:
    assert normalize("registry.terraform.io/Cloudposse/backup/aws") == "cloudposse/backup/aws"
    assert normalize("git::https://github.com/lgallard/terraform-aws-backup.git?ref=1.0") == (
        "github.com/lgallard/terraform-aws-backup")
    assert normalize("terraform-aws-modules/dynamodb-table/aws//wrappers") == (
        "terraform-aws-modules/dynamodb-table/aws//wrappers")
    assert {"terraform-aws-modules/dynamodb-table/aws", "cloudposse/dynamodb/aws",
            "cloudposse/backup/aws", "lgallard/backup/aws"} <= set(_catalog())


def test_known_module_data_ships_inside_the_package() -> None:
    import analyzer

    assert (Path(analyzer.__file__).parent / "terraform" / "known_modules.yaml").is_file()


def test_one_remote_source_is_one_warning_naming_its_other_calls() -> None:
    from analyzer.catalog import load_rules
    from analyzer.engine import evaluate

    result = scan([str(FIXTURES / "remote_module_one_warning_per_source")])
    findings = evaluate(result, load_rules())
    ddb005 = [f for f in findings if f.rule_id == "DDB005"]
    assert [(f.resource, str(f.location)) for f in ddb005] == [
        ("module.orders", "main.tf:14"), ("module.backup", "main.tf:32")]
    assert "also called by module.carts (main.tf:20), module.users (main.tf:26)" in (
        ddb005[0].message)
    (ddb001,) = [f for f in findings if f.rule_id == "DDB001"]
    assert ddb001.message.endswith(
        'modules from "acme/service-table/aws" and 1 more were not analysed (DDB005), and a '
        "backup selection they declare could select it")


def test_one_source_in_two_roots_is_a_warning_in_each(tmp_path: Path) -> None:
    """A waiver is scoped to its unit, so grouping never merges two roots' calls."""
    from analyzer.catalog import load_rules
    from analyzer.engine import evaluate

    call = 'module "m" {\n  source  = "acme/service-table/aws"\n  version = "1.0.0"\n}\n'
    for root in ("dev", "prod"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "main.tf").write_text(call, encoding="utf-8")
    findings = [f for f in evaluate(scan([str(tmp_path)]), load_rules()) if f.rule_id == "DDB005"]
    assert sorted(f.unit for f in findings) == ["dev", "prod"]
