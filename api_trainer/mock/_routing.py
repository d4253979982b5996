"""Spec-driven routing: match a request path against the spec's path templates, extract path parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..specs import Operation, Spec

__all__ = ["RouteMatch", "Router"]

_TEMPLATE_PARAM = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class RouteMatch:
    operation: Operation
    path_params: dict[str, str]

    @property
    def template(self) -> str:
        return self.operation.path

    @property
    def path_values(self) -> list[str]:
        """The path parameters in template order, for handlers that do not care about their names."""
        return list(self.path_params.values())


class Router:
    """Routes of one spec. Literal paths win over templated ones (``/v1/customers/search`` over ``{id}``)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._literal: dict[tuple[str, str], Operation] = {}
        self._templated: list[tuple[re.Pattern[str], str, Operation]] = []
        self._paths: dict[str, set[str]] = {}
        templated: list[tuple[int, re.Pattern[str], str, Operation]] = []
        for op in spec.operations():
            names = _TEMPLATE_PARAM.findall(op.path)
            self._paths.setdefault(op.path, set()).add(op.method)
            if not names:
                self._literal[(op.method, op.path)] = op
                continue
            regex = "".join(
                re.escape(piece) if index % 2 == 0 else f"(?P<p{index // 2}>[^/]+)"
                for index, piece in enumerate(_TEMPLATE_PARAM.split(op.path))
            )
            templated.append((len(names), re.compile(f"^{regex}$"), op.method, op))
        templated.sort(key=lambda item: item[0])
        self._templated = [(pattern, method, op) for _, pattern, method, op in templated]

    def match(self, method: str, path: str) -> RouteMatch | None:
        op = self._literal.get((method, path))
        if op is not None:
            return RouteMatch(op, {})
        for pattern, op_method, op in self._templated:
            if op_method != method:
                continue
            found = pattern.match(path)
            if found is not None:
                names = _TEMPLATE_PARAM.findall(op.path)
                return RouteMatch(op, {name: found.group(f"p{i}") for i, name in enumerate(names)})
        return None

    def allowed_methods(self, path: str) -> set[str]:
        """Methods the spec has for ``path`` (for a 405-style answer); empty when the path is unknown."""
        methods = set(self._paths.get(path, set()))
        for pattern, method, _ in self._templated:
            if pattern.match(path):
                methods.add(method)
        return methods
