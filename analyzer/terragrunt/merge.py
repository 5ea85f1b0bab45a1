"""A unit's inputs, and how an included parent's inputs merge under the child's, as Terragrunt
merges them (`merge_strategy` of an `include` block):

- `shallow` (the default): the child's top-level keys replace the parent's;
- `deep`: maps merge key by key, recursively; lists are concatenated (parent's first); for any
  other value the child's wins;
- `no_merge`: the parent's inputs are not merged at all (handled by the caller).
Any other value (`deep_map_only` is a strategy of dependency mocks, not of includes) is not
decided here: the inputs are open.

A parent that cannot be read (or inputs that are not decided) make the inputs *open*: any key
not decided by the child may be set to an unknown value; where a deep merge would combine a
child's map or list with the parent's, that value is unknown too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzer.model import Location, Unknown

STRATEGIES = ("shallow", "deep")


@dataclass
class Inputs:
    """Decided input values by name, where each was given, and why others may exist."""

    values: dict[str, object] = field(default_factory=dict)
    at: dict[str, Location] = field(default_factory=dict)
    open: Unknown | None = None  # set: a key not in `values` may be given an unknown value

    def value(self, name: str) -> tuple[bool, object]:
        """(given?, value) of one input: an undecided key of open inputs is given, unknown."""
        if name in self.values:
            return True, self.values[name]
        if self.open is not None:
            return True, Unknown(f"input {name} may be set where it cannot be read: "
                                 f"{self.open.reason}")
        return False, None


def merge(parent: Inputs, child: Inputs, strategy: str) -> Inputs:
    """The child's inputs merged over the parent's."""
    if strategy not in STRATEGIES:
        return Inputs(open=Unknown(f"merge_strategy {strategy!r} is not decided or not known"))
    if child.open is not None:  # the child's own inputs are undecided: so is every key
        return Inputs(open=child.open)
    values = dict(parent.values)
    at = dict(parent.at)
    deep = strategy == "deep"
    for name, value in child.values.items():
        if deep and name in values:
            value = _deep(values[name], value)
        elif deep and parent.open is not None and isinstance(value, (Mapping, list)):
            value = Unknown(f"input {name} is merged with inputs that cannot be read: "
                            f"{parent.open.reason}")
        values[name] = value
        if name in child.at:
            at[name] = child.at[name]
    return Inputs(values, at, parent.open)


def _deep(parent: object, child: object) -> object:
    if isinstance(parent, Unknown) and isinstance(child, (Mapping, list)):
        return parent  # what the child's map or list merges with is not known
    if isinstance(parent, Mapping) and isinstance(child, Mapping):
        out = dict(parent)
        for key, value in child.items():
            out[key] = _deep(out[key], value) if key in out else value
        return out
    if isinstance(parent, list) and isinstance(child, list):
        return [*parent, *child]
    return child
