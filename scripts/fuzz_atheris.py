"""Coverage-guided fuzzing with atheris (optional; `pip install atheris`), issue 15 item 16.

It drives the hypothesis fuzz tests of tests/fuzz with atheris' bytes through hypothesis'
`fuzz_one_input`: the same generators (HCL files, templates) and the same properties, but the
choices are steered by coverage of the analyzer. A property failure or an uncaught exception is
an atheris crash (its input is saved as crash-*; replay with the same command and the file).

    python scripts/fuzz_atheris.py terraform -atheris_runs=100000
    python scripts/fuzz_atheris.py cloudformation -max_total_time=600 corpus_dir/
    python scripts/fuzz_atheris.py terraform_json crash-1234   # replay one input

Targets: terraform, terraform_sound, terraform_json, cloudformation, cloudformation_sound.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "fuzz")]

PADDING = 16 * 1024
TARGETS = {
    "terraform": ("test_fuzz_terraform", "test_terraform_configurations"),
    "terraform_sound": ("test_fuzz_terraform", "test_terraform_no_backup_is_never_protected"),
    "terraform_json": ("test_fuzz_terraform", "test_terraform_json_syntax"),
    "cloudformation": ("test_fuzz_cloudformation", "test_cloudformation_templates"),
    "cloudformation_sound": ("test_fuzz_cloudformation",
                             "test_cloudformation_no_backup_is_never_protected"),
}


def main() -> None:
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: pip install atheris (CPython on Linux or macOS)")
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    module_name, test_name = TARGETS[sys.argv.pop(1)]
    import importlib
    import pkgutil

    with atheris.instrument_imports(include=["analyzer"]):
        import analyzer  # every module now: the analyzer imports many of them lazily

        for info in pkgutil.walk_packages(analyzer.__path__, "analyzer."):
            if info.name != "analyzer.cfnlint_plugin":  # needs cfn-lint, not scanned code
                importlib.import_module(info.name)
    module = importlib.import_module(module_name)
    fuzz_one_input = getattr(module, test_name).hypothesis.fuzz_one_input

    def one_input(data: bytes) -> None:
        # zeros after libFuzzer's bytes are hypothesis' simplest choices: a short input still
        # makes a whole configuration instead of being rejected as too short
        fuzz_one_input(data + bytes(PADDING))

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
