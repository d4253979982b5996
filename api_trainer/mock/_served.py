"""Spec-served answers: inferred CRUD state where the spec's shape allows it, examples and schemas elsewhere.

:class:`SpecResponder` answers one checked request for one operation. When the operation has a role in an
inferred resource (see :mod:`._resources`), the answer comes from the store: a create stores an object
built from the response schema (examples first) with the request's fields on top and a fresh id; reads,
updates, replaces and deletes find it by id (an unknown id raises :class:`NotFound`, which each mock
renders in its own shape); lists page through what was created, filtered by query parameters that name
item properties. Every other operation is served from the spec: the chosen response's example, else a
value generated from its schema, with request parameters reflected into top-level fields whose names and
types match. ``Prefer`` (code, example, dynamic) picks the declared response and always serves from the
spec, as Prism does.

Error bodies use the spec's declared shape for that status (the status itself, a ``4XX`` range or
``default``) with the message written into its message-like fields; when the spec declares none, RFC 9457
problem details (``application/problem+json``).
"""

from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..specs import Operation, Spec
from ._generate import Generator, media_example
from ._requests import CheckedRequest, Prefer
from ._resources import Resource, Role, infer_resources, success_status
from ._store import Store, new_id

__all__ = ["NotFound", "Served", "SpecResponder", "problem_details"]

PROBLEM_JSON = "application/problem+json"
_MESSAGE_FIELDS = ("message", "detail", "error_description", "description", "title", "error", "msg")
_CODE_FIELDS = ("code", "status", "status_code", "statuscode", "http_status")


class NotFound(Exception):
    """An id that names no stored object; ``param`` is the path parameter that carried it."""

    def __init__(self, kind: str, object_id: str, param: str | None) -> None:
        super().__init__(f"No such object: '{object_id}'")
        self.kind = kind
        self.object_id = object_id
        self.param = param


@dataclass(frozen=True)
class Served:
    status: int
    body: Any  # JSON-serialisable; bytes for a non-JSON media type; None for no content
    media_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    source: str = "spec"  # "state" (inferred CRUD) or "spec" (examples and schemas)


def problem_details(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    """RFC 9457 problem details."""
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}


ObjectIdFactory = Callable[[Resource, random.Random], Any]
Render = Callable[[str, dict[str, Any]], dict[str, Any]]
Finish = Callable[[dict[str, Any], CheckedRequest], None]


