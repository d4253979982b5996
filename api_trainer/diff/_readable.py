"""What ``diff`` checks before comparing: that the parts of a spec it reads have the shape OpenAPI gives them.

The full schema validation (``specs validate``, openapi-spec-validator) takes about 4 s for one Stripe
spec, ten times the whole diff; ``diff`` instead walks what it compares, once per node: paths, operations,
parameters (``name``, and ``in`` one of path/query/header/cookie),
request bodies and media types, and every schema an operation reaches (``type`` a JSON Schema type name,
``required`` a list of names, ``properties`` a mapping, ``enum`` a list, ``items`` a schema). A spec that
fails one of these would be compared wrongly or silently, so it is refused (exit 2), naming the first
problem; ``specs validate`` lists them all. What cannot be misread is not refused: an operation without
``responses`` (required in 3.0) compares as one with none, and descriptions, examples and servers are not
read for their shape.
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecInvalidError
from ..specs import HTTP_METHODS, Spec, escape

_TYPES = frozenset(("array", "boolean", "integer", "number", "object", "string", "null"))
_LOCATIONS = frozenset(("path", "query", "header", "cookie"))
_SUBSCHEMAS = ("not", "if", "then", "else", "contains", "propertyNames", "contentSchema")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
_MAYBE_SCHEMAS = ("additionalProperties", "unevaluatedProperties", "unevaluatedItems", "items")
#: every keyword that holds subschemas, and every keyword ``keywords`` checks: most schemas (a string with
#: a description) have none of the first and are done after one set operation
_NESTING = frozenset((*_SUBSCHEMAS, *_SUBSCHEMA_LISTS, *_SUBSCHEMA_MAPS, *_MAYBE_SCHEMAS))
_CHECKED = frozenset(("type", "required", "enum", "items"))


class _Problem(Exception):
    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer, self.message = pointer, message


def check_readable(spec: Spec) -> None:
    """Refuse (``SpecInvalidError``) a spec whose compared parts are malformed."""
    try:
        _Walk(spec).document()
    except _Problem as problem:
        raise SpecInvalidError(
            f"{problem.message} (diff checks the parts it compares; 'api-trainer specs validate' checks all)",
            file=spec.source,
            pointer=problem.pointer,
        ) from None


class _Walk:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.v31 = spec.openapi_version.startswith("3.1")
        self.seen: set[int] = set()

    def mapping(self, node: Any, pointer: str, what: str) -> dict[str, Any]:
        node = self.spec.deref(node)
        if not isinstance(node, dict):
            raise _Problem(pointer, f"{what} must be a mapping, not {_kind(node)}")
        return node

    def document(self) -> None:
        paths = self.mapping(self.spec.document.get("paths", {}), "/paths", "paths")
        for path, raw_item in paths.items():
            base = f"/paths/{escape(str(path))}"
            item = self.mapping(raw_item, base, "a path item")
            self.parameters(item.get("parameters"), base + "/parameters")
            for method in HTTP_METHODS:
                if method in item:
                    self.operation(item[method], f"{base}/{method}")
        webhooks = self.spec.document.get("webhooks")
        if webhooks is not None:
            for name, raw_item in self.mapping(webhooks, "/webhooks", "webhooks").items():
                base = f"/webhooks/{escape(str(name))}"
                item = self.mapping(raw_item, base, "a webhook")
                for method in HTTP_METHODS:
                    if method in item:
                        self.operation(item[method], f"{base}/{method}")

    def operation(self, raw: Any, pointer: str) -> None:
        operation = self.mapping(raw, pointer, "an operation")
        self.parameters(operation.get("parameters"), pointer + "/parameters")
        if "requestBody" in operation:
            body = self.mapping(operation["requestBody"], pointer + "/requestBody", "a request body")
            self.content(body.get("content"), pointer + "/requestBody/content")
        if operation.get("responses") is None:
            return  # required in 3.0, but its absence compares as "no responses": nothing is misread
        responses = self.mapping(operation["responses"], pointer + "/responses", "responses")
        for status, raw_response in responses.items():
            where = f"{pointer}/responses/{escape(str(status))}"
            response = self.mapping(raw_response, where, "a response")
            self.content(response.get("content"), where + "/content")
            headers = response.get("headers")
            if headers is not None:
                for name, raw_header in self.mapping(headers, where + "/headers", "headers").items():
                    header_pointer = f"{where}/headers/{escape(str(name))}"
                    header = self.mapping(raw_header, header_pointer, "a header")
                    if "schema" in header:
                        self.schema(header["schema"], header_pointer + "/schema")

    def parameters(self, raw: Any, pointer: str) -> None:
        if raw is None:
            return
        listed = self.spec.deref(raw)
        if not isinstance(listed, list):
            raise _Problem(pointer, f"parameters must be a list, not {_kind(listed)}")
        for index, raw_parameter in enumerate(listed):
            where = f"{pointer}/{index}"
            parameter = self.mapping(raw_parameter, where, "a parameter")
            if not isinstance(parameter.get("name"), str):
                raise _Problem(where, "a parameter needs a 'name'")
            if parameter.get("in") not in _LOCATIONS:
                raise _Problem(
                    where + "/in",
                    f"'in' must be one of path, query, header, cookie, not {parameter.get('in')!r}",
                )
            if "schema" in parameter:
                self.schema(parameter["schema"], where + "/schema")
            self.content(parameter.get("content"), where + "/content")

    def content(self, raw: Any, pointer: str) -> None:
        if raw is None:
            return
        for media_type, raw_media in self.mapping(raw, pointer, "content").items():
            where = f"{pointer}/{escape(str(media_type))}"
            media = self.mapping(raw_media, where, "a media type")
            if "schema" in media:
                self.schema(media["schema"], where + "/schema")

    def schema(self, raw: Any, pointer: str) -> None:
        todo = [(raw, pointer)]
        while todo:
            raw, pointer = todo.pop()
            ref = Spec.ref_of(raw)
            node = self.spec.deref(raw)
            if ref is not None:
                pointer = ref
            if isinstance(node, bool) and self.v31:
                continue
            if not isinstance(node, dict):
                raise _Problem(pointer, f"a schema must be a mapping, not {_kind(node)}")
            if id(node) in self.seen:
                continue
            self.seen.add(id(node))
            if not _CHECKED.isdisjoint(node):
                self.keywords(node, pointer)
            if _NESTING.isdisjoint(node):
                continue
            for keyword in _SUBSCHEMAS:
                if keyword in node:
                    todo.append((node[keyword], f"{pointer}/{keyword}"))
            for keyword in _MAYBE_SCHEMAS:
                value = node.get(keyword)
                if value is not None and not isinstance(value, bool):
                    todo.append((value, f"{pointer}/{keyword}"))
            for keyword in _SUBSCHEMA_LISTS:
                if keyword in node:
                    members = node[keyword]
                    if not isinstance(members, list) or not members:
                        raise _Problem(f"{pointer}/{keyword}", f"{keyword} must be a non-empty list")
                    todo.extend((m, f"{pointer}/{keyword}/{i}") for i, m in enumerate(members))
            for keyword in _SUBSCHEMA_MAPS:
                if keyword in node:
                    members = self.mapping(node[keyword], f"{pointer}/{keyword}", keyword)
                    todo.extend((m, f"{pointer}/{keyword}/{escape(str(k))}") for k, m in members.items())

    def keywords(self, node: dict[str, Any], pointer: str) -> None:
        declared = node.get("type")
        if declared is not None:
            names = declared if isinstance(declared, list) and self.v31 else [declared]
            bad = [t for t in names if t not in _TYPES or (t == "null" and not self.v31)]
            if bad:
                raise _Problem(f"{pointer}/type", f"{bad[0]!r} is not a JSON Schema type")
        required = node.get("required")
        if required is not None and not (
            isinstance(required, list) and all(isinstance(r, str) for r in required)
        ):
            raise _Problem(
                f"{pointer}/required",
                f"'required' of a schema must be a list of names, not {_kind(required)}",
            )
        if "enum" in node and not isinstance(node["enum"], list):
            raise _Problem(f"{pointer}/enum", f"'enum' must be a list, not {_kind(node['enum'])}")
        items = node.get("items")
        if isinstance(items, list):
            raise _Problem(f"{pointer}/items", "'items' must be a schema, not a list")


def _kind(node: Any) -> str:
    if node is None:
        return "nothing"
    return {bool: "a boolean", str: "a string", int: "a number", float: "a number", list: "a list"}.get(
        type(node), type(node).__name__
    )
