"""Events, webhook endpoints, and signed webhook deliveries retried with backoff on the mock clock.

A delivery is an HTTP POST of the event (rendered in the endpoint's ``api_version``, else the mock's default)
with ``Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" keyed by the endpoint secret>``,
which ``stripe.Webhook.construct_event`` verifies. A non-2xx answer or a connection error schedules the next
attempt on the mock clock after 1 min, 5 min, 30 min, 2 h, 5 h, 10 h (Stripe retries with exponential
backoff for up to three days; these steps are the mock's assumption), so ``POST /_mock/clock`` makes a
retry happen at once. ``t=`` is real wall time, not the mock clock: receivers check it against their own
clock (five minutes' tolerance), and an advanced mock clock would make every signature look stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from api_trainer.mock import MockClock, Store, utc_now_iso

from .context import Ctx
from .customers import apply_metadata
from .errors import invalid, no_such
from .listing import list_objects

RETRY_AFTER_SECONDS = (60, 300, 1800, 7200, 18000, 36000)


def sign(payload: str, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    due REAL NOT NULL,
    attempts TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_due ON webhook_deliveries (state, due);
"""


@dataclass(frozen=True)
class Delivery:
    """One event on its way to one endpoint: ``pending`` (``due`` is the next attempt), ``in_progress``, ``done``."""

    row: int
    account: str
    endpoint_id: str
    event_id: str
    due: float
    attempts: list[dict[str, Any]] = field(default_factory=list)
    state: str = "pending"

    def as_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint_id,
            "event": self.event_id,
            "attempts": self.attempts,
            "done": self.state == "done",
            "in_progress": self.state == "in_progress",
            "next_attempt": int(self.due) if self.state == "pending" else None,
        }


class WebhookDispatcher:
    """Deliveries live in the store (the ``--state`` file when there is one), with their retry schedule, so a
    restarted mock resumes them: an attempt cut off by a crash (``in_progress``) is made again. That is safe
    because only one server holds a state file (:class:`~api_trainer.mock.Store` locks it)."""

    def __init__(
        self, store: Store, clock: MockClock, render_event: Callable[[str, dict[str, Any], str], str]
    ) -> None:
        self.store = store
        self.clock = clock
        self.render_event = render_event  # (account, event, version) -> JSON payload
        store.ensure_schema(_SCHEMA)
        with store.transaction() as db:
            db.execute("UPDATE webhook_deliveries SET state = 'pending' WHERE state = 'in_progress'")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        clock.on_advance(self.wake)

    def enqueue(self, account: str, endpoint_id: str, event_id: str) -> None:
        with self.store.transaction() as db:  # inside the request's transaction: commits with the event
            db.execute(
                "INSERT INTO webhook_deliveries (account, endpoint_id, event_id, due) VALUES (?, ?, ?, ?)",
                (account, endpoint_id, event_id, self.clock.now()),
            )
        self.wake()

    def wake(self) -> None:
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def clear(self) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM webhook_deliveries")

    def snapshot(self) -> list[dict[str, Any]]:
        return [d.as_json() for d in self._select("1 = 1")]

    def _select(self, where: str, *args: Any) -> list[Delivery]:
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT id, account, endpoint_id, event_id, due, attempts, state FROM webhook_deliveries "
                f"WHERE {where} ORDER BY id",
                args,
            ).fetchall()
        return [Delivery(r[0], r[1], r[2], r[3], float(r[4]), json.loads(r[5]), r[6]) for r in rows]

    def _update(self, delivery: Delivery, state: str, due: float, attempts: list[dict[str, Any]]) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE webhook_deliveries SET state = ?, due = ?, attempts = ? WHERE id = ?",
                (state, due, json.dumps(attempts), delivery.row),
            )

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        assert self._wake is not None
        async with httpx.AsyncClient(timeout=5.0) as client:
            while True:
                with self.store.transaction() as db:
                    due = self._select("state = 'pending' AND due <= ?", self.clock.now())
                    db.executemany(
                        "UPDATE webhook_deliveries SET state = 'in_progress' WHERE id = ?",
                        [(d.row,) for d in due],
                    )
                if due:
                    await asyncio.gather(*(self._attempt(client, d) for d in due))
                with self.store.transaction() as db:
                    (earliest,) = db.execute(
                        "SELECT MIN(due) FROM webhook_deliveries WHERE state = 'pending'"
                    ).fetchone()
                wait = 60.0
                if earliest is not None:
                    wait = max(0.0, float(earliest) - self.clock.now()) / self.clock.time_scale
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=min(wait, 60.0))

    async def _attempt(self, client: httpx.AsyncClient, delivery: Delivery) -> None:
        endpoint = self.store.get(delivery.account, "webhook_endpoint", delivery.endpoint_id)
        event = self.store.get(delivery.account, "event", delivery.event_id)
        if endpoint is None or event is None or endpoint.get("deleted"):
            self._update(delivery, "done", delivery.due, delivery.attempts)
            return
        version = str(endpoint.get("api_version") or event.get("api_version") or "")
        payload = self.render_event(delivery.account, event, version)
        signature = sign(payload, endpoint["_secret"], int(time.time()))
        status: int | None
        try:
            response = await client.post(
                endpoint["url"],
                content=payload,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": signature,
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                },
            )
            status, error = response.status_code, None
        except httpx.HTTPError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        attempts = [*delivery.attempts, {"time": utc_now_iso(), "status": status, "error": error}]
        ok = status is not None and 200 <= status < 300
        retries_used = len(attempts) - 1
        if not ok and retries_used < len(RETRY_AFTER_SECONDS):
            self._update(delivery, "pending", self.clock.now() + RETRY_AFTER_SECONDS[retries_used], attempts)
            return
        with self.store.transaction():
            self._update(delivery, "done", delivery.due, attempts)
            if ok:
                fresh = self.store.get(delivery.account, "event", delivery.event_id)
                if fresh is not None:
                    fresh["pending_webhooks"] = max(0, int(fresh.get("pending_webhooks", 1)) - 1)
                    self.store.put(delivery.account, "event", fresh)


