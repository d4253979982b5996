"""Every other Stripe operation, served from Stripe's published OpenAPI spec by the engine's spec responder.

Precedence: a request goes to this mock's stateful handler when the bundled spec of its version routes it
to one (``routes.py``); otherwise (or when Stripe's spec has a literal path that the bundled spec would only
match through a template, like ``/v1/customers/search``) it is served from the shipped Stripe spec
(``stripe_spec/``, API version :data:`SPEC_VERSION`), which is loaded on the first request that needs it.
Spec-served operations are checked against that spec (unknown, missing and mistyped parameters are
Stripe's 400s), keep inferred CRUD state where Stripe's paths have the collection/item shape (``POST
/v1/tax_rates`` then ``GET /v1/tax_rates/{id}``), answer with objects rendered from the spec's schemas with
fresh Stripe-style ids and the request's parameters reflected, honour ``expand[]``, and answer Stripe's 404
``resource_missing`` for an unknown id of a stateful resource (``/v1/customers/cus_nope/tax_ids``). The
journal marks them ``served: "spec"``.

To give one more resource real behaviour, write its handlers (``customers.py`` is the model), add its
operations to the bundled specs and to ``HANDLERS`` in ``routes.py``, and its collection path to
:data:`STATEFUL_KINDS` so that spec-served operations nested under it see the same objects.
"""

from __future__ import annotations

import gzip
import random
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from api_trainer.mock import (
    CheckedRequest,
    NotFound,
    RouteMatch,
    Router,
    SpecResponder,
    new_id,
    operation_schema,
)
from api_trainer.mock._generate import Generator
from api_trainer.mock._resources import Resource, json_schema_of, success_status
from api_trainer.specs import Operation, Spec, parse_text

from .context import EXPANDABLE, PREFIXES, Ctx
from .errors import invalid, no_such

__all__ = ["SPEC_FILE", "SPEC_VERSION", "STATEFUL_KINDS", "StripeSpec"]

SPEC_FILE = Path(__file__).parent / "stripe_spec" / "spec3-2023-08-16.json.gz"
SPEC_VERSION = "2023-08-16"

# collection path -> the kind this mock's handlers store those objects under
STATEFUL_KINDS = {
    "/v1/customers": "customer",
    "/v1/payment_methods": "payment_method",
    "/v1/payment_intents": "payment_intent",
    "/v1/charges": "charge",
    "/v1/refunds": "refund",
    "/v1/events": "event",
    "/v1/webhook_endpoints": "webhook_endpoint",
}

# Id prefixes of Stripe objects (as they appear in Stripe's API reference); others take their initials.
ID_PREFIXES = {
    **PREFIXES,
    "account": "acct",
    "application_fee": "fee",
    "balance_transaction": "txn",
    "bank_account": "ba",
    "card": "card",
    "checkout.session": "cs_test",
    "coupon": "co",
    "credit_note": "cn",
    "customer_balance_transaction": "cbtxn",
    "dispute": "dp",
    "file": "file",
    "file_link": "link",
    "invoice": "in",
    "invoiceitem": "ii",
    "payment_link": "plink",
    "payout": "po",
    "plan": "plan",
    "price": "price",
    "product": "prod",
    "promotion_code": "promo",
    "quote": "qt",
    "setup_intent": "seti",
    "shipping_rate": "shr",
    "source": "src",
    "subscription": "sub",
    "subscription_item": "si",
    "subscription_schedule": "sub_sched",
    "tax_id": "txi",
    "tax_rate": "txr",
    "token": "tok",
    "topup": "tu",
    "transfer": "tr",
    "transfer_reversal": "trr",
}


def prefix_for(object_name: str) -> str:
    if object_name in ID_PREFIXES:
        return ID_PREFIXES[object_name]
    words = object_name.replace(".", "_").split("_")
    return "".join(w[0] for w in words if w) or "obj"


