"""Every command-line option is in the README's Usage options table (a new option that is not
documented there fails here)."""

from __future__ import annotations

import re

from support.paths import REPO

from analyzer.cli import main


def _usage_table() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    usage = text.split("\n## Usage\n", 1)[1].split("\n### ", 1)[0]
    return "\n".join(line for line in usage.splitlines() if line.startswith("| `"))


def test_every_option_is_in_the_usage_table() -> None:
    table = _usage_table()
    documented = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", table))
    missing = []
    for param in main.params:
        names = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
        for name in names:
            if name.startswith("-") and name not in documented:
                missing.append(name)
    assert not missing, f"README.md's Usage table does not name: {', '.join(missing)}"
