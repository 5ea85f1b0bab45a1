"""Built-in knowledge of popular registry modules, so they are judged without `terraform init`.

The knowledge is data (`known_modules.yaml` beside this module): for each module, its documented
inputs with their defaults, the values it computes that we cannot (each with the reason), and a
small Terraform model of the resources it declares, with the real resource names, `count`/`for_each`
and outputs, so that addresses (`module.orders.aws_dynamodb_table.this[0]`) and output
references bind exactly as they would after `terraform init`. Every line of the model reports
the line of the module call. A computed map may list the only keys it can hold (cloudposse's
label tags), so that a tag selection by any other key certainly does not match.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from analyzer.hcl.parse import Body, parse_hcl
from analyzer.model import Location, PartialMap, Unknown
from analyzer.terraform.files import TfFile, TfModuleSource
from analyzer.terraform.module_tree import Target

DATA = Path(__file__).resolve().parent / "known_modules.yaml"
_REGISTRY_HOST = "registry.terraform.io/"


@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict[str, Any]]:
    """Known modules by every spelling of their source (registry address, repository)."""
    import yaml

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for entry in data["modules"]:
        out[entry["source"].lower()] = entry
        for alias in entry.get("repositories", []):
            out[alias.lower()] = entry
    return out


def normalize(source: str) -> str:
    """`registry.terraform.io/a/b/aws`, `git::https://github.com/a/b.git?ref=v1` and
    `github.com/a/b?ref=v1` to `a/b/aws` / `github.com/a/b` (a `//subdir` is kept: a submodule
    is another module)."""
    text = source.strip().lower()
    text = text.removeprefix("git::").removeprefix("https://").removeprefix("ssh://")
    text = text.removeprefix("git@").replace("github.com:", "github.com/", 1)
    text = text.removeprefix(_REGISTRY_HOST)
    text = text.split("?", 1)[0]
    head, sep, sub = text.partition("//")
    return head.removesuffix(".git") + sep + sub


def known_module(source: str, where: Location, directory: Path) -> Target | None:
    """The `Target` of a known module called at `where`, or None."""
    entry = _catalog().get(normalize(source))
    if entry is None:
        return None
    body = parse_hcl(_terraform_text(entry["source"]))
    _relocate(body, where.line)
    file = TfFile(Path(where.file), where.file, body)
    computed = {name: _computed(spec) for name, spec in (entry.get("computed") or {}).items()}
    return Target(TfModuleSource(directory, [file]), f"known:{entry['source']}", computed)


def _computed(spec: object) -> object:
    """A value the module computes: unknown (the reason), or a map of unknown values whose
    possible keys the knowledge lists (a label module's tags: only those keys may appear)."""
    if isinstance(spec, dict):
        why = Unknown(" ".join(str(spec["reason"]).split()))
        keys = spec.get("keys")
        return PartialMap({}, why, frozenset(map(str, keys)) if keys is not None else None)
    return Unknown(str(spec))


@cache
def _terraform_text(source: str) -> str:
    entry = _catalog()[source.lower()]
    variables = "".join(
        f'variable "{name}" {{\n  default = {json.dumps(default)}\n}}\n'
        for name, default in sorted((entry.get("inputs") or {}).items())
    )
    return variables + str(entry["terraform"])


def _relocate(body: Body, line: int) -> None:
    """Every block and argument of the model is reported at the module call's line."""
    for attribute in body.attributes.values():
        attribute.line = line
    for block in body.blocks:
        block.line = block.end_line = line
        _relocate(block.body, line)
