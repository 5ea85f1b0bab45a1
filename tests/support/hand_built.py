"""A scan result built by hand from model objects, for tests of the engine, the reports and the
command line that do not need the loaders."""

from __future__ import annotations

from pathlib import Path

from analyzer.catalog import load_rules
from analyzer.engine import evaluate
from analyzer.model import (
    Evidence,
    LoadError,
    Location,
    Pitr,
    Status,
    Suppression,
    Table,
    Tags,
    Tri,
    Verdict,
)
from analyzer.pipeline import ScanResult
from analyzer.report import json as json_report
from analyzer.report import text as text_report


def verdict(
    address: str,
    status: Status,
    line: int,
    *evidence: Evidence,
    replica: str | None = None,
    file: str = "main.tf",
) -> Verdict:
    enabled = status is Status.PROTECTED
    table = Table(
        address,
        address.split(".")[-1],
        "us-east-1",
        Tags(),
        Pitr(enabled),
        Location(file, line),
        replica_region=replica,
    )
    return Verdict(table, status, evidence)


def pitr(address: str, applies: Tri, message: str, line: int | None = None) -> Evidence:
    return Evidence("pitr", applies, message, address, Location("main.tf", line) if line else None)


NO_PITR = "point-in-time recovery is not enabled (no point_in_time_recovery block)"


def sample_result() -> ScanResult:
    result = ScanResult(Path.cwd())  # the usual case: the working directory scanned
    result.verdicts = [
        verdict(
            "aws_dynamodb_table.orders",
            Status.PROTECTED,
            1,
            pitr("aws_dynamodb_table.orders", Tri.YES, "point-in-time recovery is enabled", 9),
        ),
        verdict(
            "aws_dynamodb_table.users",
            Status.UNPROTECTED,
            20,
            pitr("aws_dynamodb_table.users", Tri.NO, NO_PITR),
            Evidence(
                "backup_selection",
                Tri.NO,
                "no AWS Backup selection selects it (1 selection considered)",
                "aws_dynamodb_table.users",
                None,
                summary=True,
            ),
        ),
        verdict(
            "aws_dynamodb_table.events",
            Status.UNKNOWN,
            30,
            pitr("aws_dynamodb_table.events", Tri.NO, NO_PITR),
            Evidence(
                "backup_selection",
                Tri.UNKNOWN,
                "tag `backup` comes from var.tier",
                "aws_backup_selection.tagged",
                Location("backup.tf", 12),
            ),
        ),
        verdict(
            "aws_dynamodb_table.global",
            Status.UNPROTECTED,
            40,
            pitr("aws_dynamodb_table.global", Tri.NO, NO_PITR),
            replica="eu-west-1",
        ),
        verdict("aws_dynamodb_table.cache", Status.UNPROTECTED, 50),
        verdict("aws_dynamodb_table.scratch", Status.UNPROTECTED, 60),
    ]
    result.inventory.suppressions = {
        "aws_dynamodb_table.cache": [
            Suppression("DDB001", "rebuilt on deploy", Location("main.tf", 49))
        ],
        "aws_dynamodb_table.scratch": [Suppression("DDB001", "  ", Location("main.tf", 59))],
    }
    result.inventory.errors = [LoadError(Location("broken/main.tf", 3, 7), "unexpected token")]
    return result


def render(result: ScanResult, fmt: str = "text", **options: bool) -> str:
    rules = load_rules()
    module = text_report if fmt == "text" else json_report
    return module.render(result, evaluate(result, rules), rules, **options)
