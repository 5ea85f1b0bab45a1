"""`--assume-region`: a Region the code leaves open (a provider without `region`, a template's
stack Region) is judged as the one the user names, and the evidence says it was assumed."""

from __future__ import annotations

import re
from dataclasses import replace

from analyzer.model import Evidence, Inventory, Table, Tri, Unknown

# aws (us-east-1), GovCloud (us-gov-west-1), China (cn-north-1), ISO (us-iso-east-1) and the
# like: a two-letter area, optional partition words, a direction, a number.
REGION_FORMAT = re.compile(r"^[a-z]{2}(-[a-z]+)*-(north|south|east|west|central|"
                           r"northeast|northwest|southeast|southwest)-\d{1,2}$")
_ASSUMED = "the code leaves its Region open; judged as {region}, as --assume-region says"


def valid_region(text: str) -> bool:
    return REGION_FORMAT.match(text) is not None


TableKey = tuple[object, ...]


def assume_region(inventory: Inventory, region: str) -> tuple[Inventory, frozenset[TableKey]]:
    """The inventory with every unknown Region of a table, selection or Region settings set to
    `region`, and the tables whose Region was assumed (`table_key`)."""
    assumed = frozenset(table_key(t) for t in inventory.tables if isinstance(t.region, Unknown))
    tables = [replace(t, region=region) if isinstance(t.region, Unknown) else t
              for t in inventory.tables]
    note = "assuming {} runs in " + region + " (--assume-region)"
    selections = [replace(s, region=region, assumes=(*s.assumes, note.format(s.address)))
                  if isinstance(s.region, Unknown) else s for s in inventory.selections]
    settings = [replace(r, region=region) if isinstance(r.region, Unknown) else r
                for r in inventory.region_settings]
    return replace(inventory, tables=tables, selections=selections,
                   region_settings=settings), assumed


def assumed_region_evidence(table: Table, assumed: frozenset[TableKey]) -> tuple[Evidence, ...]:
    if table_key(table) not in assumed:
        return ()
    message = _ASSUMED.format(region=table.region)
    return (Evidence("policy", Tri.YES, message, "assume-region", table.location),)


def table_key(table: Table) -> TableKey:
    return (table.unit, table.address, table.replica_region, table.location, table.scenario)
