"""Which JSON properties are nested blocks, per context, for Terraform's JSON syntax.

JSON cannot tell `point_in_time_recovery { enabled = true }` (a block) from `tags = { ... }` (a map
argument): Terraform asks the provider schema. We carry a small table for the resource types this
tool reads, plus Terraform's own meta blocks. A property not listed is read as an argument, so an
unlisted block of a type we never evaluate costs nothing, and nothing here guesses a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Schema:
    """How to read one block body: its nested block types, their label counts, and the arguments
    whose strings are not templates."""

    blocks: Mapping[str, Schema] = field(default_factory=dict)
    labels: int = 0  # labels this block type takes (resource 2, dynamic 1, ...)
    raw: frozenset[str] = frozenset()  # strings are expressions (`provider = "aws.west"`)
    literal: frozenset[str] = frozenset()  # values are literal, never templates (variable default)
    dynamic: bool = True  # whether `dynamic` is a block here (not in locals, variable, ...)


def _s(blocks: Mapping[str, Schema] | None = None, labels: int = 0,
       raw: tuple[str, ...] = ()) -> Schema:
    return Schema(MappingProxyType(dict(blocks or {})), labels, frozenset(raw))


EMPTY = _s()
_LIFECYCLE = _s({"precondition": EMPTY, "postcondition": EMPTY},
                raw=("ignore_changes", "replace_triggered_by"))
_META = {"lifecycle": _LIFECYCLE, "connection": EMPTY,
         "provisioner": _s({"connection": EMPTY}, labels=1)}
_CONDITION = _s(dict.fromkeys(
    ("string_equals", "string_like", "string_not_equals", "string_not_like"), EMPTY))
_THROUGHPUT = {"on_demand_throughput": EMPTY, "warm_throughput": EMPTY}

# Nested blocks of the resource types the Terraform loader reads (AWS provider 5.x/6.x schemas).
RESOURCE_BLOCKS: Mapping[str, Mapping[str, Schema]] = {
    "aws_dynamodb_table": {
        "attribute": EMPTY, "ttl": EMPTY, "point_in_time_recovery": EMPTY,
        "server_side_encryption": EMPTY, "replica": EMPTY, "local_secondary_index": EMPTY,
        "global_secondary_index": _s(_THROUGHPUT), "timeouts": EMPTY,
        "import_table": _s({"input_format_options": _s({"csv": EMPTY}),
                            "s3_bucket_source": EMPTY}),
        **_THROUGHPUT,
    },
    "aws_dynamodb_table_replica": {"timeouts": EMPTY},
    "aws_dynamodb_global_table": {"replica": EMPTY, "timeouts": EMPTY},
    "aws_backup_selection": {"selection_tag": EMPTY, "condition": _CONDITION},
    "aws_backup_plan": {
        "rule": _s({"lifecycle": EMPTY, "copy_action": _s({"lifecycle": EMPTY})}),
        "advanced_backup_setting": EMPTY,
    },
    "aws_backup_vault": {"timeouts": EMPTY},
    "aws_iam_role": {"inline_policy": EMPTY},
}
DATA_BLOCKS: Mapping[str, Mapping[str, Schema]] = {
    "aws_iam_policy_document": {
        "statement": _s(dict.fromkeys(("principals", "not_principals", "condition"), EMPTY)),
    },
}
PROVIDER_BLOCKS: Mapping[str, Mapping[str, Schema]] = {
    "aws": {"default_tags": EMPTY, "ignore_tags": EMPTY, "endpoints": EMPTY,
            "assume_role": EMPTY, "assume_role_with_web_identity": EMPTY},
}


def _no_dynamic(schema: Schema, literal: tuple[str, ...] = ()) -> Schema:
    return Schema(schema.blocks, schema.labels, schema.raw, frozenset(literal), dynamic=False)


# Top-level block types: labels and body. `resource`, `data` and `provider` bodies depend on
# their first label (see `body_schema`). Other top-level keys are ignored: Terraform rejects them.
TOP_LEVEL: Mapping[str, Schema] = {
    "resource": _s(labels=2),
    "data": _s(labels=2),
    "ephemeral": _s(labels=2),
    "provider": _s(labels=1),
    "module": _no_dynamic(_s(labels=1, raw=("providers", "depends_on"))),
    "variable": Schema(MappingProxyType({"validation": EMPTY}), 1, frozenset({"type"}),
                       frozenset({"default"}), dynamic=False),
    "output": _no_dynamic(_s({"precondition": EMPTY}, labels=1, raw=("depends_on",))),
    "locals": _no_dynamic(EMPTY),
    "terraform": _no_dynamic(_s({"required_providers": _no_dynamic(EMPTY),
                                 "backend": _no_dynamic(_s(labels=1)),
                                 "cloud": _no_dynamic(_s({"workspaces": EMPTY}))})),
    "moved": _no_dynamic(_s(raw=("from", "to"))),
    "import": _no_dynamic(_s(raw=("to", "provider"))),
    "removed": _no_dynamic(_s({"lifecycle": EMPTY}, raw=("from",))),
    "check": _no_dynamic(_s({"assert": EMPTY}, labels=1)),
}


def body_schema(block_type: str, labels: list[str]) -> Schema:
    """The schema of a top-level block's body, given its labels."""
    top = TOP_LEVEL[block_type]
    first = labels[0] if labels else ""
    if block_type in ("resource", "data", "ephemeral"):
        table = RESOURCE_BLOCKS if block_type == "resource" else DATA_BLOCKS
        raw = ("provider", "depends_on")
        return _s({**_META, **table.get(first, {})}, raw=raw)
    if block_type == "provider":
        return _s(PROVIDER_BLOCKS.get(first, {}))
    return top


def dynamic_schema(parent: Schema, labels: list[str]) -> Schema:
    """`dynamic "<name>" { for_each, iterator, content { ... } }`: content reads as <name> would."""
    return _s({"content": parent.blocks.get(labels[0], EMPTY)}, labels=1, raw=("iterator",))
