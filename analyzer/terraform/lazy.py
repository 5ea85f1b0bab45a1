"""Lazy mappings for Terraform's named values: evaluated on first use, cycles become Unknown."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Generic, TypeVar

from analyzer.model import Unknown

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class CycleSafeCache(Generic[K, V]):
    """Values computed once per key. Terraform references form a graph evaluated on demand; a
    request for a key whose value is still being computed is a cycle Terraform would reject,
    so it gets `on_cycle()` instead of recursing forever."""

    def __init__(self) -> None:
        self._values: dict[K, V] = {}
        self._busy: set[K] = set()

    def get(self, key: K, compute: Callable[[], V], on_cycle: Callable[[], V]) -> V:
        if key in self._values:
            return self._values[key]
        if key in self._busy:
            return on_cycle()
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._values[key] = value
        return value


class LazyMap(Mapping[str, object]):
    """A mapping whose values are computed on first access and then kept; evaluating on demand
    follows the reference graph without ordering the blocks first (cycles become Unknown)."""

    def __init__(
        self, keys: list[str], compute: Callable[[str], object], describe: Callable[[str], str]
    ) -> None:
        self._keys = keys
        self._key_set = frozenset(keys)
        self._compute = compute
        self._describe = describe
        self._cache: CycleSafeCache[str, object] = CycleSafeCache()

    def __getitem__(self, key: str) -> object:
        if key not in self._key_set:
            raise KeyError(key)
        return self._cache.get(
            key,
            lambda: self._compute(key),
            lambda: Unknown(f"{self._describe(key)} refers to itself"),
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._key_set


def traversal_text(expr: object) -> str | None:
    """`aws.west` for a bare traversal expression (as in `provider = aws.west`), else None."""
    from analyzer.hcl.syntax_tree import Token, Tree

    parts: list[str] = []
    node = expr
    while isinstance(node, Tree):
        if node.data == "expr_term" and len(node.children) == 1:
            node = node.children[0]
        elif node.data == "get_attr_expr_term":
            attr = node.children[1]
            parts.append(str(attr.children[-1].children[0]))
            node = node.children[0]
        elif node.data == "identifier":
            parts.append(str(node.children[0]))
            break
        else:
            return None
    if not parts or isinstance(node, Token):
        return None
    return ".".join(reversed(parts))
