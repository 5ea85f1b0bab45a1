"""Parsed HCL files kept in the user cache directory, so that a warm run parses only the files
that changed (issue 13, lever 2).

An entry is the syntax tree (`hcl.syntax_tree`) of one file's text as plain JSON (never a
pickle: a cache must not be able to run code), named by the sha256 of the text and keyed by it,
the grammar, Lark's and the analyzer's versions (`user_cache` checks the key and the payload's
sha256, so a stale, corrupt, truncated or foreign entry is ignored and the file parsed again).
Only trees that parsed are kept: an error is always found by parsing. `--no-cache` turns it off
for a run.
"""

from __future__ import annotations

import contextlib
import hashlib
from typing import TYPE_CHECKING, Any

from analyzer.user_cache import cache_dir, prune, read_entry, write_entry

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from analyzer.hcl.syntax_tree import Tree

# Bump when the encoding below changes.
_FORMAT = "1"
_FOLDER = "hcl-trees"
_KEEP = 20000  # entries; the oldest beyond this are removed when a run adds some
# Deeper trees are not cached: JSON's encoder and decoder recurse once per level.
_MAX_DEPTH = 200
_META = ("line", "column", "end_line", "end_column", "start_pos", "end_pos")

_state = {"enabled": True, "pruned": False}


def set_enabled(enabled: bool) -> None:
    """`--no-cache`: parse every file, read and write no entry."""
    _state["enabled"] = enabled


def is_enabled() -> bool:
    return _state["enabled"]


def has_entry(text: str) -> bool:
    """Is there an entry for `text` (as `cached_tree` gets it)? Existence only, for the parallel
    parse to skip what a warm run loads anyway; `cached_tree` still checks the entry itself."""
    directory = cache_dir() if _state["enabled"] else None
    if directory is None:
        return False
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return (directory / _FOLDER / f"{digest}.json").is_file()


def in_worker(enabled: bool) -> None:
    """A parsing worker process: the parent's `--no-cache`, and no pruning (the parent
    prunes once, `prune_once`, so that workers do not remove each other's new entries)."""
    _state["enabled"], _state["pruned"] = enabled, True


def prune_once() -> None:
    directory = cache_dir() if _state["enabled"] and not _state["pruned"] else None
    if directory is not None and (directory / _FOLDER).is_dir():
        _state["pruned"] = True
        prune(directory / _FOLDER, "*.json", keep=_KEEP)


def cached_tree(text: str, parse: Callable[[str], Tree], grammar: Callable[[], dict[str, str]]
                ) -> Tree:
    """`parse(text)`, or the tree an earlier run stored for the same text and grammar."""
    directory = cache_dir() if _state["enabled"] else None
    if directory is None:
        return parse(text)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = {**grammar(), "tree-format": _FORMAT, "text": digest}
    path = directory / _FOLDER / f"{digest}.json"
    tree = _decode(read_entry(path, key))
    if tree is not None:
        return tree
    tree = parse(text)
    encoded = _encode(tree)
    if encoded is not None:
        with contextlib.suppress(RecursionError):  # a net under _MAX_DEPTH: left uncached
            _store(path, key, encoded)
    return tree


def _store(path: Path, key: dict[str, str], encoded: object) -> None:
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return
    write_entry(path, key, encoded)
    if not _state["pruned"]:  # once a run: each check lists the folder
        _state["pruned"] = True
        prune(path.parent, "*.json", keep=_KEEP)


def _encode(tree: Tree) -> list[Any] | None:
    """`["T", data, meta, children]` for a tree (meta: the six positions, or None when empty),
    `["K", type, value, start_pos, line, column, end_line, end_column, end_pos]` for a token;
    iterative. None when the tree is too deep to keep."""
    from analyzer.hcl.syntax_tree import Token

    def node(item: Any) -> list[Any]:
        if isinstance(item, Token):
            return ["K", item.type, str(item), item.start_pos, item.line, item.column,
                    item.end_line, item.end_column, item.end_pos]
        meta = item.meta
        positions = None if meta.empty else [getattr(meta, name, None) for name in _META]
        return ["T", item.data, positions, []]

    root = node(tree)
    stack = [(tree, root, 1)]
    while stack:
        item, out, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return None
        for child in item.children:
            encoded = node(child)
            out[3].append(encoded)
            if encoded[0] == "T":
                stack.append((child, encoded, depth + 1))
    return root


def _decode(data: object) -> Tree | None:
    """The tree `_encode` wrote, or None for anything else. Tokens are made as their own
    constructor makes them, without its per-call overhead (the hot loop of a warm run)."""
    from analyzer.hcl.syntax_tree import Meta, Token, Tree

    new_token = str.__new__

    def node(item: Any) -> Any:
        kind = item[0]
        if kind == "K":
            _, type_, value, start, line, column, end_line, end_column, end = item
            if not isinstance(value, str) or not isinstance(type_, str):
                raise ValueError
            token = new_token(Token, value)
            token.type, token.value, token.start_pos = type_, value, start
            token.line, token.column, token.end_pos = line, column, end
            token.end_line, token.end_column = end_line, end_column
            return token
        if kind != "T" or len(item) != 4 or not isinstance(item[3], list):
            raise ValueError
        meta = Meta()
        if item[2] is not None:
            meta.empty = False
            (meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos,
             meta.end_pos) = item[2]
        return Tree(item[1], [], meta)

    if not isinstance(data, list):
        return None
    try:
        root = node(data)
        stack = [(root, data)]
        while stack:
            tree, item = stack.pop()
            children = tree.children
            for child in item[3]:
                built = node(child)
                children.append(built)
                if type(built) is not Token:
                    stack.append((built, child))
    except (ValueError, TypeError, IndexError):
        return None
    return root if isinstance(root, Tree) else None
