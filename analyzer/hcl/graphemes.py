"""Terraform counts, reverses and slices strings by grapheme cluster (`length("e\u0301")` is 1).

Without a segmentation library, a string is handled by code point only where the two agree: no
combining marks, format characters (ZWJ), Hangul jamo, regional indicators, emoji modifiers or
variation selectors, and no CR LF pair. Any other string is unknown to these functions.
"""

from __future__ import annotations

import unicodedata

from analyzer.hcl.values import Undecided
from analyzer.model import Unknown

_CLUSTERING = (
    (0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),  # Hangul jamo
    (0xFE00, 0xFE0F), (0xE0100, 0xE01EF),  # variation selectors
    (0x1F1E6, 0x1F1FF), (0x1F3FB, 0x1F3FF),  # regional indicators, emoji modifiers
)


def code_points(text: str, function: str) -> str:
    """`text`, when each of its code points is a grapheme cluster of its own."""
    if text.isascii() and "\r\n" not in text:
        return text
    if "\r\n" in text or any(_joins(char) for char in text):
        raise Undecided(Unknown(f"{function}() of a string whose characters combine (grapheme "
                                "clusters) is not evaluated"))
    return text


def _joins(char: str) -> bool:
    if char.isascii():
        return False
    if unicodedata.category(char)[0] == "M" or unicodedata.category(char) == "Cf":
        return True
    point = ord(char)
    return any(low <= point <= high for low, high in _CLUSTERING)
