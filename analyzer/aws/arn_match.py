"""Does one resource pattern of a backup selection match one table's ARN? Three-valued.

The table's ARN is a token sequence: literal characters, whole unknown fields (partition, region,
account) and, last, the name. A memoised walk over (pattern atom, table token) decides the fixed
part, letting `*` span ':' and '/' (`arn:aws:dynamodb:*`); the name is then globbed separately,
because it is either a known string or an identity ("the name of aws_dynamodb_table.x").
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

from analyzer.aws.arn_atoms import (
    ARN_ATTRS,
    NAME_ATTRS,
    STREAM_ATTRS,
    TABLE_TYPE,
    FieldClaim,
    claim_fields,
    is_current_deployment,
    is_data_source,
    is_module_output,
    may_be_any_table,
    pattern_atoms,
    resource_type,
    same_table,
)
from analyzer.aws.glob import STAR, Atom, glob_atoms, glob_suffixes, hole_reason
from analyzer.aws.outcome import NO, YES, Res, unknown
from analyzer.model import Pattern, Ref, Table, Tri, Unknown

_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "_.-")
_FIELD_CHARS = {
    "partition": frozenset(string.ascii_lowercase + "-"),
    "region": frozenset(string.ascii_lowercase + string.digits + "-"),
    "account": frozenset(string.digits),
}
# Region prefix -> partition; anything else is the commercial partition "aws".
_PARTITIONS = (
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-iso-", "aws-iso"),
    ("us-gov-", "aws-us-gov"),
    ("cn-", "aws-cn"),
)


@dataclass(frozen=True)
class _Field:
    """A whole ARN field of the table whose value is unknown statically."""

    label: str


_Token = str | _Field


def partition_of(region: str) -> str:
    return next((p for prefix, p in _PARTITIONS if region.startswith(prefix)), "aws")


@lru_cache(maxsize=64)
def _prefix_tokens(region: str | None) -> tuple[_Token, ...]:
    """`arn:<partition>:dynamodb:<region>:<account>:table/`, known fields spelled out."""
    partition: list[_Token] = list(partition_of(region)) if region else [_Field("partition")]
    where: list[_Token] = list(region) if region else [_Field("region")]
    head: list[_Token] = [*"arn:", *partition, *":dynamodb:", *where, ":", _Field("account")]
    return (*head, *":table/")


def match_pattern(pattern: Pattern, table: Table) -> Res:
    """YES / NO / UNKNOWN, with the reasons for UNKNOWN and the assumptions behind a match."""
    if isinstance(pattern, Unknown):
        return unknown(f"the pattern is unknown ({pattern.reason})")
    if isinstance(pattern, Ref):
        return _match_ref(pattern, table)
    return _match_arn(pattern_atoms(pattern), table)


# The work budget (issue 15): no ARN field before the resource is near this long (the longest
# partition, Region and account are under 20 characters); walking a longer one would cost time
# and stack without bound, so it is left unknown.
MAX_FIELD_ATOMS = 200


def _match_arn(written: tuple[Atom, ...], table: Table) -> Res:
    longest = longest_fixed_field(written)
    if longest > MAX_FIELD_ATOMS:
        return unknown(f"the pattern has a field of {longest} characters before the resource, "
                       "longer than any ARN's, so it is not matched")
    atoms, claims = claim_fields(written)
    try:
        res = _match_atoms(atoms, *_table_key(table))
    except RecursionError:  # a safety net under the budget above: never a crash
        return unknown(f"the pattern is too complex to match ({len(written)} characters)")
    if res.tri is Tri.NO:
        return res
    for note in field_notes(claims, table):
        res = res.with_note(note)
    return res


def longest_fixed_field(atoms: tuple[Atom, ...]) -> int:
    """The most atoms between two colons among the five fields before the resource."""
    longest = run = colons = 0
    for atom in atoms:
        if atom == ":":
            colons += 1
            if colons == 5:
                break
            run = 0
            continue
        run += 1
        longest = max(longest, run)
    return longest


_TableKey = tuple[str | None, str | None, str, str, tuple[str, str] | None]


def _table_key(table: Table) -> _TableKey:
    region = table.region if isinstance(table.region, str) else None
    name = table.name if isinstance(table.name, str) else None
    reason = table.name.reason if isinstance(table.name, Unknown) else ""
    ends = table.name_ends if name is None else None
    return region, name, reason, table.address, ends


def field_notes(claims: tuple[FieldClaim, ...], table: Table) -> list[str]:
    """The assumptions a match rests on, e.g. that the table is in the pattern's region."""
    known = {"partition": isinstance(table.region, str), "region": isinstance(table.region, str)}
    said = [f"{c.label} {c.text}" for c in claims if not c.holes and not known.get(c.label, False)]
    notes = (
        [f"assuming the table is deployed to {', '.join(said)}, as the pattern says"]
        if said
        else []
    )
    holes = [c for c in claims if c.holes and not all(map(is_current_deployment, c.holes))]
    if holes:
        labels = " and ".join(c.label for c in holes).replace(" and ", ", ", len(holes) - 2)
        why = "; ".join(h.reason for c in holes for h in c.holes)
        notes.append(f"assuming the pattern's unknown {labels} ({why}) match the table's")
    return notes


