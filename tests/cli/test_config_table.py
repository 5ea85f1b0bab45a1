"""The README's table of configuration keys is the one the command's options make."""

from __future__ import annotations

import click
import pytest
from support.paths import REPO

from analyzer.cli import main
from analyzer.cli.config_keys import EXCLUDED, option_keys
from analyzer.cli.config_only import CONFIG_ONLY
from analyzer.cli.config_table import BEGIN, END, config_table, with_table


def test_the_readme_table_is_up_to_date() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_table(readme, config_table(main)) == readme, (
        "README.md's configuration table is out of date: run python scripts/gen_config_table.py"
    )


def test_every_option_is_a_row_or_refused_with_its_reason() -> None:
    table = config_table(main)
    keys = option_keys(main)
    for param in main.params:
        longs = [opt[2:] for opt in getattr(param, "opts", []) if opt.startswith("--")]
        key = longs[0] if longs else param.name
        assert (key in keys and f"| `{key}` |" in table) or key in EXCLUDED, key
    assert all(f"| `{key}` | " in table for key in CONFIG_ONLY)
    assert "| `paths` | array of paths | `[]` |" in table
    assert "| `output` | array of `[FORMAT:]path`s | `[]` |" in table


def test_a_new_option_gets_a_row() -> None:
    @click.command()
    @click.option("--min-pitr-days", type=click.IntRange(1, 35), default=35, help="At least.")
    @click.option("--require", type=click.Choice(["any", "pitr"]), default="any", help="Which.")
    @click.option("--honor-peer-waivers/--no-honor-peer-waivers", default=True, help="Peers'.")
    @click.option("--selections-from", multiple=True, type=click.Path(), help="From a | b.")
    def probe(**_: object) -> None:
        pass

    assert config_table(probe).splitlines()[2:6] == [
        "| `min-pitr-days` | integer, 1 to 35 | `35` | At least. |",
        "| `require` | string: `any`, `pitr` | `\"any\"` | Which. |",
        "| `honor-peer-waivers` | boolean | `true` | Peers'. |",
        "| `selections-from` | array of paths | `[]` | From a \\| b. |",
    ]


def test_the_markers_must_be_there() -> None:
    with pytest.raises(ValueError, match="config-keys"):
        with_table("# no table\n", "| x |\n")
    assert with_table(f"a\n{BEGIN}\nold\n{END}\nb\n", "new\n") == f"a\n{BEGIN}\n\nnew\n\n{END}\nb\n"
