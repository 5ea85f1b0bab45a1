"""Turning a resource pattern into glob atoms, and reading what it says about the ARN's fields.

A table ARN is `arn:<partition>:dynamodb:<region>:<account>:table/<name>`. Statically the account
(and often the partition and region) is unknown, so a pattern's literal in those fields is taken
as saying where the selection runs (aws-semantics.md §2): we assume the table is there and say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.aws.glob import STAR, Atom, glob_atoms, render
from analyzer.model import Partial, Pattern, Ref, Tri, Unknown

NAME_ATTRS = frozenset({"name", "id", "ref", "tablename"})
ARN_ATTRS = frozenset({"arn"})
STREAM_ATTRS = frozenset({"stream_arn", "streamarn", "latest_stream_arn", "lateststreamarn"})
TABLE_TYPE = "aws_dynamodb_table"
# The position (count of ':' before it) of the resource part of an ARN.
RESOURCE_FIELD = 5
_ASSUMED_FIELDS = {1: "partition", 3: "region", 4: "account"}
# A literal character no ARN contains.
_NEVER = "\0"
# Values that denote where the code itself deploys: the table's own partition, Region and account.
_CURRENT = re.compile(
    r"^data\.aws_(region|caller_identity|partition)\.[^.]+\.\w+$|^AWS::(Region|AccountId|Partition)$"
)


def is_current_deployment(hole: Unknown) -> bool:
    return bool(_CURRENT.match(hole.reason))


def is_data_source(address: str) -> bool:
    return address.startswith("data.") or ".data." in address


def is_module_output(address: str) -> bool:
    """`module.m` (an output of module m), as opposed to a resource inside it."""
    return address.startswith("module.") and resource_type(address) is None


def may_be_any_table(address: str) -> bool:
    """A reference that may denote any table: a data source or a module output."""
    return is_data_source(address) or is_module_output(address)


def resource_type(address: str) -> str | None:
    """`aws_s3_bucket` for `module.m.aws_s3_bucket.x["k"]`; None for a CFN logical ID, a module."""
    parts = re.sub(r"\[[^\]]*\]", "", address).split(".")
    while len(parts) >= 2 and parts[0] == "module":
        parts = parts[2:]
    if parts and parts[0] == "data":
        parts = parts[1:]
    return parts[0] if len(parts) >= 2 else None


def same_table(ref: Ref, address: str) -> bool:
    """Does the reference denote the table at `address`? A splat `x[*]` denotes every instance."""
    if ref.address == address:
        return True
    return ref.address.endswith("[*]") and address.startswith(ref.address[:-2])


def pattern_atoms(pattern: str | Partial) -> tuple[Atom, ...]:
    if isinstance(pattern, str):
        return tuple(glob_atoms(pattern))
    atoms: list[Atom] = []
    for part in pattern.parts:
        if isinstance(part, str):
            atoms.extend(glob_atoms(part))
        elif isinstance(part, Ref):
            colons = sum(1 for atom in atoms if atom == ":")
            atoms.extend(_ref_piece(part, colons, first=not atoms))
        else:
            atoms.append(part)
    return tuple(atoms)


def _ref_piece(ref: Ref, colons: int, *, first: bool) -> list[Atom]:
    attr = ref.attr.lower()
    kind = resource_type(ref.address)
    if attr in ARN_ATTRS and kind not in (None, TABLE_TYPE) and kind.startswith("aws_"):
        return [_NEVER]  # the ARN of another kind of resource: no table's ARN starts with it
    if attr in ARN_ATTRS and first and ref.value is None:
        # "${aws_dynamodb_table.x.arn}/stream/*": the table's ARN, its fields those of the table.
        return [*glob_atoms("arn:*:dynamodb:*:*:table/"), Ref(ref.address, "name")]
    if attr in NAME_ATTRS and colons >= RESOURCE_FIELD:
        return [ref]  # keeps its identity: the name of that table, whatever it turns out to be
    if ref.value is not None:
        return glob_atoms(ref.value)  # AWS sees only the final string: a '*' in it is a wildcard
    return [Unknown(str(ref))]


@dataclass(frozen=True)
class FieldClaim:
    """What a pattern writes in the partition, region or account field."""

    label: str
    text: str
    holes: tuple[Unknown, ...]


def split_fields(atoms: tuple[Atom, ...]) -> list[list[Atom]]:
    """The atoms between each written ':' (an unknown piece may hold more of them)."""
    fields: list[list[Atom]] = [[]]
    for atom in atoms:
        if atom == ":":
            fields.append([])
        else:
            fields[-1].append(atom)
    return fields


def claim_fields(atoms: tuple[Atom, ...]) -> tuple[tuple[Atom, ...], tuple[FieldClaim, ...]]:
    """Unknown pieces in the partition/region/account fields become '*' (assumed to be the
    table's); returns the new atoms and what each such field says. A field counts only where its
    position is certain: every ':' is written out, or no '*' before it could span a ':'."""
    fields = split_fields(atoms)
    every_colon = len(fields) > RESOURCE_FIELD
    claims: list[FieldClaim] = []
    for index in range(min(len(fields), RESOURCE_FIELD)):
        if not every_colon and any(_spans(a) for f in fields[:index] for a in f):
            break  # an earlier '*' may span ':', so this field's position is not certain
        label, field_atoms = _ASSUMED_FIELDS.get(index), fields[index]
        if label is None or field_atoms == [STAR]:
            continue
        holes = tuple(a for a in field_atoms if isinstance(a, Unknown))
        claims.append(FieldClaim(label, render(field_atoms), holes))
        if every_colon or index < len(fields) - 1:  # else an unknown piece may run past the field
            fields[index] = [STAR if isinstance(a, Unknown) else a for a in field_atoms]
    out: list[Atom] = []
    for index, field_atoms in enumerate(fields):
        out.extend(([":"] if index else []) + field_atoms)
    return tuple(out), tuple(claims)


def _spans(atom: Atom) -> bool:
    return atom is STAR or isinstance(atom, Unknown)


def names_table_type(pattern: Pattern) -> Tri:
    """Does the pattern name the resource type or the table (so it works even when DynamoDB is
    opted out of AWS Backup), rather than selecting by service or everything (tag-only-like)?"""
    if isinstance(pattern, Unknown):
        return Tri.UNKNOWN
    if isinstance(pattern, Ref):
        if pattern.attr.lower() in ARN_ATTRS:
            return Tri.YES
        if pattern.value is not None:
            return names_table_type(pattern.value)
        return Tri.UNKNOWN
    atoms = pattern_atoms(pattern)
    if ":table/" in "".join(a if isinstance(a, str) else "\0" for a in atoms):
        return Tri.YES
    return Tri.UNKNOWN if any(isinstance(a, Unknown) for a in atoms) else Tri.NO
