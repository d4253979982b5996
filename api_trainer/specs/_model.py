"""The loaded spec: one document whose references are followed lazily, when a node is read.

The diff, the mocks and the trainer all read a :class:`Spec`. None of them parses YAML or follows a
``$ref`` by hand: ``spec.deref(node)`` returns the node a reference points to (following chains, refusing
a chain that loops), and ``spec.operations()`` lists every operation with its merged parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import SpecRefError
from . import _pointers

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation of a spec: ``POST /v1/customers`` and its (unresolved) node."""

    method: str  # upper case
    path: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    pointer: str

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return value if isinstance(value, str) else None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Spec:
    """An OpenAPI 3.0/3.1 document, bundled into one tree, with lazily followed references."""

    document: dict[str, Any]
    source: str
    path: Path | None = None
    bundled_id: str | None = None
    _deref_cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def openapi_version(self) -> str:
        return str(self.document.get("openapi", ""))

    @property
    def title(self) -> str:
        info = self.document.get("info")
        return str(info.get("title", "")) if isinstance(info, dict) else ""

    @property
    def version(self) -> str:
        info = self.document.get("info")
        return str(info.get("version", "")) if isinstance(info, dict) else ""

    def lookup(self, pointer: str) -> Any:
        """The node at a JSON pointer into the document; ``SpecRefError`` when it is not there."""
        try:
            return _pointers.resolve_pointer(self.document, pointer)
        except (KeyError, ValueError) as exc:
            raise SpecRefError(f"$ref '#{pointer}' does not resolve", file=self.source) from exc

    @staticmethod
    def ref_of(node: Any) -> str | None:
        """The internal pointer a reference node points to (without ``#``), or None for a plain node."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                return ref[1:]
        return None

    def deref(self, node: Any) -> Any:
        """Follow ``node``'s ``$ref`` chain to a plain node. Siblings of ``$ref`` are ignored."""
        seen: list[str] = []
        while (pointer := self.ref_of(node)) is not None:
            if pointer in seen:
                chain = " -> ".join([*seen, pointer])
                raise SpecRefError(f"$ref chain loops without reaching a value: {chain}", file=self.source)
            seen.append(pointer)
            cached = self._deref_cache.get(pointer)
            node = cached if cached is not None else self.lookup(pointer)
            if cached is None:
                self._deref_cache[pointer] = node
        return node

    def get(self, node: Any, key: str, default: Any = None) -> Any:
        """``node[key]`` with both ``node`` and the value dereferenced."""
        node = self.deref(node)
        if not isinstance(node, dict):
            return default
        return self.deref(node[key]) if key in node else default

    @cached_property
    def _operations(self) -> list[Operation]:
        found: list[Operation] = []
        paths = self.deref(self.document.get("paths") or {})
        if not isinstance(paths, dict):
            return found
        for path, item in paths.items():
            item = self.deref(item)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                node = item.get(method)
                if isinstance(node, dict):
                    pointer = _pointers.join("/paths", path, method)
                    found.append(Operation(method.upper(), path, node, item, pointer))
        return found

    def operations(self) -> list[Operation]:
        return list(self._operations)

    def find_operation(self, operation_id: str) -> Operation | None:
        return next((op for op in self._operations if op.operation_id == operation_id), None)

    def parameters(self, operation: Operation) -> list[dict[str, Any]]:
        """The operation's parameters, resolved, with path-level ones it does not override."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (operation.path_item.get("parameters") or [], operation.node.get("parameters") or []):
            for raw in self.deref(source):
                param = self.deref(raw)
                if isinstance(param, dict) and "name" in param and "in" in param:
                    merged[(str(param["in"]), str(param["name"]))] = param
        return list(merged.values())
