"""Writes analyzer/rules.json: the rule files of rules/ as one JSON document, which a run reads
instead of the YAML (no YAML parser on a Terraform-only run; issue 13, start-up).

Run it after editing a rule file; tests/test_rules_data.py fails until the file is fresh.

    python scripts/gen_rules_data.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from analyzer import catalog

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    text = catalog.rules_document(ROOT / "rules")
    catalog.RULES_DATA.write_text(text, encoding="utf-8")
    print(f"wrote {catalog.RULES_DATA} ({len(text)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
