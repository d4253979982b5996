"""JSON pointers (RFC 6901): the one way every part of api-trainer names a place in a document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["escape", "join", "resolve_pointer", "split"]

_MISSING = object()


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join(base: str, *tokens: str | int) -> str:
    """``join("/paths", "/v1/customers", "get")`` is ``/paths/~1v1~1customers/get``."""
    return base + "".join("/" + escape(t) for t in tokens)


def split(pointer: str) -> list[str]:
    if pointer in ("", "#"):
        return []
    pointer = pointer.removeprefix("#")
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def resolve_pointer(document: Any, pointer: str | Iterable[str]) -> Any:
    """The node at ``pointer``; raises ``KeyError`` naming the first token that is not there."""
    tokens = split(pointer) if isinstance(pointer, str) else list(pointer)
    node = document
    for token in tokens:
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            node = _MISSING
        if node is _MISSING:
            raise KeyError(token)
    return node
