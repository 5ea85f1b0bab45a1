"""Write the README's table of configuration keys from the command's options.

    python scripts/gen_config_table.py          # rewrite the table in README.md
    python scripts/gen_config_table.py --check  # exit 1 when README.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from analyzer.cli import main as command
from analyzer.cli.config_table import config_table, with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    wanted = with_table(text, config_table(command))
    if "--check" in argv:
        if wanted != text:
            print("README.md's configuration table is out of date: run "
                  "python scripts/gen_config_table.py", file=sys.stderr)
            return 1
        return 0
    if wanted != text:
        README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
