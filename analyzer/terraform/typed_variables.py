"""A `variable` block's type constraint, default and nullability, applied to the values it is
given (a root module's tfvars, -var and TF_VAR_ values; a module call's arguments).

Terraform converts every value to the variable's type (see hcl.convert) and rejects a value
that does not convert: "Invalid value for input variable" at the value (a tfvars entry, a
module argument) or at the declaration (-var, TF_VAR_). Such a variable's value is unknown
here and the error makes the root unreadable, so none of its tables is judged on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.hcl.convert import ConversionError, ListValue, checked_type, convert
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Block
from analyzer.hcl.types import Type, TypeSyntaxError
from analyzer.model import LoadError, Location, Unknown
from analyzer.terraform.files import TfFile

_NO_DEFAULT = Unknown("no default")  # a marker: identity tells it apart from a real Unknown


@dataclass
class Declaration:
    """One variable block, its type parsed and its default converted."""

    name: str
    location: Location  # the block, as Terraform names it: "declared at main.tf:1"
    type: Type | None  # None: no type constraint (any value, kept as it is)
    nullable: bool = True
    default: object = _NO_DEFAULT
    errors: list[LoadError] = field(default_factory=list)

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT


def declare(file: TfFile, block: Block) -> Declaration:
    """Read a variable block: an invalid type or default is an error at its position."""
    attributes = block.body.attributes
    name = block.labels[0]
    decl = Declaration(name, Location(file.rel, block.line, 1), None)
    type_attr = attributes.get("type")
    if type_attr is not None:
        try:
            decl.type = checked_type(type_attr.expr)
        except (TypeSyntaxError, RecursionError) as error:
            decl.errors.append(LoadError(Location(file.rel, type_attr.line, type_attr.col),
                                         f"invalid type constraint for var.{name}: {error}"))
            decl.type = None
            decl.default = Unknown(f"var.{name} has an invalid type constraint")
            return decl
    nullable = attributes.get("nullable")
    decl.nullable = nullable is None or evaluate(nullable.expr, {}) is not False
    default = attributes.get("default")
    if default is not None:
        value = literal(evaluate(default.expr, {}), decl.type)
        try:
            decl.default = value if decl.type is None else convert(value, decl.type)
        except (ConversionError, RecursionError) as error:
            decl.errors.append(LoadError(
                Location(file.rel, default.line, default.col),
                f'invalid default value for variable "{name}": this default value is not '
                f"compatible with the variable's type constraint: {error}"))
            decl.default = Unknown(f"the default of var.{name} does not fit its type")
    return decl


def literal(value: object, kind: Type | None) -> object:
    """A value written literally (a default, a tfvars entry): a list there is a tuple, which
    an untyped variable keeps (and `for_each` rejects)."""
    untyped = kind is None or kind.kind == "any"
    if untyped and isinstance(value, list) and not isinstance(value, ListValue):
        return ListValue(value, "tuple")
    return value


def typed_value(
    decl: Declaration, value: object, where: Location | None, who: str, how: str = ""
) -> tuple[object, LoadError | None]:
    """The variable's value when given `value`: converted, or its default for a null given
    to a non-nullable variable. `where` is where the value was given (None: name the
    declaration, with `how` saying how it was set, as Terraform does for -var and TF_VAR_)."""
    at = where or decl.location
    declared = f"{who} declared at {decl.location.file}:{decl.location.line}"
    if value is None and not decl.nullable:
        if decl.has_default:
            return decl.default, None
        return _invalid(decl, at, f"required variable may not be set to null: the given value "
                                  f"is not suitable for {declared}")
    if decl.type is None:
        return value, None
    try:
        return convert(value, decl.type), None
    except RecursionError:
        return Unknown(f"the value of var.{decl.name} is nested too deeply to convert"), None
    except ConversionError as error:
        said = (f"unsuitable value for {who} set using {how}" if where is None and how
                else f"the given value is not suitable for {declared}")
        return _invalid(decl, at, f"invalid value for input variable: {said}: {error}")


def _invalid(decl: Declaration, at: Location, message: str) -> tuple[Unknown, LoadError]:
    return Unknown(f"the value given to var.{decl.name} is invalid"), LoadError(at, message)
