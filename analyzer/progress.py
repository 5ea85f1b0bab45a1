"""Progress of a run, for whoever listens (the command line's progress line on a terminal).

The pipeline says how far loading has got; it neither knows nor cares whether anyone shows it.
No listener (a library call, a test): each step costs one global read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[int, int], None]  # (units loaded so far, units in the run)

_listener: Listener | None = None


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Within it, `step` calls `listener`."""
    global _listener
    saved = _listener
    _listener = listener
    try:
        yield
    finally:
        _listener = saved


def step(done: int, total: int) -> None:
    """`done` of the run's `total` units are loaded."""
    if _listener is not None:
        _listener(done, total)
