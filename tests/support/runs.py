"""One CLI run in a fresh interpreter, reporting which modules it imported."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping

_CODE = ("import json, sys; from analyzer.cli import main\n"
         "try:\n    main(sys.argv[2:])\nexcept SystemExit:\n    pass\n"
         "tops = set(sys.argv[1].split(','))\n"
         "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in tops)),"
         " file=sys.stderr)")


def run_imports(args: list[str], packages: tuple[str, ...],
                env: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """The run's standard output, and the modules of those top-level packages it imported."""
    run = subprocess.run([sys.executable, "-c", _CODE, ",".join(packages), *args],
                         capture_output=True, text=True, env=env, check=False)
    return run.stdout, json.loads(run.stderr.strip().splitlines()[-1])
