"""A deliberately simple judge of real `terraform plan` JSON: which DynamoDB tables the plan shows
*certainly unprotected*.

It shares no code with the analyzer and is meant to be obviously right rather than complete: it
only ever answers "certainly unprotected" or "maybe protected", and it says "maybe" whenever it
is not sure. A table (an aws_dynamodb_table, one `replica {}` region of it, or an
aws_dynamodb_table_replica) is certainly unprotected when

  * the plan's `change.after` says its PITR is off (an absent block is off, as AWS creates
    tables; an unknown value is "maybe"), and
  * nothing in the plans could select it for AWS Backup: no AWS Organizations policy that may be
    a backup policy, and every aws_backup_selection clearly cannot match -- it has no tag test
    (`selection_tag`, `condition`), its `resources` are all known, and none of them has a
    wildcard or ends in this table's name (a table whose name is unknown may be named anything).

Resource changes that only delete are skipped: the plan does not create them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TABLE = "aws_dynamodb_table"
REPLICA = "aws_dynamodb_table_replica"
SELECTION = "aws_backup_selection"
ORG_POLICY = "aws_organizations_policy"


@dataclass(frozen=True)
class PlannedTable:
    address: str
    replica_region: str | None  # set for a `replica {}` region of an aws_dynamodb_table
    name: str | None  # None: not known from the plan
    pitr: bool | None  # None: not known from the plan


def load_plan(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    assert str(data.get("format_version", "")).split(".")[0] == "1", path
    return data


def changes(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The managed resource changes that do not only delete."""
    return [rc for rc in plan.get("resource_changes") or []
            if rc.get("mode", "managed") == "managed"
            and (rc.get("change") or {}).get("actions") != ["delete"]]


def _after(rc: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    change = rc.get("change") or {}
    after = change.get("after")
    unknown = change.get("after_unknown")
    return (after if isinstance(after, dict) else {},
            unknown if isinstance(unknown, dict) else {})


def _known_str(after: Mapping[str, Any], unknown: Mapping[str, Any], key: str) -> str | None:
    value = after.get(key)
    return value if isinstance(value, str) and unknown.get(key) is not True else None


def _table_pitr(after: Mapping[str, Any], unknown: Mapping[str, Any]) -> bool | None:
    """A table's planned PITR. No block in `after` is off: the argument is then only computed
    (`after_unknown` says true), and AWS creates every table with PITR off."""
    blocks = after.get("point_in_time_recovery") or []
    if not blocks:
        return False
    if unknown.get("point_in_time_recovery") is True:
        return None
    first = (unknown.get("point_in_time_recovery") or [{}])[0]
    if isinstance(first, dict) and first.get("enabled") is True:
        return None
    enabled = blocks[0].get("enabled") if isinstance(blocks[0], dict) else None
    return enabled if isinstance(enabled, bool) else (False if enabled is None else None)


def _flag(value: object) -> bool | None:
    """A bool argument that defaults to false (null => False); anything else => None."""
    return False if value is None else value if isinstance(value, bool) else None


def tables(plan: Mapping[str, Any]) -> list[PlannedTable]:
    """Every table instance the plan creates or keeps, with the replicas of `replica {}` blocks."""
    out = []
    for rc in changes(plan):
        after, unknown = _after(rc)
        if rc.get("type") == TABLE:
            name = _known_str(after, unknown, "name")
            out.append(PlannedTable(rc["address"], None, name, _table_pitr(after, unknown)))
            if unknown.get("replica") is True:
                continue  # replicas the plan does not know: nothing certain about them
            for i, replica in enumerate(after.get("replica") or []):
                region = replica.get("region_name") if isinstance(replica, dict) else None
                if not isinstance(region, str):
                    continue
                flags = unknown.get("replica")
                flag_unknown = isinstance(flags, list) and i < len(flags) and isinstance(
                    flags[i], dict) and flags[i].get("point_in_time_recovery") is True
                pitr = None if flag_unknown else _flag(replica.get("point_in_time_recovery"))
                out.append(PlannedTable(rc["address"], region, name, pitr))
        elif rc.get("type") == REPLICA:
            flag_unknown = unknown.get("point_in_time_recovery") is True
            pitr = None if flag_unknown else _flag(after.get("point_in_time_recovery"))
            # its name is the global table's: from `global_table_arn`, which is rarely known
            arn = _known_str(after, unknown, "global_table_arn")
            name = arn.rsplit("/", 1)[-1] if arn and "/" in arn else None
            out.append(PlannedTable(rc["address"], None, name, pitr))
    return out


def _may_match(rc: Mapping[str, Any], table: PlannedTable) -> bool:
    """Whether this aws_backup_selection could select `table` (True whenever in doubt)."""
    after, unknown = _after(rc)
    if not after:
        return True
    for key in ("selection_tag", "condition"):
        if unknown.get(key) is True:
            return True
        if key == "selection_tag" and after.get(key):
            return True
        if key == "condition" and any(
                any(block.get(op) for op in block) if isinstance(block, dict) else True
                for block in after.get(key) or []):
            return True
    if unknown.get("resources") is True:
        return True
    flags = unknown.get("resources")
    if isinstance(flags, list) and any(flag is not False for flag in flags):
        return True
    patterns = after.get("resources") or []
    for pattern in patterns:
        if not isinstance(pattern, str) or "*" in pattern or "?" in pattern:
            return True
        if table.name is None or pattern.endswith(f"table/{table.name}"):
            return True
    return False


def _may_be_backup_policy(rc: Mapping[str, Any]) -> bool:
    after, unknown = _after(rc)
    return unknown.get("type") is True or after.get("type") in (None, "BACKUP_POLICY")


def certainly_unprotected(table: PlannedTable, plans: Iterable[Mapping[str, Any]]) -> bool:
    """PITR certainly off and nothing in `plans` (every plan of the scanned roots) may back the
    table up."""
    if table.pitr is not False:
        return False
    for plan in plans:
        for rc in changes(plan):
            if rc.get("type") == ORG_POLICY and _may_be_backup_policy(rc):
                return False
            if rc.get("type") == SELECTION and _may_match(rc, table):
                return False
    return True


def unprotected(plan: Mapping[str, Any],
                others: Iterable[Mapping[str, Any]] = ()) -> set[tuple[str, str | None]]:
    """(address, replica region) of the tables of `plan` that are certainly unprotected, with the
    selections of `plan` and of `others` (the plans of other roots in the same scan)."""
    every = [plan, *others]
    return {(t.address, t.replica_region) for t in tables(plan)
            if certainly_unprotected(t, every)}
