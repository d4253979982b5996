"""What one running mock holds (store, clock, faults, journal, idempotency) and its ``/_mock`` routes.

The control routes never require auth and are not journalled:

* ``GET/POST/DELETE /_mock/faults``, ``DELETE /_mock/faults/{id}``: the live fault rules;
* ``GET/DELETE /_mock/requests``: the journal, oldest first;
* ``GET /_mock/clock``, ``POST /_mock/clock {"advance_seconds": N}``;
* ``POST /_mock/reset``: wipe objects, idempotency records, journal, fault rules and the clock offset.

A bad rule, body or clock request answers 400 in the mock's own error shape (``error_body``), naming the
field that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ._clock import MockClock
from ._faults import FaultEngine, FaultRuleError
from ._forms import FormError, parse_json
from ._idempotency import IdempotencyLayer
from ._journal import Journal, JournalEntry, utc_now_iso
from ._ratelimit import RateLimiter
from ._store import Store

__all__ = ["MockRuntime", "control_router", "format_log_line", "utc_now_iso"]

ErrorBody = Callable[[str, str | None], dict[str, Any]]


def _default_error_body(message: str, field_name: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "field": field_name}}


@dataclass
class MockRuntime:
    store: Store
    clock: MockClock
    faults: FaultEngine
    journal: Journal = field(default_factory=Journal)
    idempotency: IdempotencyLayer | None = None
    rate_limiter: RateLimiter | None = None
    log: Callable[[JournalEntry], None] | None = None
    error_body: ErrorBody = _default_error_body
    on_reset: list[Callable[[], None]] = field(default_factory=list)

    def record(self, entry: JournalEntry) -> None:
        self.journal.append(entry)
        if self.log is not None:
            self.log(entry)

    def reset(self) -> None:
        self.store.wipe()
        self.journal.clear()
        self.faults.reset()
        self.clock.reset()
        for callback in self.on_reset:
            callback()


def format_log_line(entry: JournalEntry) -> str:
    """The live log line a running mock prints per request."""
    status = str(entry.status) if entry.status is not None else "DROP"
    parts = [
        entry.time[11:23],
        f"{entry.method:<6}",
        entry.path + (f"?{entry.query}" if entry.query else ""),
        status,
    ]
    if entry.idempotency_key:
        parts.append(f"key={entry.idempotency_key}")
    if entry.replayed:
        parts.append("replayed")
    if entry.fault:
        parts.append(f"fault={entry.fault}")
    parts.append(entry.request_id)
    return " ".join(parts)


def control_router(runtime: MockRuntime) -> APIRouter:
    router = APIRouter(prefix="/_mock", include_in_schema=False)

    def bad(message: str, field_name: str | None) -> JSONResponse:
        return JSONResponse(runtime.error_body(message, field_name), status_code=400)

    async def json_body(request: Request) -> Any:
        raw = await request.body()
        if not raw.strip():
            return {}
        try:
            return parse_json(raw)
        except FormError as exc:
            raise FaultRuleError("body", str(exc)) from exc

    @router.get("/faults")
    def list_faults() -> dict[str, Any]:
        return {"data": [rule.as_json() for rule in runtime.faults.rules()]}

    @router.post("/faults", response_model=None)
    async def add_fault(request: Request) -> JSONResponse:
        try:
            rule = runtime.faults.add(await json_body(request))
        except FaultRuleError as exc:
            return bad(f"Invalid fault rule: {exc.field}: {exc.message}", exc.field)
        return JSONResponse(rule.as_json(), status_code=201)

    @router.delete("/faults")
    def clear_faults() -> dict[str, Any]:
        runtime.faults.clear()
        return {"deleted": True}

    @router.delete("/faults/{rule_id}", response_model=None)
    def delete_fault(rule_id: str) -> JSONResponse:
        if runtime.faults.delete(rule_id):
            return JSONResponse({"id": rule_id, "deleted": True})
        body = runtime.error_body(f"No such fault rule: '{rule_id}'", "id")
        return JSONResponse(body, status_code=404)

    @router.get("/requests")
    def list_requests() -> dict[str, Any]:
        return {"data": [entry.as_json() for entry in runtime.journal.entries()]}

    @router.delete("/requests")
    def clear_requests() -> dict[str, Any]:
        runtime.journal.clear()
        return {"deleted": True}

    @router.get("/clock")
    def read_clock() -> dict[str, Any]:
        return runtime.clock.as_json()

    @router.post("/clock", response_model=None)
    async def advance_clock(request: Request) -> Response:
        try:
            body = await json_body(request)
        except FaultRuleError as exc:
            return bad(exc.message, "body")
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            return bad("advance_seconds must be a number of seconds, 0 or more", "advance_seconds")
        runtime.clock.advance(float(seconds))
        return JSONResponse(runtime.clock.as_json())

    @router.post("/reset")
    def reset() -> dict[str, Any]:
        runtime.reset()
        return {"reset": True}

    return router
