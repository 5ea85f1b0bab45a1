"""Model objects as exchange-file JSON (the format `decode.py` reads back, value for value).

Values keep what the code left open: a literal is a JSON string (or number, boolean, null where
the model has one), `{"unknown": reason}` is an `Unknown`, `{"ref": address, "attr": attr}` a
`Ref` (with `"value"` when its value is known), `{"partial": [...]}` a `Partial`. Every object
carries its unit and its place (`file`, `line`, `col`) in the exporting repository.
"""

from __future__ import annotations

from analyzer.model import (
    BackupPlan,
    BackupSelection,
    Location,
    Partial,
    Ref,
    RegionSettings,
    Scenario,
    TagCondition,
    Unknown,
)

FORMAT = "iac-ddb-lint-selections"
VERSION = 1

Json = object


def value(item: object) -> Json:
    """One model value: a literal as itself, Unknown, Ref and Partial as tagged objects."""
    if isinstance(item, Unknown):
        return {"unknown": item.reason}
    if isinstance(item, Ref):
        out: dict[str, Json] = {"ref": item.address, "attr": item.attr}
        if item.value is not None:
            out["value"] = item.value
        return out
    if isinstance(item, Partial):
        return {"partial": [value(part) for part in item.parts]}
    if item is None or isinstance(item, (str, bool, int)):
        return item
    raise TypeError(f"not an exchange value: {type(item).__name__}")  # pragma: no cover


def _listed(items: tuple[object, ...] | Unknown, each: object = None) -> Json:
    if isinstance(items, Unknown):
        return value(items)
    convert = each if callable(each) else value
    return [convert(item) for item in items]


def place(location: Location) -> dict[str, Json]:
    return {"file": location.file, "line": location.line, "col": location.col}


def condition(cond: TagCondition) -> dict[str, Json]:
    return {"op": cond.op, "key": value(cond.key), "value": value(cond.value),
            **place(cond.location)}


def scenario(item: Scenario | None) -> Json:
    if item is None:
        return None
    return {"unit": item.unit, "index": item.index, "text": item.text,
            "choices": [list(choice) for choice in item.choices]}


def selection(item: BackupSelection) -> dict[str, Json]:
    return {
        "unit": item.unit,
        "address": item.address,
        "kind": item.kind,
        **place(item.location),
        "region": value(item.region),
        "plan": value(item.plan),
        "resources": _listed(item.resources),
        "not_resources": _listed(item.not_resources),
        "list_of_tags": _listed(item.list_of_tags, condition),
        "conditions": _listed(item.conditions, condition),
        "notes": list(item.notes),
        "assumes": list(item.assumes),
        "undecided": value(item.undecided),
        "scenario": scenario(item.scenario),
        # an Organizations backup policy's own plan rules (DDB008/DDB009); absent otherwise
        **({"rules": plan(item.rules)} if item.rules is not None else {}),
    }


def plan(item: BackupPlan) -> dict[str, Json]:
    return {
        "unit": item.unit,
        "address": item.address,
        **place(item.location),
        "name": value(item.name),
        "rule_count": value(item.rule_count),
        "retention_days": [value(days) for days in item.retention_days],
        "exists": value(item.exists),
        # per rule: its copy actions' destination Regions ("" the plan's own), for DDB009
        "copy_regions": [value(rule) if isinstance(rule, Unknown) else [value(r) for r in rule]
                         for rule in item.copy_regions],
    }


def region_settings(item: RegionSettings) -> dict[str, Json]:
    return {
        "unit": item.unit,
        "address": item.address,
        **place(item.location),
        "region": value(item.region),
        "dynamodb_opt_in": value(item.dynamodb_opt_in),
        "exists": value(item.exists),
    }
