"""The plan's `configuration` section: which provider configuration a resource uses (its Region
and default tags), and what an expression the plan leaves unknown refers to.

The configuration shows an expression as a constant or as the list of its references
(`aws_dynamodb_table.x.arn`, `module.m.arn`, `var.v`), never its structure. A list of
references is resolved only when each one leads to a resource attribute (through module outputs,
module arguments and root variable values); anything else is Unknown with the reference named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from analyzer.model import Pattern, Ref, Tags, Unknown
from analyzer.plan.changes import Change, module_steps

Json = Any
MAX_DEPTH = 20  # module outputs through module arguments: far deeper than real code nests
_RESOURCE_REF = re.compile(
    r'^((?:data\.)?[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?)'
    r"\.([A-Za-z_][A-Za-z0-9_]*)$")
_MODULE_REF = re.compile(
    r'^module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.([A-Za-z_][A-Za-z0-9_-]*)$')
_NOT_SHOWN = ("local.", "each.", "count.", "path.", "terraform.", "self.")


def _mapping(value: Json) -> Mapping[str, Json]:
    return value if isinstance(value, Mapping) else {}


class Configuration:
    def __init__(self, data: Mapping[str, Json]) -> None:
        config = _mapping(data.get("configuration"))
        self.root = _mapping(config.get("root_module"))
        self.providers = _mapping(config.get("provider_config"))
        self.variables = _mapping(data.get("variables"))
        self.present = bool(config)

    def module(self, module: str) -> Mapping[str, Json] | None:
        """The configuration of the module at instance address `module` (keys ignored)."""
        node: Mapping[str, Json] = self.root
        for name, _key in module_steps(module):
            call = _mapping(_mapping(node.get("module_calls")).get(name))
            if not call:
                return None
            node = _mapping(call.get("module"))
        return node

    def resource(self, change: Change) -> Mapping[str, Json] | None:
        found = self.module(change.module)
        for res in (found or {}).get("resources") or []:
            if isinstance(res, Mapping) and res.get("mode", "managed") == "managed" and res.get(
                    "address") == f"{change.type}.{change.name}":
                return res
        return None

    def expressions(self, change: Change) -> Mapping[str, Json] | None:
        res = self.resource(change)
        return None if res is None else _mapping(res.get("expressions"))

    def _provider(self, change: Change) -> Mapping[str, Json] | Unknown:
        res = self.resource(change)
        if res is None:
            return Unknown(f"the plan's configuration does not show {change.address}")
        key = str(res.get("provider_config_key", ""))
        return _mapping(_mapping(self.providers.get(key)).get("expressions"))

    def region(self, change: Change) -> str | Unknown:
        provider = self._provider(change)
        if isinstance(provider, Unknown):
            return provider
        if "region" not in provider:
            return Unknown("the provider sets no region (it came from the environment when the "
                           "plan was made)")
        value = self.constant(_mapping(provider["region"]), "the provider's region")
        return value if isinstance(value, (str, Unknown)) else Unknown(
            "the provider's region is not a string")

    def default_tags(self, change: Change) -> Tags:
        provider = self._provider(change)
        if isinstance(provider, Unknown):
            return Tags({}, provider)
        blocks = provider.get("default_tags") or []
        if not blocks:
            return Tags()
        tags = _mapping(blocks[0]).get("tags") if isinstance(blocks, list) else None
        if tags is None:
            return Tags()
        value = self.constant(_mapping(tags), "the provider's default_tags")
        if isinstance(value, Unknown):
            return Tags({}, value)
        if not isinstance(value, Mapping):
            return Tags({}, Unknown("the provider's default_tags are not a map"))
        return Tags({str(k): str(v) for k, v in sorted(value.items())})

    def constant(self, expr: Mapping[str, Json], what: str) -> Json:
        """A constant, or a root variable's value; otherwise Unknown."""
        refs = expr.get("references")
        if not refs and "constant_value" in expr:
            return expr["constant_value"]
        full = _full(list(refs or []))
        if len(full) == 1 and full[0].startswith("var."):
            name = full[0][4:]
            if name in self.variables:
                return _mapping(self.variables[name]).get("value")
        return Unknown(f"{what} is {', '.join(full) or 'an expression'}, "
                       "which the plan does not show")

    def patterns(self, module: str, expr: Mapping[str, Json], depth: int = 0
                 ) -> tuple[Pattern, ...] | Unknown:
        """The resource patterns an expression written in `module` denotes."""
        refs = expr.get("references")
        if not refs and "constant_value" in expr:
            return _as_patterns(expr["constant_value"])
        if depth > MAX_DEPTH:
            return Unknown("module outputs nest too deep to follow")
        out: list[Pattern] = []
        for ref in _full(list(refs or [])):
            found = self._reference(module, str(ref), depth)
            if isinstance(found, Unknown):
                return found
            out.extend(found)
        return tuple(out) if out else Unknown("the expression has no reference the plan shows")

    def _reference(self, module: str, ref: str, depth: int) -> tuple[Pattern, ...] | Unknown:
        prefix = f"{module}." if module else ""
        if ref.startswith("var."):
            return self._variable(module, ref[4:], depth)
        if ref.startswith("module."):
            return self._output(module, ref, depth)
        if ref.startswith(_NOT_SHOWN):
            return Unknown(f"{ref} is not shown by the plan")
        found = _RESOURCE_REF.match(ref)
        if found is None:
            return Unknown(f"{ref} names a whole resource, and the plan does not show which "
                           "of its attributes or instances are used")
        return (Ref(prefix + found.group(1), found.group(2)),)

    def _variable(self, module: str, name: str, depth: int) -> tuple[Pattern, ...] | Unknown:
        if not module:
            if name not in self.variables:
                return Unknown(f"var.{name} has no value in the plan")
            return _as_patterns(_mapping(self.variables[name]).get("value"))
        steps = module_steps(module)
        parent = ".".join(f"module.{n}{k}" for n, k in steps[:-1])
        caller = self.module(parent) or {}
        call = _mapping(_mapping(caller.get("module_calls")).get(steps[-1][0]))
        expr = _mapping(call.get("expressions")).get(name)
        if not isinstance(expr, Mapping):
            return Unknown(f"var.{name} of {module} is not set by its call")
        return self.patterns(parent, expr, depth + 1)

    def _output(self, module: str, ref: str, depth: int) -> tuple[Pattern, ...] | Unknown:
        found = _MODULE_REF.match(ref)
        if found is None:
            return Unknown(f"{ref} is a whole module, whose use the plan does not show")
        name, key, output = found.groups()
        inner = f"{module + '.' if module else ''}module.{name}{key or ''}"
        config = self.module(inner)
        expr = _mapping(_mapping(_mapping((config or {}).get("outputs")).get(output)))
        if not expr.get("expression"):
            return Unknown(f"{ref}: the plan does not show that output")
        return self.patterns(inner, _mapping(expr["expression"]), depth + 1)


def _full(refs: list[str]) -> list[str]:
    """The references that are not only the prefix of a longer one (Terraform lists both
    `aws_dynamodb_table.x.arn` and `aws_dynamodb_table.x`)."""
    return [r for r in refs if not any(
        o != r and o.startswith(r) and o[len(r)] in ".[" for o in refs)]


def _as_patterns(value: Json) -> tuple[Pattern, ...] | Unknown:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if all(isinstance(i, str) for i in items):
        return tuple(items)
    return Unknown("the value is not a list of strings")
