"""Tags as AWS sees them: a resource's `tags` merged over the provider's `default_tags`."""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.hcl.values import number_text
from analyzer.model import PartialMap, Ref, Tags, Unknown, union_keys


def tags_all_value(tags: object, default_tags: object) -> object:
    """`tags_all` as a value: provider default tags first, the resource's own tags win."""
    return to_value(merge_tags(to_tags(default_tags), to_tags(tags)))


def merge_tags(base: Tags, top: Tags) -> Tags:
    """Keys of `top` win; when `top` may hold keys nobody can see, the values `base` alone gives
    may be overridden and so become unknown."""
    known: dict[str, str | Unknown] = {}
    for key, value in base.known.items():
        known[key] = top.more if top.may_have(key) and top.more is not None else value
    known.update(top.known)
    if top.more is None or base.more is None:
        keys = top.more_keys if top.more is not None else base.more_keys
    else:
        keys = union_keys(top.more_keys, base.more_keys)
    return Tags(dict(sorted(known.items())), top.more or base.more, keys)


def to_tags(value: object) -> Tags:
    if value is None:
        return Tags()
    if isinstance(value, Unknown):
        return Tags({}, value)
    if isinstance(value, PartialMap):
        return Tags(_known(value.known), value.more, value.keys)
    if isinstance(value, Mapping):
        return Tags(_known(value))
    return Tags({}, Unknown(f"tags are not a map ({type(value).__name__})"))


def to_value(tags: Tags) -> object:
    if tags.more is None:
        return dict(tags.known)
    return PartialMap(dict(tags.known), tags.more, tags.more_keys)


def _known(items: Mapping[str, object]) -> dict[str, str | Unknown]:
    return {str(k): tag_text(items[k]) for k in sorted(items, key=str)}


def tag_text(value: object) -> str | Unknown:
    """A tag value as the string AWS stores; unknown unless the code decides it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)  # as Terraform converts a number to a string
    if isinstance(value, Ref) and value.value is not None:
        return value.value
    if isinstance(value, Unknown):
        return value
    return Unknown(f"tag value {value} is only known after apply")
