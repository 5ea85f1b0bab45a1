"""Which tables a backup selection can select at all: the keys coverage indexes it by.

A key is a necessary condition: when a table satisfies none of a selection's keys, every way of
that selection is NO for it (`judge_selection` returns NO without evidence), so the judge may
skip the pair. Keys over-approximate (a key may let through a table the judge then rejects);
what cannot be bounded is `EVERY` table. The reasoning follows `arn_match` step by step:

- A whole reference to a table's ARN selects only the table it names (`same_table`).
- A literal ARN pattern with all five ':' before the resource written out: the table's ARN has
  exactly five ':' (an *ordinary* table: no ':' in its name or Region), so the pattern's colons
  meet the ARN's one to one and no '*' spans one. The service must then be `dynamodb`, and the
  literal start of the resource part must be `table/` followed by a prefix of the name;
  `table/${T}` (CloudFormation `!Sub`, Terraform `format`) names table T only.
- A ListOfTags entry, or a Condition that every resources way must also pass, that tests a
  known key positively holds only on tables that may carry the key (and the value, for
  StringEquals).
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.aws.arn_atoms import (
    ARN_ATTRS,
    NAME_ATTRS,
    RESOURCE_FIELD,
    STREAM_ATTRS,
    TABLE_TYPE,
    claim_fields,
    is_data_source,
    is_module_output,
    may_be_any_table,
    pattern_atoms,
    resource_type,
    split_fields,
)
from analyzer.aws.arn_match import MAX_FIELD_ATOMS, longest_fixed_field
from analyzer.aws.glob import Atom, glob_atoms
from analyzer.aws.tag_match import bare_key, normalize_op
from analyzer.model import BackupSelection, Pattern, Ref, TagCondition, Unknown

# Longer patterns are not reasoned about (they may exhaust the matcher's recursion, which the
# judge turns into UNKNOWN): they may select every table. Real ARNs are far shorter.
MAX_INDEXED_ATOMS = 120


@dataclass(frozen=True)
class Key:
    """`every`; `ident` (the table `text` of the selection's `unit`, or its instances when
    `splat`); `name` (an ordinary table whose name starts with `text`, or whose name is
    unknown); `tag` (a table that may carry tag `text`, with `value` unless it is None)."""

    kind: str
    text: str = ""
    value: str | None = None
    unit: str = ""
    splat: bool = False


EVERY = Key("every")
_ANY_NAME = Key("name", "")


def selection_keys(selection: BackupSelection) -> list[Key]:
    """Keys such that the selection selects (or may select) a table only if one of them holds."""
    keys = _tag_keys(selection)
    resources = selection.resources
    if isinstance(resources, Unknown):
        return [*keys, EVERY]
    ways = [k for p in resources for k in pattern_keys(p, selection.unit)]
    if not ways:
        return keys  # no resources pattern can select a table
    condition = _condition_key(selection)
    if condition is not None and any(k in (EVERY, _ANY_NAME) for k in ways):
        return [*keys, condition]  # `["*"]` with Conditions: the tag decides
    return keys + ways


def _tag_keys(selection: BackupSelection) -> list[Key]:
    tags = selection.list_of_tags
    if isinstance(tags, Unknown):
        return [EVERY]
    return [_tag_key(cond) or EVERY for cond in tags]


def _condition_key(selection: BackupSelection) -> Key | None:
    """A Condition every resources way must pass (they are ANDed), if one is indexable."""
    if isinstance(selection.conditions, Unknown):
        return None
    return next((k for k in map(_tag_key, selection.conditions) if k is not None), None)


def _tag_key(cond: TagCondition) -> Key | None:
    """A positive test of a known key holds only where the key is present (or may be)."""
    op = normalize_op(cond.op)
    key = bare_key(cond.key)
    if op not in ("StringEquals", "StringLike") or isinstance(key, Unknown):
        return None
    exact = op == "StringEquals" and isinstance(cond.value, str)
    return Key("tag", key, cond.value if exact and isinstance(cond.value, str) else None)


def pattern_keys(pattern: Pattern, unit: str) -> list[Key]:
    """The keys of one resources pattern (none: it never selects a table); as `match_pattern`."""
    if isinstance(pattern, Unknown):
        return [EVERY]
    if isinstance(pattern, Ref):
        return _ref_keys(pattern, unit)
    return _atom_keys(pattern_atoms(pattern), unit)


def _ref_keys(ref: Ref, unit: str) -> list[Key]:
    """As `arn_match._match_ref`, branch by branch."""
    attr = ref.attr.lower()
    if attr in STREAM_ATTRS:
        return []
    if is_data_source(ref.address):
        if ref.value is None:
            return [EVERY]
        if ref.value.startswith("arn:"):
            return _atom_keys(tuple(glob_atoms(ref.value)), unit)
        return [_name_key(ref.value)]  # compared by name
    if is_module_output(ref.address):
        return [EVERY] if ref.value is None else pattern_keys(ref.value, unit)
    if attr in ARN_ATTRS:
        return [_ident(ref, unit)]
    kind = resource_type(ref.address)
    if kind is not None and kind != TABLE_TYPE and kind.startswith("aws_"):
        return []
    if attr in NAME_ATTRS:
        return []
    return [EVERY] if ref.value is None else pattern_keys(ref.value, unit)


def _ident(ref: Ref, unit: str) -> Key:
    if ref.address.endswith("[*]") and len(ref.address) > MAX_INDEXED_ATOMS:
        return EVERY  # looked up by prefix like a name: keep keys short
    if ref.address.endswith("[*]"):
        return Key("ident", ref.address[:-2], unit=unit, splat=True)
    return Key("ident", ref.address, unit=unit)


def _atom_keys(written: tuple[Atom, ...], unit: str) -> list[Key]:
    """As `arn_match._match_arn`, for ordinary tables (the index sends the others everywhere)."""
    if len(written) > MAX_INDEXED_ATOMS or longest_fixed_field(written) > MAX_FIELD_ATOMS:
        return [EVERY]
    atoms, _ = claim_fields(written)
    fields = split_fields(atoms)
    if len(fields) - 1 > RESOURCE_FIELD:
        return [EVERY]  # a sixth ':' could only be in the name: not worth reasoning about
    if len(fields) - 1 < RESOURCE_FIELD:
        return [] if _start_differs(atoms) else [EVERY]
    if _literal(fields[0]) not in (None, "arn") or _literal(fields[2]) not in (None, "dynamodb"):
        return []
    return _resource_keys(fields[RESOURCE_FIELD], unit)


def _literal(atoms: list[Atom]) -> str | None:
    """The text of a field written without wildcards, else None."""
    if all(isinstance(a, str) for a in atoms):
        return "".join(a for a in atoms if isinstance(a, str))
    return None


def _lead(atoms: list[Atom] | tuple[Atom, ...]) -> str:
    """The literal characters before the first wildcard, unknown piece or reference."""
    text = []
    for atom in atoms:
        if not isinstance(atom, str):
            break
        text.append(atom)
    return "".join(text)


def _start_differs(atoms: tuple[Atom, ...]) -> bool:
    """Fewer than five ':' written: only the literal start is certain. Its ':' meet the ARN's
    in order, so its first field must be `arn` and its third `dynamodb` (or their starts)."""
    parts = _lead(atoms).split(":")
    wanted = ("arn", None, "dynamodb")
    for index, part in enumerate(parts[:3]):
        want = wanted[index]
        whole = index < len(parts) - 1
        if want is not None and (part != want if whole else not want.startswith(part)):
            return True
    return False


def _resource_keys(resource: list[Atom], unit: str) -> list[Key]:
    lead = _lead(resource)
    head = "table/"
    if len(lead) < len(head):
        return [_ANY_NAME] if head.startswith(lead) else []
    if not lead.startswith(head):
        return []
    rest = resource[len(head):]
    if len(lead) == len(head) and len(rest) == 1 and isinstance(rest[0], Ref):
        return _name_ref_keys(rest[0], unit)
    return [_name_key(lead[len(head):])]


def _name_key(prefix: str) -> Key:
    # The index looks up every prefix of a table's name up to the longest key: keep keys short.
    return Key("name", prefix) if len(prefix) <= MAX_INDEXED_ATOMS else EVERY


def _name_ref_keys(ref: Ref, unit: str) -> list[Key]:
    """`table/${T}`: the name of table T (`name_stages`, `_unknown_name` on one reference)."""
    if may_be_any_table(ref.address):
        return [EVERY]
    keys = [_ident(ref, unit)]
    if ref.value is not None:
        keys.append(_name_key(_lead(glob_atoms(ref.value))))
    return keys