@lru_cache(maxsize=4096)
def _match_atoms(
    atoms: tuple[Atom, ...], region: str | None, name: str | None, reason: str, address: str,
    ends: tuple[str, str] | None = None,
) -> Res:
    walk = _PrefixWalk(atoms, _prefix_tokens(region), (name, reason, address, ends))
    return walk.walk(0, 0, False)


class _PrefixWalk:
    """Memoised walk of the pattern over the ARN's fixed part; at the name, hand over."""

    def __init__(
        self, atoms: tuple[Atom, ...], tokens: tuple[_Token, ...],
        name: tuple[str | None, str, str, tuple[str, str] | None],
    ) -> None:
        self.atoms, self.tokens, self.name = atoms, tokens, name
        self.memo: dict[tuple[int, int, bool], Res] = {}
        self.names: list[Res] | None = None  # the name stage for every start, computed once

    def walk(self, i: int, j: int, started: bool) -> Res:
        key = (i, j, started)
        if key not in self.memo:
            self.memo[key] = self._walk(i, j, started)
        return self.memo[key]

    def _walk(self, i: int, j: int, started: bool) -> Res:
        if j == len(self.tokens):
            if self.names is None:
                self.names = name_stages(self.atoms, *self.name)
            return self.names[i]
        if i == len(self.atoms):
            return NO
        atom, token = self.atoms[i], self.tokens[j]
        if isinstance(token, _Field):
            return self._in_field(atom, token, i, j, started)
        if atom is STAR:
            return self.walk(i + 1, j, False) | self.walk(i, j + 1, False)
        if isinstance(atom, Unknown):
            return unknown(hole_reason(atom)) & (
                self.walk(i + 1, j, False) | self.walk(i, j + 1, False)
            )
        return self.walk(i + 1, j + 1, False) if atom == token else NO

    def _in_field(self, atom: Atom, token: _Field, i: int, j: int, started: bool) -> Res:
        """An unknown field of the table takes one or more pattern atoms (assumed to match)."""
        res = self.walk(i, j + 1, False) if started else NO
        if atom is STAR:  # the star stays inside the field, or runs on past it
            return res | self.walk(i + 1, j, True) | self.walk(i, j + 1, False)
        if isinstance(atom, Unknown):
            rest = self.walk(i + 1, j, True) | self.walk(i, j + 1, False)
            return res | (unknown(hole_reason(atom)) & rest)
        if isinstance(atom, str) and atom in _FIELD_CHARS[token.label]:
            return res | self.walk(i + 1, j, True)
        return res


def name_stages(atoms: tuple[Atom, ...], name: str | None, reason: str, address: str,
                ends: tuple[str, str] | None = None) -> list[Res]:
    """For every i, atoms[i:] against the table's name (known, known at its `ends`, or bound
    to `address`)."""
    if name is None:
        return [_unknown_name(atoms[i:], reason, address, ends) for i in range(len(atoms) + 1)]
    expanded: list[Atom] = []
    starts = []
    for atom in atoms:
        starts.append(len(expanded))
        if not isinstance(atom, Ref):
            expanded.append(atom)
        elif same_table(atom, address):
            expanded.extend(name)  # literal: the name itself
        elif atom.value is not None:
            expanded.extend(glob_atoms(atom.value))
        else:
            expanded.append(Unknown(f"the name of {atom.address}"))
    starts.append(len(expanded))
    suffixes = glob_suffixes(expanded, name)
    results = [suffixes[start] for start in starts]
    last = atoms[-1] if atoms else None
    other = isinstance(last, Ref) and not same_table(last, address) and last.value is None
    if other and isinstance(last, Ref) and not may_be_any_table(last.address):
        results[-2] = NO  # exactly another table's name
    return results


