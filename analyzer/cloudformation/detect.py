"""Is a file a CloudFormation template? Decided by content, whatever the extension.

Two stages keep discovery cheap: `may_be_template` peeks at the bytes with regular expressions
(no YAML parser imported), and `is_template` confirms on the parsed data. A file
that passes the peek but fails to parse is reported as an error; one that parses but is not a
template (a workflow that mentions `AWS::`) is skipped quietly.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from analyzer import boundary

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
PEEK_BYTES = 256 * 1024  # read first; the rest only when the head decides nothing

# Linear-time patterns (no `^\s*` under re.M, no unbounded nested quantifiers): a key,
# quoted or not, tagged or explicit (`? Type`), then at most a few YAML decorations before
# the value (a tag such as `!!str`, an anchor, a block scalar indicator).
_DECOR = rb"""(?:(?:![^\s]{0,64}|&[^\s]{0,64}|[|>][-+0-9]{0,2})\s+){0,4}"""
_VERSION = re.compile(rb"""AWSTemplateFormatVersion["']?\s*:""")  # a literal first: fast
_RESOURCES = re.compile(rb"""Resources["']?\s*:""")
_AWS_TYPE = re.compile(rb"""Type["']?\s*:\s*""" + _DECOR + rb"""["']?AWS::""")
# YAML and JSON escapes that could spell a marker (`"AWS::DynamoDB::\x54able"`).
_ESCAPE = re.compile(
    rb"""\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|\r?\n[ \t]*)""")


def may_be_template(path: str) -> bool:
    """True when the file looks like a template: the format version key, or a `Resources` key
    and a `Type: AWS::...` entry, in UTF-8 (a BOM is fine) or UTF-16/32 (the loader then says
    it is not UTF-8), escapes decoded. A file over the size cap that looks like one is True
    too: the loader reports it, never a silent skip. Only regular files inside the repository
    are read, at most the size cap (a FIFO named x.yaml neither hangs nor is read)."""
    if not path.endswith(TEMPLATE_SUFFIXES):
        return False
    try:
        with boundary.open_regular(path) as handle:
            head = handle.read(PEEK_BYTES)
            if _looks_like_template(head):
                return True
            rest = handle.read(boundary.MAX_FILE_BYTES - len(head)) if len(
                head) == PEEK_BYTES else b""
    except PermissionError:
        return True  # it may be one: the loader reports that it cannot be read (fail closed)
    except (OSError, ValueError):
        return False
    return bool(rest) and _looks_like_template(head + rest)


def _looks_like_template(raw: bytes) -> bool:
    text = _as_utf8(raw)
    if _markers(text):
        return True
    return b"\\" in text and _markers(_ESCAPE.sub(_unescape, text))


def _markers(text: bytes) -> bool:
    if _VERSION.search(text):
        return True
    return bool(_RESOURCES.search(text) and _AWS_TYPE.search(text))


def _as_utf8(raw: bytes) -> bytes:
    """UTF-16 and UTF-32 (by BOM) re-encoded as UTF-8, so that the patterns see them."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace").encode("utf-8", errors="replace")
    return raw.removeprefix(codecs.BOM_UTF8)


def _unescape(match: re.Match[bytes]) -> bytes:
    digits = next((g for g in match.groups() if g is not None), None)
    if digits is None:
        return b""  # a line continued with a backslash in a double-quoted scalar
    code = int(digits, 16)
    return chr(code).encode("utf-8", errors="replace") if code < 0x110000 else b"?"


def is_template(data: object) -> bool:
    """The parsed document is a template: a mapping with `AWSTemplateFormatVersion`, or whose
    `Resources` mapping holds at least one entry typed `AWS::...` or a `Fn::ForEach` loop."""
    if not isinstance(data, Mapping):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, Mapping):
        return False
    return any(
        (isinstance(res, Mapping) and str(res.get("Type", "")).startswith("AWS::"))
        or str(key).startswith("Fn::ForEach::")  # resources a loop makes
        for key, res in resources.items()
    )
