#!/usr/bin/env bash
# A longer fuzzing run by hand (issue 15 item 16); CI runs tests/fuzz with a small fixed budget.
#
#   scripts/fuzz.sh                          # 5000 random examples per fuzz test, stop at a crash
#   IAC_DDB_LINT_FUZZ_EXAMPLES=20000 scripts/fuzz.sh -k cloudformation
#   IAC_DDB_LINT_FUZZ_COLLECT=/tmp/crashes scripts/fuzz.sh   # record every new crash, keep going
#
# A failing example is shrunk by hypothesis and printed with a @reproduce_failure blob. Turn each
# crash into a regression test in tests/fuzz/test_fuzz_regressions.py (the literal minimal input).
set -euo pipefail
cd "$(dirname "$0")/.."
export IAC_DDB_LINT_FUZZ_EXAMPLES="${IAC_DDB_LINT_FUZZ_EXAMPLES:-5000}"
exec python -m pytest -q -p no:cacheprovider -m fuzz tests/fuzz "$@"
