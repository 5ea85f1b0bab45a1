"""Where a Terragrunt unit's module code is: `terraform { source = ... }`.

A local path (relative to the unit's directory, or absolute as `${get_terragrunt_dir()}/..`
makes it), with go-getter's `//subdir` (`../modules//dynamodb`: the folder is copied whole, the
subdirectory is the module); a registry (`tfr:///ns/name/provider?version=`) or git source that
terraform.registry knows; anything else is a remote module this scan cannot read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_REMOTE = re.compile(r"^(?:[a-z0-9]+::|[a-z][a-z0-9+.-]*://|git@|[a-z0-9-]+(?:\.[a-z0-9-]+)+/)",
                     re.IGNORECASE)


@dataclass(frozen=True)
class LocalSource:
    directory: Path  # the module's directory (the subdirectory of a `//` source)


@dataclass(frozen=True)
class RemoteSource:
    address: str  # as terraform.registry's knowledge spells sources


def classify(source: str, unit_dir: Path) -> LocalSource | RemoteSource:
    """A local folder, or a remote address (a `tfr://` registry source as its module address,
    git and other sources as written, without an empty `//` subdirectory)."""
    text = source.strip()
    if text.startswith("file://"):
        text = text[len("file://"):]
    if not _REMOTE.match(text) or re.match(r"^[a-zA-Z]:[\\/]", text):
        base, _, sub = text.partition("//") if not text.startswith("//") else (text, "", "")
        base = base.split("?", 1)[0]
        folder = Path(os.path.normpath(unit_dir / base / sub.split("?", 1)[0]))
        return LocalSource(folder)
    if text.lower().startswith("tfr://"):
        address = text[len("tfr://"):].split("?", 1)[0]
        address = address.lstrip("/")  # tfr:/// is the default registry
        return RemoteSource(address)
    head, sep, sub = text.partition("?")[0], "?", text.partition("?")[2]
    if "//" in head.split("://", 1)[-1]:
        before, _, subdir = head.rpartition("//")
        head = before if subdir.strip("/") == "" else head
    return RemoteSource(head + (sep + sub if sub else ""))
