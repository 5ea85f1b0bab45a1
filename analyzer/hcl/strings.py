"""HCL string literal escapes (HCL native syntax spec: "Template Literals")."""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _replace(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE.get(code, "\\" + code)


def unescape(raw: str) -> str:
    """Resolve backslash escapes and the `$${` / `%%{` literal markers of one string chunk."""
    text = _ESCAPE.sub(_replace, raw) if "\\" in raw else raw
    return text.replace("$${", "${").replace("%%{", "%{")
