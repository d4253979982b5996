"""Readable summaries of a spec's operations, as data for ``specs show`` and ``specs list``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._model import Operation, Spec


@dataclass(frozen=True)
class FieldSummary:
    name: str
    location: str  # path, query, header, cookie, or body
    type: str
    required: bool
    description: str = ""


@dataclass(frozen=True)
class ResponseSummary:
    status: str
    description: str
    media_types: tuple[str, ...]


@dataclass(frozen=True)
class OperationSummary:
    method: str
    path: str
    operation_id: str | None
    summary: str
    description: str
    deprecated: bool
    fields: tuple[FieldSummary, ...]
    request_media_types: tuple[str, ...]
    responses: tuple[ResponseSummary, ...]

    @property
    def error_statuses(self) -> tuple[str, ...]:
        return tuple(r.status for r in self.responses if not r.status.startswith(("1", "2", "3")))


@dataclass(frozen=True)
class SpecSummary:
    source: str
    title: str
    version: str
    openapi_version: str
    operations: tuple[OperationSummary, ...]


def summarise_spec(spec: Spec, operation_id: str | None = None) -> SpecSummary:
    operations = spec.operations()
    if operation_id is not None:
        operations = [op for op in operations if op.operation_id == operation_id]
    return SpecSummary(
        spec.source,
        spec.title,
        spec.version,
        spec.openapi_version,
        tuple(summarise_operation(spec, op) for op in operations),
    )


def summarise_operation(spec: Spec, operation: Operation) -> OperationSummary:
    fields = [
        FieldSummary(
            str(p["name"]),
            str(p["in"]),
            describe_type(spec, p.get("schema")),
            bool(p.get("required", False)),
            first_line(p.get("description")),
        )
        for p in spec.parameters(operation)
    ]
    media_types: tuple[str, ...] = ()
    body = spec.get(operation.node, "requestBody")
    if isinstance(body, dict):
        content = spec.get(body, "content") or {}
        media_types = tuple(content)
        if content:
            schema = spec.get(next(iter(content.values())), "schema")
            fields.extend(_body_fields(spec, schema))
    responses = []
    for status, response in (spec.get(operation.node, "responses") or {}).items():
        response = spec.deref(response)
        content = spec.get(response, "content") or {}
        responses.append(
            ResponseSummary(str(status), first_line(response.get("description")), tuple(content))
        )
    return OperationSummary(
        operation.method,
        operation.path,
        operation.operation_id,
        str(operation.node.get("summary") or ""),
        str(operation.node.get("description") or ""),
        bool(operation.node.get("deprecated", False)),
        tuple(fields),
        media_types,
        tuple(responses),
    )


def _body_fields(spec: Spec, schema: Any) -> list[FieldSummary]:
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return []
    required = set(schema.get("required") or [])
    properties = spec.deref(schema.get("properties") or {})
    return [
        FieldSummary(
            str(name),
            "body",
            describe_type(spec, prop),
            name in required,
            first_line(spec.deref(prop).get("description") if isinstance(spec.deref(prop), dict) else None),
        )
        for name, prop in properties.items()
    ]


def describe_type(spec: Spec, schema: Any, depth: int = 0) -> str:
    """``string``, ``integer (int64)``, ``array of string``, ``object``, ``string | Charge``."""
    name = _ref_name(schema)
    schema = spec.deref(schema)
    if not isinstance(schema, dict) or depth > 3:
        return name or "any"
    for combiner in ("anyOf", "oneOf"):
        if combiner in schema:
            return " | ".join(describe_type(spec, s, depth + 1) for s in schema[combiner])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    if kind == "array":
        return f"array of {describe_type(spec, schema.get('items'), depth + 1)}"
    if kind == "object" and name:
        return name
    text = str(kind or name or ("object" if "properties" in schema or "allOf" in schema else "any"))
    if "format" in schema:
        text += f" ({schema['format']})"
    if "enum" in schema:
        text += " enum: " + ", ".join(str(v) for v in schema["enum"][:6])
        if len(schema["enum"]) > 6:
            text += ", ..."
    return text


def _ref_name(schema: Any) -> str | None:
    pointer = Spec.ref_of(schema)
    return pointer.rsplit("/", 1)[-1] if pointer else None


def first_line(text: Any) -> str:
    """The first paragraph of a description, its source line breaks folded into spaces."""
    paragraphs = paragraphs_of(text)
    return paragraphs[0] if paragraphs else ""


def paragraphs_of(text: Any) -> list[str]:
    """A description's paragraphs (blank-line separated), each folded onto one line for re-wrapping."""
    if not isinstance(text, str):
        return []
    return [" ".join(block.split()) for block in text.strip().split("\n\n") if block.strip()]