class StripeSpec:
    """The shipped Stripe spec, its router and the engine's responder for it; all built on first use."""

    def __init__(self, now: Callable[[], int], seed: int = 0) -> None:
        self._now = now
        self.seed = seed
        self._lock = threading.Lock()
        self._schemas: dict[str, dict[str, Any]] = {}

    @cached_property
    def spec(self) -> Spec:
        with self._lock:
            text = gzip.decompress(SPEC_FILE.read_bytes()).decode()
            return Spec(parse_text(text, str(SPEC_FILE), as_json=True), source=f"stripe@{SPEC_VERSION}")

    @cached_property
    def router(self) -> Router:
        return Router(self.spec)

    @cached_property
    def responder(self) -> SpecResponder:
        return SpecResponder(
            self.spec,
            seed=self.seed,
            kinds=STATEFUL_KINDS,
            new_object_id=self._new_object_id,
            finish=self._finish,
        )

    @cached_property
    def _literal_paths(self) -> set[tuple[str, str]]:
        return {(op.method, op.path) for op in self.spec.operations() if "{" not in op.path}

    def operation_count(self) -> int:
        return len(self.spec.operations())

    def has_literal(self, method: str, path: str) -> bool:
        return (method, path) in self._literal_paths

    def match(self, method: str, path: str) -> RouteMatch | None:
        return self.router.match(method, path)

    def schema(self, operation: Operation) -> dict[str, Any]:
        schema = self._schemas.get(operation.pointer)
        if schema is None:
            schema = self._schemas[operation.pointer] = operation_schema(self.spec, operation)
        return schema

    # serving -----------------------------------------------------------------------------------------

    def serve(self, ctx: Ctx, match: RouteMatch, path: str, method: str) -> dict[str, Any]:
        body_params = ctx.params if method == "POST" else None
        request = CheckedRequest(
            path=match.path_params,
            query={} if method == "POST" else ctx.params,
            body=body_params,
            media_type="application/x-www-form-urlencoded" if method == "POST" else None,
            raw_query=ctx.params,
        )
        try:
            served = self.responder.respond(
                match.operation,
                request,
                store=ctx.store,
                account=ctx.account,
                concrete_path=path,
                render=ctx.shape,
            )
        except NotFound as missing:
            raise no_such(_label(missing.kind), missing.object_id, param=missing.param or "id") from None
        if not isinstance(served.body, dict):
            return {"object": "unknown", "value": served.body}
        body: dict[str, Any] = served.body
        if served.source == "spec":
            body = self._stored_base(ctx, body, match.path_params, ctx.params)
            self._fresh_ids(body, match.path_params)
            if body.get("object") in ("list", "search_result"):
                _one_page(body, path)
        self._expand(ctx, match.operation, body, ctx.expand)
        return body

    def _finish(self, obj: dict[str, Any], request: CheckedRequest) -> None:
        """Test mode, created now, and the parent the path names (``customer`` of a customer's tax id)."""
        if "livemode" in obj:
            obj["livemode"] = False
        if isinstance(obj.get("created"), int):
            obj["created"] = self._now()
        for name, value in request.path.items():
            if isinstance(obj.get(name), str) and name != obj.get("object"):
                obj[name] = value

    def _new_object_id(self, resource: Resource, rng: random.Random) -> str:
        return new_id(prefix_for(self._object_name(resource) or resource.collection.rsplit("/", 1)[-1]))

    def _object_name(self, resource: Resource) -> str | None:
        operation = next(iter(resource.operations.values()))
        schema = self.spec.deref(json_schema_of(self.spec, success_status(self.spec, operation)[1]))
        properties = self.spec.deref(schema.get("properties")) if isinstance(schema, dict) else None
        enum = (self.spec.deref((properties or {}).get("object")) or {}).get("enum")
        return str(enum[0]) if isinstance(enum, list) and enum else None

    def _stored_base(
        self, ctx: Ctx, body: dict[str, Any], path_params: dict[str, str], params: dict[str, Any]
    ) -> dict[str, Any]:
        """An action on a stored object (``POST /v1/charges/{charge}/capture``) answers with that object."""
        kind = body.get("object")
        object_id = path_params.get(str(kind))
        if not isinstance(kind, str) or object_id is None or kind not in STATEFUL_KINDS.values():
            return body
        stored = ctx.get(kind, object_id)
        if stored is None:
            raise no_such(kind, object_id, param=kind)
        shaped = ctx.shape(kind, stored)
        shaped.update({k: v for k, v in params.items() if k in shaped and k != "id" and k != "expand"})
        return shaped

    def _fresh_ids(self, body: dict[str, Any], path_params: dict[str, str]) -> None:
        """The object a path names keeps that id (``/v1/charges/{charge}/capture``); others get new ones."""
        items = body.get("data") if body.get("object") == "list" else None
        for obj in items if isinstance(items, list) else [body]:
            if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("object"), str):
                continue
            named = path_params.get(obj["object"].rpartition(".")[2])
            obj["id"] = named if named is not None and obj is body else new_id(prefix_for(obj["object"]))

    def _expand(self, ctx: Ctx, operation: Operation, body: dict[str, Any], paths: list[str]) -> None:
        schema = self.spec.deref(json_schema_of(self.spec, success_status(self.spec, operation)[1]))
        for path in paths:
            parts = path.split(".")
            targets: list[dict[str, Any]] = [body]
            node = schema
            if body.get("object") == "list" and parts[0] == "data":
                targets = [o for o in body.get("data") or [] if isinstance(o, dict)]
                node = self.spec.deref(_property(self.spec, node, "data") or {}).get("items")
                parts = parts[1:]
            if len(parts) != 1:
                continue  # nested expansion of spec-served objects is not modelled
            field = parts[0]
            field_schema = _property(self.spec, node, field)
            if field_schema is None:
                raise invalid(f"This property cannot be expanded ({path}).", param="expand")
            for target in targets:
                value = target.get(field)
                if isinstance(value, str):
                    target[field] = self._expanded(ctx, field, value, field_schema)

    def _expanded(self, ctx: Ctx, field: str, object_id: str, schema: Any) -> Any:
        kind = EXPANDABLE.get(field)
        stored = ctx.get(kind, object_id) if kind is not None else None
        if stored is not None and kind is not None:
            return ctx.shape(kind, stored)
        options = self.spec.deref(schema).get("anyOf") or []
        objects = [o for o in options if (self.spec.deref(o) or {}).get("type") != "string"]
        if not objects:
            return object_id
        rng = random.Random(f"{self.seed}:{field}")
        value = Generator(self.spec, rng).value(objects[0])
        if isinstance(value, dict):
            value["id"] = object_id
        return value


def _property(spec: Spec, schema: Any, name: str) -> Any:
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return None
    for option in schema.get("anyOf") or []:
        found = _property(spec, option, name)
        if found is not None:
            return found
    return (spec.deref(schema.get("properties")) or {}).get(name)


def _one_page(body: dict[str, Any], path: str) -> None:
    """A rendered list is one complete page: its url is the request's, nothing more to fetch."""
    data = body.get("data")
    count = len(data) if isinstance(data, list) else 0
    for key, value in (("url", path), ("has_more", False), ("next_page", None), ("total_count", count)):
        if key in body:
            body[key] = value


def _label(kind: str) -> str:
    """``customer`` stays; an inferred kind ``/v1/customers/cus_1/tax_ids`` reads as ``tax_id``."""
    if not kind.startswith("/"):
        return kind
    last = kind.rstrip("/").rsplit("/", 1)[-1]
    return last[:-1] if last.endswith("s") else last
