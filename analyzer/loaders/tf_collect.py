"""What one evaluated module contributes to the inventory: tables, selections, plans, settings."""

from __future__ import annotations

from analyzer.loaders.tf_module import ModuleContext
from analyzer.loaders.tf_resources import (
    plan_record,
    region_settings_record,
    selection_record,
    table_records,
)
from analyzer.loaders.tf_suppress import block_suppressions
from analyzer.model import Inventory


def collect(module: ModuleContext, inventory: Inventory) -> None:
    for inst, _ in module.instances_of("aws_dynamodb_table"):
        inventory.tables.extend(table_records(inst))
        found = block_suppressions(inst.file.body, inst.block, inst.file.rel)
        if found:
            inventory.suppressions.setdefault(inst.address, []).extend(found)
    for inst, _ in module.instances_of("aws_backup_selection"):
        inventory.selections.append(selection_record(inst))
    for inst, _ in module.instances_of("aws_backup_plan"):
        inventory.plans.append(plan_record(inst))
    for inst, _ in module.instances_of("aws_backup_region_settings"):
        inventory.region_settings.append(region_settings_record(inst))
