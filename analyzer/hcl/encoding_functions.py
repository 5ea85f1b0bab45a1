"""Terraform's encoding and hash functions: base64, text encodings, URL and CSV, hashes, UUIDv5."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import urllib.parse
import uuid

from analyzer.hcl.budget import check_elements, check_text, spend
from analyzer.hcl.values import EvalError, Undecided, Value, function, need_text
from analyzer.model import Unknown


def _b64(data: bytes) -> str:
    check_text(len(data) * 4 // 3 + 4, "a base64 result")
    return base64.b64encode(data).decode("ascii")


def _unbase64(text: str) -> bytes:
    try:  # Go's decoder skips line breaks
        data = text.replace("\r", "").replace("\n", "").encode("utf-8")
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise EvalError(f"failed to decode base64 data {text!r}") from None


@function("base64encode", 1)
def _base64encode(value: Value) -> str:
    return _b64(need_text(value).encode("utf-8"))


@function("base64decode", 1)
def _base64decode(value: Value) -> str:
    data = _unbase64(need_text(value))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("the result of decoding the provided string is not valid UTF-8") from None


def _digest(algorithm: str, value: Value) -> bytes:
    return hashlib.new(algorithm, need_text(value).encode("utf-8")).digest()


for _algorithm in ("md5", "sha1", "sha256", "sha512"):
    function(_algorithm, 1)(lambda value, a=_algorithm: _digest(a, value).hex())
for _algorithm in ("sha256", "sha512"):
    function(f"base64{_algorithm}", 1)(lambda value, a=_algorithm: _b64(_digest(a, value)))


@function("urlencode", 1)
def _urlencode(value: Value) -> str:
    return urllib.parse.quote_plus(need_text(value), safe="")  # Go's url.QueryEscape


# IANA names (lower case) of the encodings modelled here -> Python codec.
_ENCODINGS = {
    "utf-8": "utf-8", "csutf8": "utf-8",
    "utf-16le": "utf-16-le", "csutf16le": "utf-16-le",
    "utf-16be": "utf-16-be", "csutf16be": "utf-16-be",
    "iso-8859-1": "latin-1", "iso_8859-1": "latin-1", "latin1": "latin-1", "l1": "latin-1",
    "iso-ir-100": "latin-1", "iso_8859-1:1987": "latin-1", "csisolatin1": "latin-1",
}


def _codec(name: Value) -> str:
    text = need_text(name, "an encoding name")
    codec = _ENCODINGS.get(text.lower())
    if codec is None:
        raise Undecided(Unknown(f"the text encoding {text!r} is not evaluated here"))
    return codec


@function("textencodebase64", 2)
def _textencodebase64(value: Value, encoding: Value) -> str:
    text, name = need_text(value), need_text(encoding, "an encoding name")
    if name.lower() in ("utf-16", "csutf16"):  # big-endian with a byte order mark, as Go writes
        return _b64(b"\xfe\xff" + text.encode("utf-16-be"))
    codec = _codec(encoding)
    try:
        return _b64(text.encode(codec))
    except UnicodeEncodeError:
        raise EvalError(f"the given string contains characters that cannot be represented in "
                        f"{need_text(encoding)}") from None


@function("textdecodebase64", 2)
def _textdecodebase64(value: Value, encoding: Value) -> str:
    data, codec = _unbase64(need_text(value)), _codec(encoding)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise Undecided(Unknown("textdecodebase64() of invalid encoded text is not "
                                "evaluated")) from None


_NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL, "oid": uuid.NAMESPACE_OID,
               "x500": uuid.NAMESPACE_X500}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@function("uuidv5", 2)
def _uuidv5(namespace: Value, name: Value) -> str:
    space = need_text(namespace, "a namespace")
    known = _NAMESPACES.get(space)
    if known is None:
        if not _UUID.fullmatch(space):
            raise Undecided(Unknown(f"uuidv5() with the namespace {space!r} is not evaluated"))
        known = uuid.UUID(space)
    return str(uuid.uuid5(known, need_text(name)))


# CSV: Go's encoding/csv with its defaults --------------------------------------------------

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_UNQUOTED = re.compile(r"[^,\r\n]*")


@function("csvdecode", 1)
def _csvdecode(value: Value) -> list[dict[str, str]]:
    records = _records(need_text(value))
    if not records:
        raise EvalError("missing header line")
    header, rows = records[0], records[1:]
    if len(set(header)) != len(header):
        raise EvalError("duplicate column name in the CSV header")
    check_elements(len(rows) * len(header), "the result of csvdecode()")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise EvalError(f"record {number}: wrong number of fields")
    return [dict(zip(header, row, strict=True)) for row in rows]


def _records(text: str) -> list[list[str]]:
    records: list[list[str]] = []
    pos = 0
    while pos < len(text):
        if text.startswith("\n", pos) or text.startswith("\r\n", pos):
            pos += 1 if text[pos] == "\n" else 2  # Go skips empty lines
            continue
        record: list[str] = []
        while True:
            spend()
            field, pos = _field(text, pos)
            record.append(field)
            if text.startswith(",", pos):
                pos += 1
                continue
            pos += 2 if text.startswith("\r\n", pos) else 1
            break
        records.append(record)
    return records


def _field(text: str, pos: int) -> tuple[str, int]:
    if text.startswith('"', pos):
        match = _QUOTED.match(text, pos)
        end = match.end() if match else -1
        if match is None or not (end == len(text) or text[end] in ",\n" or
                                 text.startswith("\r\n", end)):
            raise EvalError('extraneous or missing " in a quoted CSV field')
        return match.group(1).replace('""', '"').replace("\r\n", "\n"), end
    match = _UNQUOTED.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    field = match.group()
    if '"' in field:
        raise EvalError('bare " in a non-quoted CSV field')
    if text.startswith("\r", match.end()) and not text.startswith("\r\n", match.end()):
        raise Undecided(Unknown("csvdecode() of a lone carriage return is not evaluated"))
    return field, match.end()
