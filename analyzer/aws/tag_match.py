"""Tag conditions of a backup selection (ListOfTags entries and Conditions) against a table's tags.

Comparisons are case-sensitive; StringLike has `*` (any run) and `?` (one character). A negated
operator on an absent tag holds, as in IAM; AWS Backup does not document it (aws-semantics.md §2,
open), so the evidence says when a verdict rests on it.
"""

from __future__ import annotations

from analyzer.aws.glob import glob_atoms, glob_match
from analyzer.aws.outcome import NO, YES, Res, unknown
from analyzer.model import TagCondition, Tags, Tri, Unknown

_OPS = {
    "stringequals": "StringEquals",
    "stringlike": "StringLike",
    "stringnotequals": "StringNotEquals",
    "stringnotlike": "StringNotLike",
}
_SYMBOLS = {
    "StringEquals": "=",
    "StringLike": "like",
    "StringNotEquals": "!=",
    "StringNotLike": "not like",
}
_NEGATED = frozenset({"StringNotEquals", "StringNotLike"})
_TAG_PREFIX = "aws:resourcetag/"


def normalize_op(op: str) -> str | None:
    """`StringEquals` for `STRINGEQUALS`, `string_equals` or `StringEquals`; None if unsupported."""
    return _OPS.get(op.replace("_", "").lower())


def bare_key(key: str | Unknown) -> str | Unknown:
    """Keys come bare (`backup`, CDK's ListOfTags) or prefixed (`aws:ResourceTag/backup`)."""
    if isinstance(key, str) and key.lower().startswith(_TAG_PREFIX):
        return key[len(_TAG_PREFIX) :]
    return key


def describe(cond: TagCondition) -> str:
    """`backup = "daily"`, `env not like "dev*"`; unknown parts shown as `(unknown)`."""
    key = bare_key(cond.key)
    op = normalize_op(cond.op)
    symbol = _SYMBOLS[op] if op else cond.op
    key_text = key if isinstance(key, str) else "(unknown key)"
    value_text = f'"{cond.value}"' if isinstance(cond.value, str) else "(unknown value)"
    return f"{key_text} {symbol} {value_text}"


def evaluate(cond: TagCondition, tags: Tags) -> Res:
    op = normalize_op(cond.op)
    if op is None:
        return unknown(f"condition operator {cond.op!r} is not one AWS Backup supports")
    key = bare_key(cond.key)
    if isinstance(key, Unknown):
        return unknown(f"the condition's tag key is unknown ({key.reason})")
    if key not in tags.known:
        if tags.more is not None and tags.may_have(key):
            return unknown(f"the table may have a tag {key} ({tags.more.reason})")
        return _absent(op, key)
    res = _compare(op, cond.value, tags.known[key], key)
    return ~res if op in _NEGATED else res


def _absent(op: str, key: str) -> Res:
    if op not in _NEGATED:
        return NO
    return YES.with_note(
        f"the table has no tag {key}, and {op} on an absent tag is taken to hold "
        "(IAM semantics; AWS Backup does not document this case)"
    )


def _compare(op: str, wanted: str | Unknown, actual: str | Unknown, key: str) -> Res:
    """The positive test (Equals or Like) on a present tag; the caller negates Not* operators."""
    like = op in ("StringLike", "StringNotLike")
    if isinstance(wanted, Unknown):
        return unknown(f"the condition's value is unknown ({wanted.reason})")
    if like and wanted and set(wanted) == {"*"}:
        return YES  # any value of a present tag
    if isinstance(actual, Unknown):
        return unknown(f"the table's tag {key} is unknown ({actual.reason})")
    if not like:
        return YES if actual == wanted else NO
    return YES if glob_match(glob_atoms(wanted, question_mark=True), actual).tri is Tri.YES else NO
