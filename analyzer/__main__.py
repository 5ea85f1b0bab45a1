"""`python -m analyzer` and the `iac-ddb-lint` console script (`analyzer.__main__:entry`).

Importing the command builds a few thousand long-lived objects (classes, dataclass methods,
compiled patterns); at Python's default threshold the cyclic collector runs dozens of times
over them for nothing, about 3% of a small run. A launcher, and only a launcher, raises it
before the imports (`pipeline.scan` does the same for the scan itself).
"""

import gc

from analyzer import GC_THRESHOLD

gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])

from analyzer.cli import entry  # noqa: E402  (after the threshold, on purpose)

__all__ = ["entry"]

if __name__ == "__main__":
    entry()
