"""The IaC-neutral model: what loaders produce and what coverage and rules consume.

Every value that cannot be decided statically is an `Unknown(reason)`, never a guess. Two
refinements keep real code decidable: a `Ref` keeps the identity of a resource attribute whose value
only exists after apply (`aws_dynamodb_table.x.arn`), and a `Partial` string is known in parts
(`"arn:aws:dynamodb:${var.region}:${var.account}:table/${aws_dynamodb_table.x.name}"`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from analyzer.model.values import (
    Location,
    Partial,
    PartialMap,
    Pattern,
    Ref,
    Tri,
    Unknown,
    Value,
    union_keys,
)


@dataclass(frozen=True)
class Tags:
    """The tags AWS will see on a resource (for Terraform: `tags_all`, default tags included).

    `known` maps each key that is certainly present to its value (a value may be Unknown);
    `more` is set when further keys may exist that the code does not decide.
    """

    known: Mapping[str, str | Unknown] = field(default_factory=dict)
    more: Unknown | None = None
    more_keys: frozenset[str] | None = None  # when set with `more`: the only keys it may add

    def may_have(self, key: str) -> bool:
        """Whether a key that `known` lacks may still be present."""
        return self.more is not None and (self.more_keys is None or key in self.more_keys)


@dataclass(frozen=True)
class Pitr:
    """DynamoDB point-in-time recovery as declared: `location` is None when nothing sets it."""

    enabled: bool | Unknown
    location: Location | None = None
    recovery_days: int | Unknown | None = None  # the recovery period; None: unset, 35 days


@dataclass(frozen=True)
class Scenario:
    """One combination of deploy-time choices (CloudFormation condition and parameter values)
    under which a template declares this variant of a resource. Variants of one template are
    judged together only when their `index` is the same; `text` says it ("when IsProd is false")."""

    unit: str  # the template file
    index: int
    text: str
    choices: tuple[tuple[str, str], ...] = ()  # the choices it rests on: ("IsProd", "false")


# A *unit* is what one loader call reads: a Terraform root module directory (with the modules it
# calls) or a CloudFormation template file (with its nested stacks), relative to the scan root
# like `Location.file`. Identity is scoped by unit: a `Ref` names a resource of its own unit, so
# the same address in two units is two resources. Only what AWS evaluates at run time (tags, ARN
# patterns) reaches across units.


@dataclass(frozen=True)
class Table:
    """One DynamoDB table (or one replica of a global table) that the scanned code manages."""

    address: str
    name: str | Unknown
    region: str | Unknown
    tags: Tags
    pitr: Pitr
    location: Location
    replica_region: str | None = None  # set for a replica reported under its table's address
    # A replica that may be the resource's own table: a CloudFormation global table whose stack
    # Region is not known has one replica there, the one `Fn::GetAtt T.Arn` names.
    maybe_primary: bool = False
    label: str | None = None  # the name a user knows, when it differs from the address (CDK path)
    scenario: Scenario | None = None  # set when it differs by template conditions
    unit: str = ""  # the root module directory or template file that declares it (see above)
    name_ends: tuple[str, str] | None = None  # a name known in parts: its literal start, end


@dataclass(frozen=True)
class TagCondition:
    """One tag test of a selection. `op` is StringEquals, StringLike, StringNotEquals or
    StringNotLike; `key` is the bare tag key (any `aws:ResourceTag/` prefix removed)."""

    op: str
    key: str | Unknown
    value: str | Unknown
    location: Location


SAME_REGION = ""  # a copy destination known to be in the plan's Region, whichever that is


@dataclass(frozen=True)
class BackupPlan:
    address: str
    name: str | Unknown
    rule_count: int | Unknown
    retention_days: tuple[int | Unknown | None, ...]  # per rule; None = kept until deleted
    location: Location
    unit: str = ""
    exists: Unknown | None = None  # None: certainly exists; else why it may not (count, for_each)
    # per rule: its copy actions' destination Regions (SAME_REGION: the plan's own Region)
    copy_regions: tuple[tuple[str | Unknown, ...] | Unknown, ...] = ()


@dataclass(frozen=True)
class BackupSelection:
    """An AWS Backup resource assignment (API `BackupSelection`)."""

    address: str
    plan: Ref | str | Unknown  # the plan it belongs to, as written
    resources: tuple[Pattern, ...] | Unknown
    not_resources: tuple[Pattern, ...] | Unknown
    list_of_tags: tuple[TagCondition, ...] | Unknown  # OR over entries (StringEquals)
    conditions: tuple[TagCondition, ...] | Unknown  # AND over entries
    location: Location
    region: str | Unknown = field(default_factory=lambda: Unknown("the provider's region"))
    kind: str = "aws_backup_selection"
    notes: tuple[str, ...] = ()  # construct warnings (e.g. several condition blocks)
    # Facts outside the code a match rests on (an Organizations policy's target accounts):
    # `assumes` are said in the evidence of a match; `undecided` makes a match unknown.
    assumes: tuple[str, ...] = ()
    undecided: Unknown | None = None  # also: why the selection may not exist (count, for_each)
    scenario: Scenario | None = None  # set when it differs by template conditions
    unit: str = ""  # references in its patterns and `plan` name resources of this unit only
    rules: BackupPlan | None = None  # its own plan's rules (an Organizations policy's plan)


@dataclass(frozen=True)
class RegionSettings:
    """`aws_backup_region_settings`: whether AWS Backup manages DynamoDB in its Region."""

    address: str
    region: str | Unknown
    dynamodb_opt_in: bool | Unknown | None  # None: the setting does not mention DynamoDB
    location: Location
    unit: str = ""
    exists: Unknown | None = None  # None: certainly exists; else why it may not (count, for_each)


OUR_TOOL = "iac-ddb-lint"  # Suppression.tool of our own directive


@dataclass(frozen=True)
class Policy:
    """The policy options (aws.policy judges them); None or False: a rule not evaluated."""

    require: str = "any"
    min_pitr_days: int | None = None
    min_retention_days: int | None = None
    copy_to_another_region: bool = False
    assume_region: str | None = None

    def checks(self) -> bool:  # anything beyond the default requirement
        return (self.require != "any" or self.min_pitr_days is not None
                or self.min_retention_days is not None or self.copy_to_another_region)


@dataclass(frozen=True)
class Suppression:
    """An inline `iac-ddb-lint:ignore RULE reason` attached to one resource, or a waiver in
    another tool's syntax (`tool`) of its PITR/backup check (`waives`: the check id or command
    as written, e.g. CKV_AWS_28, ignore-block), which the engine applies to DDB001 and DDB002."""

    rule_id: str
    reason: str
    location: Location
    unit: str = ""  # it waives findings of its own unit only
    tool: str = OUR_TOOL
    waives: str = ""
    expires: str = ""  # a peer waiver's `exp:` date as written (YYYY-MM-DD); "" = never


@dataclass(frozen=True)
class LoadError:
    """An input that could not be read: the run exits 2 (fail closed)."""

    location: Location
    message: str

    def __str__(self) -> str:
        loc = self.location
        return f"{loc.file}:{loc.line}:{loc.col}: {self.message}"


@dataclass(frozen=True)
class Notice:
    """Something a loader could not analyse and the user should know about (e.g. a remote module
    that was neither resolved nor known): the engine reports it under `rule_id`."""

    rule_id: str
    resource: str
    location: Location
    message: str
    unit: str = ""
    group: str = ""  # notices of one rule and group are one finding (e.g. a module's source)


@dataclass
class Inventory:
    """Everything the loaders found in one run, across all units."""

    tables: list[Table] = field(default_factory=list)
    selections: list[BackupSelection] = field(default_factory=list)
    plans: list[BackupPlan] = field(default_factory=list)
    region_settings: list[RegionSettings] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)  # by table address
    errors: list[LoadError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # Units with an input that could not be read: no verdict of theirs may rest on what was read.
    unreadable: dict[str, LoadError] = field(default_factory=dict)

    def extend(self, other: Inventory) -> None:
        self.tables.extend(other.tables)
        self.selections.extend(other.selections)
        self.plans.extend(other.plans)
        self.region_settings.extend(other.region_settings)
        for address, items in other.suppressions.items():
            self.suppressions.setdefault(address, []).extend(items)
        self.errors.extend(other.errors)
        self.notices.extend(other.notices)
        for unit, error in other.unreadable.items():
            self.unreadable.setdefault(unit, error)


class Status(Enum):
    PROTECTED = "protected"
    UNPROTECTED = "unprotected"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """One reason for a verdict: a PITR setting or a selection, whether it applies, and where."""

    kind: str  # "pitr" | "backup_selection" | "backup_policy"
    applies: Tri
    message: str
    source: str  # address of the table (pitr) or of the selection
    location: Location | None
    # About the table as a whole rather than one selection ("no selection selects it", an input
    # that could not be read): `source` is then the table's address.
    summary: bool = False

    def sums_up(self) -> bool:
        """About the table as a whole but not its PITR (an empty source says so too)."""
        return self.kind != "pitr" and (self.summary or not self.source)


@dataclass(frozen=True)
class Verdict:
    table: Table
    status: Status
    evidence: tuple[Evidence, ...]
    required: Status | None = None  # under a policy: the `require` part alone (DDB001/DDB002)


@dataclass(frozen=True)
class Finding:
    """One rule result worth reporting (a FAIL or UNKNOWN of a rule on a resource)."""

    rule_id: str
    severity: str  # "error" | "warning"
    resource: str
    location: Location
    message: str
    suppressed: bool = False
    suppression_reason: str | None = None
    unit: str = ""  # the unit of the resource (see above): one address may occur in several


__all__ = [
    "OUR_TOOL",
    "SAME_REGION",
    "BackupPlan",
    "BackupSelection",
    "Evidence",
    "Finding",
    "Inventory",
    "LoadError",
    "Location",
    "Notice",
    "Partial",
    "PartialMap",
    "Pattern",
    "Pitr",
    "Policy",
    "Ref",
    "RegionSettings",
    "Scenario",
    "Status",
    "Suppression",
    "Table",
    "TagCondition",
    "Tags",
    "Tri",
    "Unknown",
    "Value",
    "Verdict",
    "union_keys",
]
