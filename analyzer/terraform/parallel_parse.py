"""Parse many uncached `.tf` files at once across CPU cores, before the loader asks for them.

Parsing (Lark, pure Python) is most of a cold run. When discovery has found more files to parse
than a threshold, worker processes parse them ahead, and the parent puts each result where
`files.parse_file` looks first (`files.remember`). Only the parent reads files (inside the
repository boundary); a worker gets text and returns the parsed body or the syntax error, so the
bounds of `parse_hcl` (file and literal sizes, nesting depth) hold in workers as in-process.
Results are keyed by file, not by arrival, so the order workers finish in changes nothing of
the output. Bodies travel back by pickle over the pool's pipes (in memory, never from disk).
Anything that goes wrong in the pool leaves the file to be parsed in-process as before.

`IAC_DDB_LINT_PARSE_JOBS=1` turns it off; `=N` uses N processes. Off on one CPU.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.hcl.parse import Body

JOBS_VARIABLE = "IAC_DDB_LINT_PARSE_JOBS"
MIN_FILES = 8  # more uncached files than this, or
MIN_BYTES = 256 << 10  # more bytes of them than this, and the pool pays for its start
MAX_JOBS = 8


def jobs() -> int:
    """How many processes may parse: the variable, else the CPUs this process may use."""
    given = os.environ.get(JOBS_VARIABLE, "").strip()
    if given.isdigit():
        return max(1, min(int(given), 64))
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    return max(1, min(usable, MAX_JOBS))


def prefetch(directories: list[Path]) -> int:
    """Parse the uncached `.tf` files of `directories` in worker processes when there are
    enough of them; returns how many were parsed that way (0: the pool was not worth it)."""
    count = jobs()
    if count < 2:
        return 0
    pending = _uncached(directories)
    size = sum(len(text) for _, _, text in pending)
    if len(pending) <= MIN_FILES and size <= MIN_BYTES:
        return 0
    return _parse_in_pool(pending, min(count, len(pending)))


def _uncached(directories: list[Path]) -> list[tuple[Path, tuple[str, int, int], str]]:
    from analyzer.hcl.parse import is_cached
    from analyzer.terraform.files import configuration_files, file_key, is_known, read_text

    out = []
    seen: set[tuple[str, int, int]] = set()
    for directory in directories:
        for path in configuration_files(directory):
            if not path.name.endswith(".tf"):
                continue  # .tf.json: the JSON parser is quick
            key = file_key(path)
            if key is None or key in seen or is_known(key):
                continue
            seen.add(key)
            text, _ = read_text(path, path.name)  # errors: parse_file reports them later
            if text is not None and not is_cached(text):
                out.append((path, key, text))
    return out


def _parse_in_pool(pending: list[tuple[Path, tuple[str, int, int], str]], workers: int) -> int:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from analyzer.hcl.parse import HclSyntaxError
    from analyzer.hcl.tree_cache import is_enabled, prune_once
    from analyzer.terraform.files import remember

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Largest first, so that no worker is left with a big file at the end.
    order = sorted(range(len(pending)), key=lambda i: (-len(pending[i][2]), i))
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_setup,
                                 initargs=(is_enabled(),)) as pool:
            futures = [(i, pool.submit(_parse, pending[i][0].name, pending[i][2])) for i in order]
            for i, future in futures:
                try:
                    parsed = future.result()
                except Exception:  # a result that did not come back: parsed here instead
                    continue
                remember(pending[i][1], HclSyntaxError(*parsed) if isinstance(parsed, tuple)
                         else parsed)
                done += 1
    except (OSError, RuntimeError):  # no processes on this system, a broken pool
        pass
    prune_once()
    return done


def _worker_setup(cache_enabled: bool) -> None:
    import signal

    from analyzer.hcl.tree_cache import in_worker

    in_worker(cache_enabled)
    for name in ("SIGINT", "SIGTERM"):  # the parent's handlers are not for workers
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _parse(name: str, text: str) -> Body | tuple[int, int, str]:
    """The body, or the syntax error as plain values (the exception does not unpickle)."""
    from analyzer.hcl.parse import HclSyntaxError
    from analyzer.terraform.files import parse_text

    parsed = parse_text(Path(name), text)
    if isinstance(parsed, HclSyntaxError):
        return parsed.line, parsed.col, parsed.message
    return parsed
