"""State inferred from the shape of a spec: which operations create, list, read, update and delete what.

A *resource* is a collection path and the item path one templated segment below it (``/pets`` and
``/pets/{petId}``). Its operations take roles by method: ``POST`` on the collection creates, ``GET`` on
it lists; on the item ``GET`` reads, ``PATCH`` (or ``POST``, as Stripe updates) merges, ``PUT`` replaces
and ``DELETE`` deletes; a ``PUT``/``PATCH`` on the collection itself replaces/merges the object whose id
the body carries (``PUT /pet`` in the Swagger Petstore). The object's id is the item response's ``id`` property, else the property named
like the path parameter (``petId``), else ``id``. Collections nest (``/users/{userId}/posts``); each
concrete parent path is its own collection.

For lists, the spec's own names are used: the response is either an array or an object with one array
property (``data``, ``items``, ...), and the query parameters for the page size, cursor, offset and page
number are found by their usual names (``limit``/``page_size``, ``starting_after``/``cursor``/
``page_token``, ``offset``, ``page``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..specs import Operation, Spec

__all__ = ["ListShape", "Resource", "Role", "infer_resources", "json_schema_of", "success_status"]

Role = Literal["create", "list", "read", "update", "replace", "delete"]

_PARAM = re.compile(r"\{[^{}/]+\}")
_LIMIT = ("limit", "page_size", "pagesize", "per_page", "perpage", "size", "max_results", "maxresults", "top")
_CURSOR = (
    "starting_after",
    "cursor",
    "after",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "continuation_token",
    "marker",
    "start_after",
)
_BEFORE = ("ending_before", "before")
_OFFSET = ("offset", "skip", "start")
_PAGE = ("page", "page_number", "pagenumber")
_ARRAY_NAMES = ("data", "items", "results", "records", "content", "values", "elements", "entries")
_NEXT_NAMES = ("next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "next_token", "cursor")
_TOTAL_NAMES = ("total", "total_count", "totalcount", "count", "total_items", "totalitems")


@dataclass(frozen=True)
class ListShape:
    """How a collection ``GET`` pages, in the spec's own names (None where the spec has no such name)."""

    array_property: str | None  # None: the response body is the array itself
    limit: str | None = None
    cursor: str | None = None
    before: str | None = None
    offset: str | None = None
    page: str | None = None
    has_more: str | None = None
    next_cursor: str | None = None
    total: str | None = None
    filters: tuple[str, ...] = ()  # query parameters that are also properties of the item


@dataclass
class Resource:
    collection: str
    item: str | None
    id_param: str | None
    id_field: str = "id"
    id_schema: dict[str, Any] = field(default_factory=dict)
    operations: dict[Role, Operation] = field(default_factory=dict)
    list_shape: ListShape | None = None


def _norm(name: str) -> str:
    return name.replace("-", "_").lower()


def json_schema_of(spec: Spec, node: Any) -> Any:
    """The schema of a request body or response: its JSON media type, else its first media type."""
    node = spec.deref(node)
    if not isinstance(node, dict):
        return None
    content = spec.deref(node.get("content")) or {}
    if not isinstance(content, dict) or not content:
        return None
    media = next((m for t, m in content.items() if "json" in t), None) or next(iter(content.values()))
    media = spec.deref(media)
    return media.get("schema") if isinstance(media, dict) else None


def success_status(spec: Spec, operation: Operation) -> tuple[int, Any]:
    """The operation's first declared 2xx status and its response node (200 when none is declared)."""
    responses = spec.deref(operation.node.get("responses")) or {}
    for code in sorted(str(c) for c in responses):
        if code.startswith("2") and code.isdigit():
            return int(code), responses[code] if code in responses else responses[int(code)]
    if "2XX" in responses:
        return 200, responses["2XX"]
    return 200, responses.get("default")


