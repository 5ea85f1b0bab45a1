"""The line of a key in a TOML document (tomllib gives none): headers, dotted and quoted keys,
arrays of tables, and text inside multi-line strings that only looks like a key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analyzer.cli.config_file import read_config
from analyzer.cli.toml_lines import line_of

DOCUMENT = '''# a comment: fail-on = "x"
title = """
fail-on = "not a key"
"""

[tool]
black.line-length = 100

[tool . 'iac-ddb-lint']
"format" = "json"
fail-on = "warning"
var = [
  "a=b",
]

[[tool.iac-ddb-lint.external-selection]]
tag = "a"

[[tool.iac-ddb-lint.external-selection]]
tag = "b"
inline = { x = 1 }

[tool.iac-ddb-lint.external-selection.sub]
y = 2
'''


def test_every_key_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(DOCUMENT)
    config = read_config(str(path), ("tool", "iac-ddb-lint"))
    assert config is not None
    assert set(config.settings) == {"format", "fail-on", "var", "external-selection"}
    root = ("tool", "iac-ddb-lint")
    expected = {
        ("title",): 2,
        ("tool", "black", "line-length"): 7,
        root: 9,
        (*root, "format"): 10,
        (*root, "fail-on"): 11,
        (*root, "var"): 12,
        (*root, "external-selection"): 16,
        (*root, "external-selection", 0): 16,
        (*root, "external-selection", 0, "tag"): 17,
        (*root, "external-selection", 1): 19,
        (*root, "external-selection", 1, "tag"): 20,
        (*root, "external-selection", 1, "inline"): 21,
        (*root, "external-selection", 1, "inline", "x"): 21,  # inside an inline table
        (*root, "external-selection", 1, "sub", "y"): 24,
        (*root, "nothing"): 9,  # not in the file: the table's line
        ("elsewhere",): 1,
    }
    assert {path: line_of(config.lines, path) for path in expected} == expected


def test_version_reads_no_configuration(tmp_path: Path) -> None:
    """`--version` stays instant: no TOML parser is imported, even beside a configuration."""
    (tmp_path / ".iac-ddb-lint.toml").write_text('format = "json"\n')
    (tmp_path / "pyproject.toml").write_text("[tool.iac-ddb-lint]\n")
    code = (
        "import sys\nfrom analyzer.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({'tomllib', 'tomli', 'difflib'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.splitlines()[-1] == "[]"