@dataclass
class SpecResponder:
    spec: Spec
    seed: int = 0
    # collection template -> the kind a mock's own handlers store those objects under
    kinds: Mapping[str, str] = field(default_factory=dict)
    new_object_id: ObjectIdFactory | None = None
    render: Render | None = None  # how a mock shows its own stored objects
    # a mock's finishing touches on every object built from the spec (Stripe: livemode false, created now)
    finish: Finish | None = None

    def __post_init__(self) -> None:
        # A collection nothing can create into (read-only reference data) is served from the spec's
        # examples instead: its list would stay empty and every read a 404. A mock's own kinds stay.
        self.roles = {
            pointer: (resource, role)
            for pointer, (resource, role) in infer_resources(self.spec).items()
            if "create" in resource.operations or resource.collection in self.kinds
        }
        self._items = {r.item: r for r, _ in self.roles.values() if r.item}
        self._rng = random.Random(self.seed)
        self._static: dict[tuple[str, str, str | None], Any] = {}

    def role(self, operation: Operation) -> tuple[Resource, Role] | None:
        return self.roles.get(operation.pointer)

    # answering ---------------------------------------------------------------------------------------

    def respond(
        self,
        operation: Operation,
        request: CheckedRequest,
        *,
        store: Store,
        account: str,
        concrete_path: str,
        prefer: Prefer = Prefer(),
        accept: str | None = None,
        render: Render | None = None,
    ) -> Served:
        """``render`` shows objects of the mock's own kinds for this request (its version, say)."""
        self._check_parents(operation, request, store, account)
        found = self.role(operation)
        if found is not None and prefer == Prefer():
            resource, role = found
            kind = self._kind(resource, concrete_path, role)
            status, _ = success_status(self.spec, operation)
            show = render or self.render
            call = _Call(resource, kind, operation, request, store, account, status, self._shower(kind, show))
            return self._stateful(call, role)
        return self.from_spec(operation, request, prefer=prefer, accept=accept)

    def from_spec(
        self,
        operation: Operation,
        request: CheckedRequest,
        *,
        prefer: Prefer = Prefer(),
        accept: str | None = None,
    ) -> Served:
        status, response = self._response(operation, prefer.code)
        media_type, body = self.body(operation, status, response, prefer=prefer, accept=accept)
        if isinstance(body, dict) and 200 <= status < 300:
            _reflect(body, request.raw_query)
            if isinstance(request.body, dict):
                _reflect(body, request.body)
            if self.finish is not None:
                self.finish(body, request)
        return Served(status, body, media_type)

    def body(
        self,
        operation: Operation,
        status: int,
        response: Any,
        *,
        prefer: Prefer = Prefer(),
        accept: str | None = None,
        keep: Callable[[str], bool] | None = None,
    ) -> tuple[str | None, Any]:
        """The response's media type and body: the named or first example, else generated from the
        schema (with ``keep``, optional properties only where ``keep(name)``)."""
        response = self.spec.deref(response)
        content = self.spec.deref(response.get("content")) if isinstance(response, dict) else None
        if not isinstance(content, dict) or not content or status == 204:
            return None, None
        media_type = _negotiate(list(content), accept)
        media = self.spec.deref(content[media_type]) or {}
        if prefer.dynamic:
            return media_type, self._generator(dynamic=True).value(media.get("schema"))
        cache_key = (operation.pointer, f"{status}:{media_type}:{keep is not None}", prefer.example)
        if cache_key not in self._static:
            found, value = media_example(self.spec, media, prefer.example)
            if not found:
                rng = random.Random(f"{self.seed}:{operation.pointer}:{status}")
                value = Generator(self.spec, rng, keep=keep).value(media.get("schema"))
            self._static[cache_key] = value
        return media_type, copy.deepcopy(self._static[cache_key])

    def error(
        self, operation: Operation | None, status: int, message: str, param: str | None = None
    ) -> Served:
        """An error in the spec's declared shape for ``status``, else as problem details."""
        response = self._declared(operation, status) if operation is not None else None
        if response is not None:
            # the declared shape with what an error says, not every optional field the schema allows
            media_type, body = self.body(operation, status, response, keep=_error_field)  # type: ignore[arg-type]
            if isinstance(body, dict) and media_type is not None and "json" in media_type:
                _fill_error(body, status, message, param)
                return Served(status, body, media_type)
        title = _TITLES.get(status, "Error")
        extra = {"param": param} if param else {}
        return Served(status, problem_details(status, title, message, **extra), PROBLEM_JSON)

    # state -------------------------------------------------------------------------------------------

    def _shower(self, kind: str, render: Render | None) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def show(obj: dict[str, Any]) -> dict[str, Any]:
            return render(kind, obj) if render is not None and kind in self.kinds.values() else obj

        return show

    def _stateful(self, call: _Call, role: Role) -> Served:
        resource, kind, operation, request, store, account = call.target
        status, show = call.status, call.show
        if role == "create":
            created = self._create(call)
            return Served(status, show(created), source="state")
        if role == "list":
            return self._list(call)
        by_body = operation.path == resource.collection  # ``PUT /pet`` carries the id in the body
        object_id = request.path.get(resource.id_param or "")
        if by_body and isinstance(request.body, dict):
            object_id = request.body.get(resource.id_field)
        if object_id is None:
            raise NotFound(kind, "", resource.id_field)
        key = self._key(kind, object_id)
        stored = store.get(account, kind, key)
        if stored is None and role == "replace" and not by_body:
            created = self._new_object(operation, request, resource, object_id)
            store.put(account, kind, created, object_id=key)
            return Served(status, show(created), source="state")
        if stored is None:
            raise NotFound(kind, str(object_id), resource.id_param)
        if role == "read":
            return Served(status, show(stored), source="state")
        if role == "delete":
            store.delete(account, kind, key)
            media_type, body = self.body(operation, status, success_status(self.spec, operation)[1])
            if isinstance(body, dict):
                body[resource.id_field] = stored.get(resource.id_field, object_id)
                if "deleted" in body:
                    body["deleted"] = True
            return Served(status, body, media_type, source="state")
        changes = {k: v for k, v in request.query.items() if k in stored and k != resource.id_field}
        changes.update(request.body if isinstance(request.body, dict) else {})
        if role == "update":
            updated = _merge(stored, changes, remove_nulls="merge-patch" in (request.media_type or ""))
        else:
            server_set = {k: v for k, v in stored.items() if k not in self._request_fields(operation)}
            updated = {**server_set, **changes}
        updated[resource.id_field] = stored[resource.id_field]
        store.put(account, kind, updated, object_id=key)
        return Served(status, show(updated), source="state")

    def _create(self, call: _Call) -> dict[str, Any]:
        resource, kind, operation, request, store, account = call.target
        given = request.body.get(resource.id_field) if isinstance(request.body, dict) else None
        object_id = given if given is not None else self._object_id(resource, store)
        created = self._new_object(operation, request, resource, object_id)
        store.put(account, kind, created, object_id=self._key(kind, object_id))
        return created

    def _new_object(
        self, operation: Operation, request: CheckedRequest, resource: Resource, object_id: Any
    ) -> dict[str, Any]:
        status, response = success_status(self.spec, operation)
        _, base = self.body(operation, status, response)
        created: dict[str, Any] = base if isinstance(base, dict) else {}
        if isinstance(request.body, dict):
            hidden = self._write_only(operation)
            created.update({k: v for k, v in request.body.items() if k not in hidden})
        if self.finish is not None:
            self.finish(created, request)
        created[resource.id_field] = object_id
        return created

    def _list(self, call: _Call) -> Served:
        resource, kind, operation, request, store, account = call.target
        status, show = call.status, call.show
        shape = resource.list_shape
        assert shape is not None
        query = request.query
        # scalar filters only: ``created[gte]=...`` is a range, not an equality
        wanted = {n: query[n] for n in shape.filters if n in query and not isinstance(query[n], dict | list)}
        items = [o for o in store.all(account, kind) if all(o.get(k) == v for k, v in wanted.items())]
        items.reverse()  # creation order: a client paging with offsets sees a stable sequence
        start = 0
        cursor = query.get(shape.cursor) if shape.cursor else None
        if cursor is not None:
            ids = [str(o.get(resource.id_field)) for o in items]
            start = ids.index(str(cursor)) + 1 if str(cursor) in ids else len(items)
        limit = _int(query.get(shape.limit)) if shape.limit else None
        if shape.offset and query.get(shape.offset) is not None:
            start = _int(query[shape.offset]) or 0
        elif shape.page and query.get(shape.page) is not None and limit:
            start = max(0, (_int(query[shape.page]) or 1) - 1) * limit
        chosen = items[start : start + limit] if limit else items[start:]
        has_more = start + len(chosen) < len(items)
        shown = [show(o) for o in chosen]
        if shape.array_property is None:
            return Served(status, shown, source="state")
        _, envelope = self.body(operation, status, success_status(self.spec, operation)[1])
        body: dict[str, Any] = envelope if isinstance(envelope, dict) else {}
        body[shape.array_property] = shown
        if shape.has_more:
            body[shape.has_more] = has_more
        if shape.next_cursor:
            body[shape.next_cursor] = str(chosen[-1].get(resource.id_field)) if has_more and chosen else None
        if shape.total:
            body[shape.total] = len(items)
        if "url" in body:
            body["url"] = operation.path if "{" not in operation.path else body["url"]
        return Served(status, body, source="state")

    # helpers -----------------------------------------------------------------------------------------

    def _key(self, kind: str, object_id: Any) -> str:
        # The store keys objects by id per account; inferred kinds (``/pets``, ``/users/7/posts``) may
        # number their objects alike, so their keys carry the kind. A mock's own kinds use bare ids.
        return str(object_id) if kind in self.kinds.values() else f"{kind}#{object_id}"

    def _kind(self, resource: Resource, concrete_path: str, role: Role) -> str:
        fixed = self.kinds.get(resource.collection)
        if fixed is not None:
            return fixed
        if role in ("create", "list") or concrete_path.count("/") == resource.collection.count("/"):
            return concrete_path.rstrip("/")
        return concrete_path.rstrip("/").rpartition("/")[0]

    def _check_parents(
        self, operation: Operation, request: CheckedRequest, store: Store, account: str
    ) -> None:
        """An id in the path of a nested operation must name a stored parent (``/pets/{petId}/photos``)."""
        path = operation.path
        for item_template, resource in self._items.items():
            if item_template == path or not path.startswith(item_template + "/"):
                continue
            value = request.path.get(resource.id_param or "")
            if value is None:
                continue
            prefix = item_template.rpartition("/")[0]
            kind = self.kinds.get(resource.collection) or _fill(prefix, request.path)
            if store.get(account, kind, self._key(kind, value)) is None:
                raise NotFound(kind, str(value), resource.id_param)

    def _object_id(self, resource: Resource, store: Store) -> Any:
        if self.new_object_id is not None:
            return self.new_object_id(resource, self._rng)
        schema = resource.id_schema
        if schema.get("type") in ("integer", "number"):
            return store.next_number(f"id:{resource.collection}")
        if schema.get("format") == "uuid":
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        example = str(schema.get("example") or "")
        prefix, sep, _ = example.partition("_")
        return new_id(prefix if sep and prefix.isalnum() else "obj")

    def _request_fields(self, operation: Operation) -> set[str]:
        from ._resources import json_schema_of

        schema = self.spec.deref(json_schema_of(self.spec, operation.node.get("requestBody")))
        return set((self.spec.deref(schema.get("properties")) or {}) if isinstance(schema, dict) else ())

    def _write_only(self, operation: Operation) -> set[str]:
        from ._resources import json_schema_of

        schema = self.spec.deref(json_schema_of(self.spec, operation.node.get("requestBody")))
        properties = (self.spec.deref(schema.get("properties")) or {}) if isinstance(schema, dict) else {}
        return {n for n, s in properties.items() if (self.spec.deref(s) or {}).get("writeOnly")}

    def _response(self, operation: Operation, code: int | None) -> tuple[int, Any]:
        if code is None:
            return success_status(self.spec, operation)
        declared = self._declared(operation, code)
        if declared is None:
            return success_status(self.spec, operation)
        return code, declared

    def _declared(self, operation: Operation, status: int) -> Any:
        responses = self.spec.deref(operation.node.get("responses")) or {}
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return responses[key]
        return None

    def _generator(self, *, dynamic: bool) -> Generator:
        return Generator(self.spec, self._rng, dynamic=dynamic)


