"""Writes analyzer/hcl/hcl_parser.json: the HCL parser's LALR tables as plain data, shipped in
the package so that a first run after install never builds them (issue 13).

Run it after upgrading python-hcl2 or Lark, or after changing the grammar or its encoding in
analyzer/hcl/grammar.py; tests/hcl/test_packaged_parser.py fails until the file is fresh.

    python scripts/gen_parser_data.py
"""

from __future__ import annotations

import sys

from analyzer.hcl import grammar


def main() -> int:
    raw = grammar.grammar_text()
    entry = grammar.packaged_entry(grammar._build(raw.decode("utf-8")), raw)
    if not entry:
        print("the parser did not serialize to plain data", file=sys.stderr)
        return 1
    grammar.PACKAGED_DATA.write_bytes(entry)
    print(f"wrote {grammar.PACKAGED_DATA} ({len(entry)} bytes), key {grammar.packaged_key(raw)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
