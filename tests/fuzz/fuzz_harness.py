"""What the two fuzz suites share (issue 15 item 16): the example budget, writing a generated
input to a temporary directory, the properties every scan must keep, and text mutations.

Budget: CI runs a small fixed number of examples, derandomized, so it is deterministic and fast.
`IAC_DDB_LINT_FUZZ_EXAMPLES=5000` (see scripts/fuzz.sh) runs more, with a random seed.

Properties of every input, scanned through `analyzer.pipeline.scan([dir])`:
1. no exception escapes scan(), and no scan takes longer than HANG_SECONDS (a hang);
2. every verdict has evidence and a status in {protected, unprotected, unknown}; every error
   names a file and a line;
3. determinism: the same files in two different directories give the same JSON report;
4. soundness (when the generator says the input can hold no protection): no table is protected.

A crash already reported (KNOWN_CRASHES: exception type, analyzer file and function) does not fail
the fuzz tests, so that CI stays green while it is open; tests/fuzz/test_fuzz_regressions.py holds
its minimal input as a strict xfail, which fails once the bug is fixed: then remove both entries.
`IAC_DDB_LINT_FUZZ_COLLECT=DIR` (a long run, scripts/fuzz.sh) records every new crash in DIR, one
file per signature, and goes on fuzzing instead of stopping at the first.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from analyzer.catalog import load_rules
from analyzer.cli import main
from analyzer.engine import evaluate
from analyzer.model import Evidence, Status, Tri
from analyzer.pipeline import ScanResult, scan
from analyzer.report import json as json_report

EXAMPLES_ENV = "IAC_DDB_LINT_FUZZ_EXAMPLES"
LONG_EXAMPLES = int(os.environ.get(EXAMPLES_ENV, "0") or 0)
HANG_SECONDS = float(os.environ.get("IAC_DDB_LINT_FUZZ_HANG_SECONDS", "20"))
COLLECT = os.environ.get("IAC_DDB_LINT_FUZZ_COLLECT", "")
SLOW_SECONDS = 2.0  # a scan slower than this is recorded in COLLECT mode (not a failure)
STATUSES = {s.value for s in Status}
ANALYZER = Path(__file__).resolve().parents[2] / "analyzer"

# (exception type, analyzer module, function or "*") of crashes reported and awaiting a fix; each
# has a strict xfail with its minimal input in test_fuzz_regressions.py.
KNOWN_CRASHES: set[tuple[str, str, str]] = set()  # none open
EXAMPLES_SEEN = [0]

Files = Mapping[str, bytes]  # relative path -> content


def fuzz_settings(ci_examples: int) -> settings:
    """`ci_examples` in CI (derandomized: the same inputs every run, no example database);
    IAC_DDB_LINT_FUZZ_EXAMPLES of them, random, when set."""
    common = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                  HealthCheck.large_base_example, HealthCheck.filter_too_much],
        "print_blob": True,
    }
    if LONG_EXAMPLES:
        return settings(max_examples=LONG_EXAMPLES, derandomize=False, database=None, **common)
    return settings(max_examples=ci_examples, derandomize=True, database=None, **common)


class Hang(BaseException):
    """A scan ran longer than HANG_SECONDS. Not an Exception: the analyzer's `except Exception`
    (the evaluator's safety net) must not swallow it."""


@contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    def alarm(_signum: int, _frame: object) -> None:
        raise Hang(f"scan took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_tree(root: Path, files: Files) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@contextmanager
def tree(files: Files) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="ddb-fuzz-"))
    try:
        write_tree(root, files)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report_json(result: ScanResult) -> str:
    """The JSON report as seen from the scanned directory (reported paths are relative to the
    working directory), so that the same files anywhere give the same report."""
    rules = load_rules()
    here = os.getcwd()
    os.chdir(result.root)
    try:
        return json_report.render(result, evaluate(result, rules), rules)
    finally:
        os.chdir(here)


def check_result(result: ScanResult) -> None:
    """Property 2: verdicts are well formed, errors name where."""
    for verdict in result.verdicts:
        assert verdict.status.value in STATUSES, verdict
        assert verdict.evidence, f"verdict without evidence: {verdict.table.address}"
        for item in verdict.evidence:
            assert isinstance(item, Evidence), item
            assert isinstance(item.applies, Tri), item
            assert isinstance(item.message, str) and item.message, item
    for error in result.inventory.errors:
        assert error.location.file, error
        assert not os.path.isabs(error.location.file), error
        assert error.location.line >= 1 and error.location.col >= 0, error
        assert error.message, error


def signature(exc: BaseException) -> tuple[str, str, str]:
    """Exception type and the innermost analyzer frame (module path, function)."""
    where = ("", "")
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(ANALYZER):
            where = (path.relative_to(ANALYZER).as_posix(), frame.name)
    return (type(exc).__name__, *where)


def _record(kind: str, files: Files, detail: str) -> None:
    out = Path(COLLECT)
    out.mkdir(parents=True, exist_ok=True)
    name = "".join(c if c.isalnum() else "_" for c in kind)[:120]
    target = out / f"{name}.txt"
    if kind.startswith("slow") or not target.exists():
        body = {k: v.decode("utf-8", "backslashreplace") for k, v in files.items()}
        target.write_text(f"{detail}\n--- input ---\n{json.dumps(body, indent=1)}\n")


