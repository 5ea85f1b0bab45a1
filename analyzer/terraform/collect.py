"""What one evaluated module contributes to the inventory: tables (with their replicas and the
tags `aws_dynamodb_tag` adds), selections (Organizations backup policies included), plans and
Region settings. `aws_dynamodb_global_table` adds nothing: see terraform.replicas."""

from __future__ import annotations

from analyzer.model import Inventory, Table
from analyzer.terraform.backup_policies import attachments, is_backup_policy, policy_selections
from analyzer.terraform.context import Instance, ModuleContext
from analyzer.terraform.replicas import replica_records, replica_resource_record
from analyzer.terraform.resources import (
    plan_record,
    region_settings_record,
    selection_record,
    table_record,
)
from analyzer.terraform.suppress import block_suppressions
from analyzer.terraform.tag_resources import apply_tag_resources


def collect(module: ModuleContext, inventory: Inventory) -> None:
    """Backup constructs carry why they may not exist (undecided count/for_each, here or on a
    module call above): coverage lets that only weaken a verdict."""
    inventory.tables.extend(_tables(module, inventory))
    for inst, exists in module.instances_of("aws_backup_selection"):
        inventory.selections.append(selection_record(inst, exists, module.prefix))
    attached = attachments(module.instances_of("aws_organizations_policy_attachment"))
    for inst, exists in module.instances_of("aws_organizations_policy"):
        if is_backup_policy(inst):
            inventory.selections.extend(policy_selections(inst, attached, exists))
    vaults = {inst.address: inst for inst, _ in module.instances_of("aws_backup_vault")}
    for inst, exists in module.instances_of("aws_backup_plan"):
        inventory.plans.append(plan_record(inst, exists, vaults))
    for inst, exists in module.instances_of("aws_backup_region_settings"):
        inventory.region_settings.append(region_settings_record(inst, exists))


def _tables(module: ModuleContext, inventory: Inventory) -> list[Table]:
    tables: list[Table] = []
    for inst, _ in module.instances_of("aws_dynamodb_table"):
        table = table_record(inst)
        tables += [table, *replica_records(inst, table)]
        _suppressions(module, inst, inventory)
    for inst, _ in module.instances_of("aws_dynamodb_table_replica"):
        tables.append(replica_resource_record(inst, tables))
        _suppressions(module, inst, inventory)
    return apply_tag_resources(module.instances_of("aws_dynamodb_tag"), tables)


def _suppressions(module: ModuleContext, inst: Instance, inventory: Inventory) -> None:
    """Ignores at the resource, and at the module calls above it."""
    found = [*module.suppressions, *block_suppressions(inst.file.body, inst.block, inst.file.rel)]
    if found:
        inventory.suppressions.setdefault(inst.address, []).extend(found)