def emit_event(dispatcher: WebhookDispatcher) -> Callable[[Ctx, str, str, dict[str, Any]], None]:
    def emit(ctx: Ctx, event_type: str, kind: str, obj: dict[str, Any]) -> None:
        endpoints = [
            e
            for e in ctx.store.all(ctx.account, "webhook_endpoint")
            if not e.get("deleted")
            and e.get("status") == "enabled"
            and ("*" in e["enabled_events"] or event_type in e["enabled_events"])
        ]
        event: dict[str, Any] = {
            "id": ctx.new_id("event"),
            "object": "event",
            "api_version": ctx.version,
            "created": ctx.now(),
            "data": {"object": json.loads(json.dumps(obj))},
            "livemode": False,
            "pending_webhooks": len(endpoints),
            "request": {"id": ctx.request_id, "idempotency_key": ctx.idempotency_key},
            "type": event_type,
            "_object_kind": kind,
        }
        ctx.put("event", event)
        for endpoint in endpoints:
            dispatcher.enqueue(ctx.account, endpoint["id"], event["id"])

    return emit


# routes ----------------------------------------------------------------------------------------------


def retrieve_event(ctx: Ctx) -> dict[str, Any]:
    return ctx.render("event", ctx.require("event", ctx.path[0]))


def list_events(ctx: Ctx) -> dict[str, Any]:
    one = ctx.params.get("type")
    many = ctx.params.get("types")
    return list_objects(
        ctx,
        "event",
        "/v1/events",
        lambda e: (one is None or _type_matches(e["type"], one)) and (not many or e["type"] in many),
    )


def _type_matches(event_type: str, wanted: str) -> bool:
    if wanted.endswith(".*"):
        return event_type.startswith(wanted[:-1])
    return event_type == wanted


def create_endpoint(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    url = p.get("url")
    if not url:
        raise invalid("Missing required param: url.", code="parameter_missing", param="url")
    if not str(url).startswith(("http://", "https://")):
        raise invalid(
            f"Invalid URL: {url}. URLs must begin with http:// or https://", param="url", code="url_invalid"
        )
    events = p.get("enabled_events")
    if not events:
        raise invalid(
            "Missing required param: enabled_events.", code="parameter_missing", param="enabled_events"
        )
    secret = "whsec_" + secrets.token_hex(16)
    endpoint: dict[str, Any] = {
        "id": ctx.new_id("webhook_endpoint"),
        "object": "webhook_endpoint",
        "api_version": p.get("api_version"),
        "application": None,
        "created": ctx.now(),
        "description": p.get("description"),
        "enabled_events": list(events),
        "livemode": False,
        "metadata": apply_metadata({}, p.get("metadata")),
        "status": "enabled",
        "url": url,
        "_secret": secret,
    }
    ctx.put("webhook_endpoint", endpoint)
    rendered = ctx.render("webhook_endpoint", endpoint)
    rendered["secret"] = secret  # only the create response shows the secret, as in Stripe
    return rendered


def retrieve_endpoint(ctx: Ctx) -> dict[str, Any]:
    return ctx.render("webhook_endpoint", ctx.require("webhook_endpoint", ctx.path[0]))


def list_endpoints(ctx: Ctx) -> dict[str, Any]:
    return list_objects(ctx, "webhook_endpoint", "/v1/webhook_endpoints", lambda e: not e.get("deleted"))


def delete_endpoint(ctx: Ctx) -> dict[str, Any]:
    endpoint = ctx.get("webhook_endpoint", ctx.path[0])
    if endpoint is None or endpoint.get("deleted"):
        raise no_such("webhook_endpoint", ctx.path[0])
    endpoint["deleted"] = True
    ctx.put("webhook_endpoint", endpoint)
    return {"id": endpoint["id"], "object": "webhook_endpoint", "deleted": True}
