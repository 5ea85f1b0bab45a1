"""The text and JSON reports on a scan result built by hand: content, shape, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support.hand_built import NO_PITR, render, sample_result
from support.paths import TESTS

from analyzer import __version__
from analyzer.catalog import load_rules, rules_by_id


def _fix(rule_id: str) -> str:
    rule = rules_by_id(load_rules())[rule_id]
    return f"  fix: {rule.short_fix} (see README.md#{rule_id.lower()})"


def test_text_report() -> None:
    assert render(sample_result()).splitlines() == [
        f"main.tf:20: DDB001 aws_dynamodb_table.users: not protected: {NO_PITR} and no "
        "AWS Backup selection selects it (1 selection considered)",
        _fix("DDB001"),
        "main.tf:30: DDB002 aws_dynamodb_table.events: protection unknown: "
        "aws_backup_selection.tagged: tag `backup` comes from var.tier",
        _fix("DDB002"),
        "main.tf:40: DDB001 aws_dynamodb_table.global: not protected (replica in eu-west-1): "
        f"{NO_PITR} and no AWS Backup selection selects it",
        _fix("DDB001"),
        "main.tf:59: DDB003 aws_dynamodb_table.scratch: `iac-ddb-lint:ignore DDB001` gives no "
        "reason, so it is not honoured; write `iac-ddb-lint:ignore DDB001 <reason>`",
        _fix("DDB003"),
        "main.tf:60: DDB001 aws_dynamodb_table.scratch: not protected: point-in-time recovery "
        "is not enabled and no AWS Backup selection selects it",
        _fix("DDB001"),
        "broken/main.tf:3:7: error: unexpected token",
        "6 tables: 1 protected, 4 unprotected, 1 unknown, 1 suppressed, 1 error",
    ]


def test_text_colour_only_when_asked() -> None:
    assert "\033[31mDDB001\033[0m" in render(sample_result(), color=True)
    assert "\033[" not in render(sample_result(), color=False)


def test_verbose_text_lists_verdicts_and_evidence() -> None:
    lines = render(sample_result(), verbose=True).splitlines()
    assert (
        "main.tf:50: DDB001 aws_dynamodb_table.cache: not protected: point-in-time recovery "
        "is not enabled and no AWS Backup selection selects it [suppressed: rebuilt on deploy]"
        in lines
    )
    assert "aws_dynamodb_table.global (replica in eu-west-1) (main.tf:40): unprotected" in lines
    assert (
        "  ? AWS Backup aws_backup_selection.tagged: tag `backup` comes from var.tier "
        "(backup.tf:12)" in lines
    )


def test_json_report_shape() -> None:
    document = json.loads(render(sample_result(), "json"))
    assert list(document) == ["version", "findings", "tables", "errors", "summary"]
    assert document["version"] == __version__
    finding = document["findings"][0]
    assert list(finding) == [
        "rule_id",
        "severity",
        "resource",
        "unit",
        "input",
        "file",
        "line",
        "message",
        "suppressed",
        "suppression_reason",
    ]
    cache = next(f for f in document["findings"] if f["resource"] == "aws_dynamodb_table.cache")
    assert (cache["suppressed"], cache["suppression_reason"]) == (True, "rebuilt on deploy")
    tables = {t["resource"]: t for t in document["tables"]}
    assert [t["resource"] for t in document["tables"]] == sorted(tables)
    assert tables["aws_dynamodb_table.global"]["region"] == "eu-west-1"
    assert tables["aws_dynamodb_table.users"]["status"] == "unprotected"
    assert tables["aws_dynamodb_table.users"]["protection"] == [
        {
            "kind": "pitr",
            "applies": "no",
            "message": NO_PITR,
            "source": "aws_dynamodb_table.users",
            "file": None,
            "line": None,
        },
        {
            "kind": "backup_selection",
            "applies": "no",
            "message": "no AWS Backup selection selects it (1 selection considered)",
            "source": "aws_dynamodb_table.users",  # names what it is about (issue 14 item 6)
            "file": None,
            "line": None,
        },
    ]
    assert document["errors"] == [
        {"file": "broken/main.tf", "line": 3, "col": 7, "message": "unexpected token"}
    ]
    assert document["summary"] == {
        "tables": 6,
        "protected": 1,
        "unprotected": 4,
        "unknown": 1,
        "findings": 5,
        "suppressed": 1,
        "errors": 1,
    }


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rendering_ignores_input_order(fmt: str) -> None:
    shuffled = sample_result()
    shuffled.verdicts.reverse()
    shuffled.inventory.suppressions = dict(reversed(list(shuffled.inventory.suppressions.items())))
    assert render(shuffled, fmt, verbose=True) == render(sample_result(), fmt, verbose=True)


def test_rendering_is_byte_identical_across_hash_seeds() -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from support import hand_built as t; "
        "sys.stdout.write(t.render(t.sample_result(), 'json') + t.render(t.sample_result(), "
        "'text', verbose=True))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(TESTS)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1
