"""A one-line progress counter on stderr, for a run that takes a while (issue 14 item 14).

Shown only when stderr is a terminal and only once the run has taken `delay` seconds (a quick
run prints nothing); rewritten in place with a carriage return, at most every `interval`
seconds, and erased when the run ends, so the report and warnings that follow start on a clean
line. Never in a pipe, a file or a test's captured output (not a terminal). Only a carriage
return and spaces: no escape sequence a dumb terminal would print.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from analyzer import progress


class ProgressLine:
    def __init__(self, stream: TextIO | None, *, delay: float = 1.0, interval: float = 0.1,
                 clock: Callable[[], float] = time.monotonic) -> None:
        isatty = getattr(stream, "isatty", None)
        try:
            self.active = bool(stream is not None and isatty and isatty())
        except (OSError, ValueError):  # a closed stream
            self.active = False
        self.stream, self.delay, self.interval, self.clock = stream, delay, interval, clock
        self.start = clock()
        self.last_write: float | None = None
        self.shown = 0  # the length of the line on screen

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        now = self.clock()
        if now - self.start < self.delay:
            return
        if self.last_write is not None and now - self.last_write < self.interval \
                and done < total:
            return
        text = f"iac-ddb-lint: loading: {done}/{total} units"
        self._write("\r" + text.ljust(self.shown))
        self.shown, self.last_write = len(text), now

    def close(self) -> None:
        if self.active and self.shown:
            self._write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def _write(self, text: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a terminal gone: the run goes on without its counter
            self.active = False


@contextmanager
def progress_line(stream: TextIO | None) -> Iterator[ProgressLine]:
    """Show the run's progress on `stream` while the block runs; erased at its end."""
    line = ProgressLine(stream)
    try:
        with progress.listening(line):
            yield line
    finally:
        line.close()