def _unknown_name(atoms: tuple[Atom, ...], reason: str, address: str,
                  ends: tuple[str, str] | None = None) -> Res:
    core = [a for a in atoms if a is not STAR]
    if not atoms or any(isinstance(a, str) and a not in _NAME_CHARS for a in core):
        return NO  # no name at all, or another resource type (`table/x/stream/*`, `.../index/*`)
    if not core:
        return YES  # `table/*`: whatever the name is
    if ends is not None and all(isinstance(a, str) or a is STAR for a in atoms):
        decided = name_ends_match(atoms, *ends)
        if decided is not None:
            return decided
    own = [a for a in core if isinstance(a, Ref) and same_table(a, address)]
    if own and len(core) == 1:
        return YES  # `table/${aws_dynamodb_table.x.name}` for table x
    if own and all(isinstance(a, str) or a in own for a in core):
        return NO  # the name cannot equal itself plus more text
    other = core[0] if len(core) == 1 and len(atoms) == 1 else None
    if isinstance(other, Ref) and not may_be_any_table(other.address):
        return NO  # exactly another table's name
    return unknown(f"the table's name is unknown ({reason})")


def name_ends_match(atoms: tuple[Atom, ...], start: str, end: str) -> Res | None:
    """A literal glob (chars and `*`) against a name `start` + anything + `end`: NO when no
    such name can match, YES when every one does, None when the middle decides. The middle may
    be any text, even empty; `start` and `end` never overlap, both being parts of the name."""
    stars = [k for k, a in enumerate(atoms) if a is STAR]
    head = "".join(map(str, atoms[:stars[0]] if stars else atoms))
    tail = "".join(str(a) for a in atoms[stars[-1] + 1:]) if stars else head
    if not (start.startswith(head) or head.startswith(start)):
        return NO  # the name's known start and the pattern's literal start differ
    if not (end.endswith(tail) or tail.endswith(end)):
        return NO
    if not stars:
        return NO if len(start) + len(end) > len(head) else None
    middle = atoms[stars[0]:stars[-1] + 1]
    if all(a is STAR for a in middle) and start.startswith(head) and end.endswith(tail):
        return YES  # `orders-*` (or `*-orders`, `a*z`): the stars absorb the unknown middle
    return None


def _match_ref(ref: Ref, table: Table) -> Res:
    """A whole pattern that is a reference, e.g. `aws_dynamodb_table.x.arn` or `!GetAtt T.Arn`."""
    attr = ref.attr.lower()
    if attr in STREAM_ATTRS:
        return NO  # a stream is another resource type
    if is_data_source(ref.address):
        return _match_data_ref(ref, table)
    if is_module_output(ref.address):
        if ref.value is not None:
            return match_pattern(ref.value, table)
        return unknown(f"the pattern is {ref}, a module output that may be this table's ARN")
    if attr in ARN_ATTRS:
        # A replica's ARN is in its own Region: the reference names the primary table only.
        if not same_table(ref, table.address):
            return NO
        if table.replica_region is None:
            return YES
        if table.maybe_primary:
            return unknown(f"{ref} names the replica in the stack's own Region, and this replica "
                           f"is that one only if the stack deploys to {table.replica_region} "
                           "(pin it with --parameter AWS::Region=...)")
        return NO
    kind = resource_type(ref.address)
    if kind is not None and kind != TABLE_TYPE and kind.startswith("aws_"):
        return NO  # an attribute of another kind of resource is not a table's ARN
    if attr in NAME_ATTRS:
        return NO  # a bare table name is not an ARN; AWS Backup matches ARNs
    if ref.value is not None:
        return match_pattern(ref.value, table)
    return unknown(f"the pattern is {ref}, whose value is not known statically")


def _match_data_ref(ref: Ref, table: Table) -> Res:
    """A table read by a data source: it may be this one; compare by name when decided."""
    value = ref.value
    if value is None:
        return unknown(f"the pattern is {ref}, a table read by a data source that may be this one")
    if value.startswith("arn:"):
        return _match_arn(tuple(glob_atoms(value)), table)
    if isinstance(table.name, str):
        return YES if table.name == value else NO
    return unknown(
        f"the table's name is unknown ({table.name.reason}) and {ref} reads table {value!r}"
    )