@dataclass(frozen=True)
class _Call:
    """One stateful request: the resource and kind it touches, and how its objects are shown."""

    resource: Resource
    kind: str
    operation: Operation
    request: CheckedRequest
    store: Store
    account: str
    status: int
    show: Callable[[dict[str, Any]], dict[str, Any]]

    @property
    def target(self) -> tuple[Resource, str, Operation, CheckedRequest, Store, str]:
        return self.resource, self.kind, self.operation, self.request, self.store, self.account


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _fill(template: str, values: Mapping[str, Any]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _merge(base: dict[str, Any], changes: dict[str, Any], *, remove_nulls: bool) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if value is None and remove_nulls:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value, remove_nulls=remove_nulls)
        else:
            merged[key] = value
    return merged


def _same_kind(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return True
    return type(a) is type(b)


def _reflect(body: dict[str, Any], params: Mapping[str, Any]) -> None:
    for key, value in params.items():
        if key in body and key != "id" and _same_kind(body[key], value):
            body[key] = copy.deepcopy(value)


def _error_field(name: str) -> bool:
    return name.lower() in (*_MESSAGE_FIELDS, *_CODE_FIELDS, "param", "field", "pointer", "type", "error")


def _fill_error(body: dict[str, Any], status: int, message: str, param: str | None) -> None:
    nested = body.get("error")
    if isinstance(nested, dict):
        _fill_error(nested, status, message, param)
        return
    for key in list(body):
        lowered = key.lower()
        if lowered in _MESSAGE_FIELDS and isinstance(body[key], str):
            body[key] = message
        elif lowered in _CODE_FIELDS and isinstance(body[key], int) and not isinstance(body[key], bool):
            body[key] = status
        elif lowered in ("param", "field", "pointer") and (body[key] is None or isinstance(body[key], str)):
            body[key] = param


def _negotiate(declared: list[str], accept: str | None) -> str:
    if accept:
        for wanted in (part.partition(";")[0].strip().lower() for part in accept.split(",")):
            if wanted in declared:
                return wanted
    return next((t for t in declared if "json" in t), declared[0])
