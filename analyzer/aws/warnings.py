"""Constructs in a selection that AWS does not support or handles differently than it reads."""

from __future__ import annotations

from analyzer.aws.arn_atoms import NAME_ATTRS, RESOURCE_FIELD
from analyzer.aws.selection import fields_of
from analyzer.aws.tag_match import normalize_op
from analyzer.model import BackupSelection, Location, Partial, Pattern, Ref, TagCondition, Unknown


def selection_warnings(selection: BackupSelection) -> list[tuple[str, Location]]:
    """Warnings with where they apply, in a stable order: patterns, tags, the whole selection."""
    names = fields_of(selection)
    out: list[tuple[str, Location]] = []
    for field_name, patterns in (
        (names[0], selection.resources),
        (names[1], selection.not_resources),
    ):
        if not isinstance(patterns, Unknown):
            out += [
                (w, selection.location) for p in patterns for w in _pattern_warnings(p, field_name)
            ]
    for field_name, conds in ((names[2], selection.list_of_tags), (names[3], selection.conditions)):
        if not isinstance(conds, Unknown):
            out += [w for c in conds for w in _tag_warnings(c, field_name, names[2])]
    if selection.resources == () and selection.list_of_tags == ():
        message = (
            f"neither {names[0]} nor {names[2]} is set: AWS rejects the selection "
            "(\"Either 'ListOfTags' or 'Resources' must be non-empty\")"
        )
        out.append((message, selection.location))
    out += [(note, selection.location) for note in selection.notes]
    return out


def _pattern_warnings(pattern: Pattern, field_name: str) -> list[str]:
    if isinstance(pattern, Ref):
        if pattern.attr.lower() in NAME_ATTRS:
            return [f"{field_name} entry {pattern} is a table name, not an ARN: it selects nothing"]
        return []
    if isinstance(pattern, Unknown):
        return []
    text = str(pattern)
    literal = pattern if isinstance(pattern, str) else _literal_text(pattern)
    resource = (
        literal.split(":", RESOURCE_FIELD)[-1] if literal.count(":") >= RESOURCE_FIELD else ""
    )
    if "*" in resource.rstrip("*"):
        return [
            f'{field_name} pattern "{text}" has a "*" inside the resource name; AWS Backup '
            'documents only a trailing "*", so it may not select what it says'
        ]
    if isinstance(pattern, str) and pattern != "*" and not pattern.startswith("arn:"):
        return [f'{field_name} pattern "{text}" is not an ARN: it selects nothing']
    return []


def _literal_text(pattern: Partial) -> str:
    # Unknown and referenced pieces become a neutral letter: they are not wildcards.
    return "".join(p if isinstance(p, str) else "x" for p in pattern.parts)


def _tag_warnings(
    cond: TagCondition, field_name: str, tags_field: str
) -> list[tuple[str, Location]]:
    op = normalize_op(cond.op)
    if op is None:
        return [
            (f"{field_name} operator {cond.op!r} is not one AWS Backup supports", cond.location)
        ]
    if field_name == tags_field and op != "StringEquals":
        return [(f"{field_name} supports only STRINGEQUALS, not {cond.op!r}", cond.location)]
    return []