def check_scan(files: Files, *, sound: bool = False) -> ScanResult | None:
    """Properties 1-4 for one generated input (`sound`: the input can protect no table)."""
    try:
        return _check_scan(files, sound)
    except (Exception, Hang) as exc:
        sig = signature(exc)
        if sig in KNOWN_CRASHES or (*sig[:2], "*") in KNOWN_CRASHES:
            event(f"known crash {sig}")
            return None
        if not COLLECT:
            raise
        _record("-".join(sig) or type(exc).__name__, files, "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return None


def _check_scan(files: Files, sound: bool) -> ScanResult:
    EXAMPLES_SEEN[0] += 1
    if COLLECT and EXAMPLES_SEEN[0] % 50 == 0:
        Path(COLLECT).mkdir(parents=True, exist_ok=True)
        (Path(COLLECT) / f"examples-{os.getpid()}.count").write_text(f"{EXAMPLES_SEEN[0]}\n")
    with tree(files) as first, tree(files) as second, time_limit():
        start = time.monotonic()
        result = scan([str(first)])  # property 1: an exception here fails the test
        took = time.monotonic() - start
        text = report_json(result)
        again = report_json(scan([str(second)]))
    if COLLECT and took > SLOW_SECONDS:
        _record(f"slow-{took:.1f}s-{id(files)}", files, f"scan took {took:.1f} s")
    check_result(result)
    assert text == again, "the same files in another directory gave another JSON report"
    json.loads(text)
    if sound:
        protected = [v.table.address for v in result.verdicts if v.status is Status.PROTECTED]
        assert not protected, f"protected with no PITR and no backup at all: {protected}"
    return result


def check_cli(files: Files) -> None:
    """The CLI (`--format json`) twice: no internal error, exit 0/1/2, the same output. Inputs
    that crash scan() itself are left to check_scan (a known crash is not reported twice)."""
    if check_scan(files) is None:
        return
    try:
        _check_cli(files)
    except (Exception, Hang) as exc:
        if not COLLECT:
            raise
        _record(f"cli-{type(exc).__name__}-{str(exc)[:60]}", files, "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)))


def _check_cli(files: Files) -> None:
    with tree(files) as root:
        runs = []
        for _ in range(2):
            with time_limit():
                run = CliRunner().invoke(main, [str(root), "--format", "json", "--no-color"])
            assert "internal error" not in run.output, run.output
            assert run.exception is None or isinstance(run.exception, SystemExit), run.exc_info
            assert run.exit_code in (0, 1, 2), (run.exit_code, run.output)
            runs.append((run.exit_code, run.stdout))
        assert runs[0] == runs[1], "two CLI runs on the same files differ"
        json.loads(runs[0][1])


# --- mutations -------------------------------------------------------------------------------

ODD_TEXT = [
    "\x00", "\ufeff", "\u202e", "\u2028", "\u2029", "\u200b", "\r", "\r\n", "\t", "\x0b", "\x0c",
    "\x1b[31m", "\x7f", "\x85", "\u0301", "\U0001d518", "\U0001f600", "\uffff", "é", "İ", "ǅ",
    "{", "}", "[", "]", "(", ")", "${", "%{", "$${", "\"", "'", "\\", "#", "//", "/*", "*/",
    "<<EOT\n", "\nEOT\n", "=", ":", ",", "...", "=>", "?", "!", "&a ", "*a", "<<: ", "--- ",
    "9" * 400, "1e999999", "-0", "0x1F", "1.7976931348623157e309", "NaN", "Infinity",
]


def _insert(text: str, at: int, piece: str) -> str:
    at = min(at, len(text))
    return text[:at] + piece + text[at:]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """`text`, often unchanged, else with a few mutations, encoded (mostly UTF-8)."""
    ops = draw(st.lists(st.sampled_from([
        "truncate", "delete", "duplicate", "insert", "brace", "deep", "number", "swap_case",
    ]), max_size=3))
    for op in ops:
        n = len(text)
        at = draw(st.integers(0, max(n, 0)))
        if op == "truncate":
            text = text[:at]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "duplicate":
            text = _insert(text, at, text[at:at + draw(st.integers(1, 80))])
        elif op == "insert":
            text = _insert(text, at, draw(st.sampled_from(ODD_TEXT)))
        elif op == "brace":
            text = _insert(text, at, draw(st.sampled_from("{}[]()\"'")) * draw(st.integers(1, 4)))
        elif op == "deep":
            depth = draw(st.sampled_from([50, 300, 999, 1001, 3000]))
            left, right = draw(st.sampled_from([("[", "]"), ("(", ")"), ("{", "}"),
                                                ("[{a=", "}]"), ("!", "")]))
            text = _insert(text, at, left * depth + "1" + right * depth)
        elif op == "number":
            text = _insert(text, at, draw(st.sampled_from(["9" * 5000, "1e400", "-1e-400",
                                                           "18446744073709551617", "0.1e-9999"])))
        elif op == "swap_case":
            text = text[:at] + text[at:at + 20].swapcase() + text[at + 20:]
    encoding = draw(st.sampled_from(["utf-8"] * 12 + ["utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")