def infer_resources(spec: Spec) -> dict[str, tuple[Resource, Role]]:
    """Every operation that takes part in inferred state, by its pointer, with its resource and role."""
    by_path: dict[str, dict[str, Operation]] = {}
    for op in spec.operations():
        by_path.setdefault(op.path, {})[op.method] = op
    roles: dict[str, tuple[Resource, Role]] = {}
    for path, methods in by_path.items():
        if path.endswith("}") or not ({"POST", "GET"} & set(methods)):
            continue
        items = [p for p in by_path if _is_item_of(p, path)]
        item = items[0] if len(items) == 1 else None
        item_methods = by_path.get(item, {}) if item else {}
        if "GET" not in item_methods and not {"POST", "GET"} <= set(methods):
            continue  # no object is read back here, alone or in a list: not a resource
        resource = Resource(path, item, _PARAM.findall(item)[-1][1:-1] if item else None)
        if "POST" in methods:
            resource.operations["create"] = methods["POST"]
        if "GET" in methods:
            resource.operations["list"] = methods["GET"]
        for method, role in (
            ("GET", "read"),
            ("PATCH", "update"),
            ("POST", "update"),
            ("PUT", "replace"),
            ("DELETE", "delete"),
        ):
            if method in item_methods and role not in resource.operations:
                resource.operations[role] = item_methods[method]  # type: ignore[index]
        for method, role in (("PUT", "replace"), ("PATCH", "update")):
            # ``PUT /pet`` with the id in the body (Swagger Petstore) when the item path has none
            if method in methods and role not in resource.operations and item is not None:
                resource.operations[role] = methods[method]  # type: ignore[index]
        _find_id(spec, resource)
        if "list" in resource.operations:
            resource.list_shape = _list_shape(spec, resource, resource.operations["list"])
        for role, op in resource.operations.items():
            roles[op.pointer] = (resource, role)
    return roles


def _is_item_of(candidate: str, collection: str) -> bool:
    if not candidate.startswith(collection.rstrip("/") + "/"):
        return False
    rest = candidate[len(collection.rstrip("/")) + 1 :]
    return "/" not in rest and _PARAM.fullmatch(rest) is not None


def _object_properties(spec: Spec, schema: Any) -> dict[str, Any]:
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return {}
    properties: dict[str, Any] = dict(spec.deref(schema.get("properties")) or {})
    for part in schema.get("allOf") or []:
        properties.update(_object_properties(spec, part))
    for combinator in ("oneOf", "anyOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options and not properties:
            properties.update(_object_properties(spec, options[0]))
    return properties


def _item_schema(spec: Spec, resource: Resource) -> Any:
    roles: tuple[Role, ...] = ("read", "create", "replace", "update")
    for role in roles:
        op = resource.operations.get(role)
        if op is not None:
            schema = json_schema_of(spec, success_status(spec, op)[1])
            if _object_properties(spec, schema):
                return schema
    return None


def _find_id(spec: Spec, resource: Resource) -> None:
    properties = _object_properties(spec, _item_schema(spec, resource))
    param = resource.id_param or ""
    candidates = [param, "id", *[p for p in properties if _norm(p) in (_norm(param), "id")]]
    for name in candidates:
        if name and name in properties:
            resource.id_field = name
            resource.id_schema = spec.deref(properties[name]) or {}
            return
    if resource.item is not None:
        for p in spec.parameters(resource.operations.get("read") or next(iter(resource.operations.values()))):
            if p.get("in") == "path" and p.get("name") == param:
                resource.id_schema = spec.deref(p.get("schema")) or {}


def _list_shape(spec: Spec, resource: Resource, op: Operation) -> ListShape:
    query = {_norm(str(p["name"])): str(p["name"]) for p in spec.parameters(op) if p.get("in") == "query"}

    def pick(names: tuple[str, ...]) -> str | None:
        return next((query[n] for n in names if n in query), None)

    schema = spec.deref(json_schema_of(spec, success_status(spec, op)[1]))
    array_property: str | None = None
    extras: dict[str, str | None] = {"has_more": None, "next_cursor": None, "total": None}
    item_properties: dict[str, Any] = {}
    if isinstance(schema, dict) and "array" not in str(schema.get("type")):
        properties = _object_properties(spec, schema)
        arrays = [n for n, s in properties.items() if "array" in str((spec.deref(s) or {}).get("type"))]
        preferred = [n for n in arrays if _norm(n) in _ARRAY_NAMES]
        array_property = next(iter(preferred or arrays), None)
        names = {_norm(n): n for n in properties}
        extras["has_more"] = names.get("has_more") or names.get("hasmore")
        extras["next_cursor"] = next((names[n] for n in _NEXT_NAMES if n in names), None)
        extras["total"] = next((names[n] for n in _TOTAL_NAMES if n in names), None)
        if array_property is not None:
            items = (spec.deref(properties[array_property]) or {}).get("items")
            item_properties = _object_properties(spec, items)
    elif isinstance(schema, dict):
        item_properties = _object_properties(spec, schema.get("items"))
    paging = {pick(_LIMIT), pick(_CURSOR), pick(_BEFORE), pick(_OFFSET), pick(_PAGE)}
    filters = tuple(
        original for original in query.values() if original in item_properties and original not in paging
    )
    return ListShape(
        array_property,
        limit=pick(_LIMIT),
        cursor=pick(_CURSOR),
        before=pick(_BEFORE),
        offset=pick(_OFFSET),
        page=pick(_PAGE),
        has_more=extras["has_more"],
        next_cursor=extras["next_cursor"],
        total=extras["total"],
        filters=filters,
    )
