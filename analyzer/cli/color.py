"""Whether the report is coloured (issue 14 item 14).

The conventions of no-color.org, force-color.org and bixense.com/clicolors, in this order:
--no-color, then NO_COLOR (set and not empty) never colour; FORCE_COLOR (set and not empty, any
value) or CLICOLOR_FORCE (set and not 0) colour even when standard output is not a terminal;
otherwise colour only on a terminal. Disabling wins over forcing: a user who asked for no colour
anywhere (NO_COLOR in a profile) is not overridden by a CI runner's FORCE_COLOR.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO


def use_color(no_color: bool, stream: TextIO | None,
              environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if no_color or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR") or env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed stream
        return False
