"""Resources and data sources as values that expressions can reference."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.parse import Block
from analyzer.model import Partial, Ref, Unknown
from analyzer.terraform.lazy import CycleSafeCache

if TYPE_CHECKING:
    from analyzer.terraform.context import Instance, ModuleContext

# Attributes whose value exists only after apply but whose identity we keep, per type.
_TABLE_NAME_ATTRS = frozenset({"name", "id"})


class ResourceObject(Mapping[str, object]):
    """`aws_dynamodb_table.x` as an expression sees it: configured arguments evaluate in the
    instance's scope; computed attributes are `Ref`s that keep the resource's identity."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self._cache: CycleSafeCache[str, object] = CycleSafeCache()

    def __getitem__(self, attr: str) -> object:
        return self._cache.get(
            attr,
            lambda: self._compute(attr),
            lambda: Unknown(f"{self.instance.address}.{attr} refers to itself"),
        )

    def _compute(self, attr: str) -> object:
        inst = self.instance
        if inst.type == "aws_dynamodb_table" and attr in _TABLE_NAME_ATTRS:
            name = inst.attr("name")
            return Ref(inst.address, "name", name if isinstance(name, str) else None)
        if attr == "tags_all":
            from analyzer.terraform.tags import tags_all_value

            return tags_all_value(inst.attr("tags"), inst.provider.default_tags)
        attributes = inst.block.body.attributes
        if attr in attributes:
            return evaluate(attributes[attr].expr, inst.scope)
        nested = [b for b in inst.block.body.blocks if b.type == attr]
        if nested:
            return [_block_value(b, inst.scope) for b in nested]
        return Ref(inst.address, attr)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.instance.block.body.attributes))

    def __len__(self) -> int:
        return len(self.instance.block.body.attributes)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)  # every attribute name can be read: computed ones are Refs


def _block_value(block: Block, scope: Mapping[str, object]) -> dict[str, object]:
    return {name: evaluate(a.expr, scope) for name, a in sorted(block.body.attributes.items())}


class DataObject(Mapping[str, object]):
    """`data.<type>.<name>`: read at plan time, so mostly unknown; a few AWS data sources still
    say something useful (an existing table's ARN has its name in it)."""

    def __init__(self, key: str, block: Block, module: ModuleContext) -> None:
        self.key = key
        self.block = block
        self.module = module

    def __getitem__(self, attr: str) -> object:
        rtype = self.key.split(".", 1)[0]
        address = f"{self.module.prefix}data.{self.key}"
        later = Unknown(f"data.{self.key}.{attr} is read from AWS at plan time")
        if rtype == "aws_dynamodb_table" and attr in ("arn", "name", "id"):
            name = self._arg("name")
            if attr != "arn":
                return name if isinstance(name, str) else later
            if not isinstance(name, (str, Ref, Partial)):
                return later
            where = Unknown("the partition, Region and account of an existing table")
            tail = name.parts if isinstance(name, Partial) else (name,)
            return Partial(("arn:", where, ":dynamodb:", where, ":", where, ":table/", *tail))
        if rtype == "aws_region" and attr in ("name", "region", "id"):
            region = self.module.provider_for(self.block).region
            return region if isinstance(region, str) else later
        if attr in self.block.body.attributes:
            return self._arg(attr)
        return Ref(address, attr)

    def _arg(self, name: str) -> object:
        attribute = self.block.body.attributes.get(name)
        return None if attribute is None else evaluate(attribute.expr, self.module.scope)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.block.body.attributes))

    def __len__(self) -> int:
        return len(self.block.body.attributes)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)
