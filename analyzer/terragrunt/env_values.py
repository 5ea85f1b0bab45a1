"""A unit's inputs as the values Terraform reads from the `TF_VAR_` variables Terragrunt sets.

Terragrunt writes a string input as it is and any other value as JSON; Terraform reads the text
literally for a variable with no type or a primitive type (then converts it: `"false"` to
`false` for a bool; an untyped variable keeps the string), and as an HCL expression for a
complex type (the JSON value itself). A null input, or a value that is not fully known where
its text matters, is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.hcl.string_functions import json_text
from analyzer.hcl.types import PRIMITIVES
from analyzer.hcl.values import is_number, number_text, unknown_of
from analyzer.model import Partial, Ref, Unknown
from analyzer.terraform.inputs import FileValue
from analyzer.terraform.typed_variables import Declaration
from analyzer.terragrunt.merge import Inputs


def as_env_values(inputs: Inputs, declared: Mapping[str, Declaration]) -> dict[str, object]:
    """Declared variable -> its value from the inputs (only those the inputs give), as a
    `FileValue` where the input's position is known, so a value that does not convert is an
    error at the input (Terraform's own message names the declaration, which helps less)."""
    out: dict[str, object] = {}
    for name, decl in declared.items():
        given, value = inputs.value(name)
        if given:
            read = _as_read(name, value, decl)
            at = inputs.at.get(name)
            # A JSON list read as HCL is a tuple: literal() marks it so, as for a tfvars entry.
            out[name] = FileValue(read, at) if at is not None else read
    return out


def _as_read(name: str, value: object, decl: Declaration) -> object:
    if isinstance(value, (Unknown, Ref, Partial)):
        return value
    if value is None:
        return Unknown(f"input {name} is null, which Terragrunt does not pass as a TF_VAR_ value")
    if decl.type is not None and decl.type.kind not in PRIMITIVES:
        return value  # read as HCL: the JSON of the value is the value
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)  # type: ignore[arg-type]
    missing = _first_unknown(value)
    if missing is not None:
        return Unknown(f"input {name} is not fully known: {missing.reason}")
    try:
        return json_text(value)
    except (TypeError, ValueError):
        return Unknown(f"input {name} is not fully known")


def _first_unknown(value: object) -> Unknown | None:
    pending = [value]
    while pending:
        item = pending.pop()
        found = unknown_of(item)
        if found is not None or isinstance(item, (Ref, Partial)):
            return found or Unknown("a value is known only after apply")
        if isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return None
