"""A mock of any OpenAPI 3.0/3.1 document: ``api-trainer mock FILE``.

Per request, in this order:

    fault (X-Mock-Fault header or a rule) -> route from the spec (404, or 405 with Allow) -> credentials
    (401) -> parameters and body (400, 415) -> Prefer -> idempotency (when a header is named) -> [delay]
    -> answer from inferred state or from the spec, stored with the idempotency record in one transaction
    -> [drop-after-commit] -> respond

Errors use the spec's declared shape for their status, else RFC 9457 problem details. Idempotency follows
the IETF draft "The Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-key-header): a
replay returns the first answer, the key reused with another body is 422, a key still in flight is 409.
Store, clock, fault engine, journal and ``/_mock/*`` are the engine's, as in the bundled mocks.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from ..specs import Operation, Spec
from ._clock import MockClock
from ._faults import (
    DELAY,
    DROP_AFTER_COMMIT,
    DROP_BEFORE_COMMIT,
    FaultEngine,
    FaultKind,
    FaultParam,
    FaultRegistry,
    FaultResponse,
    FaultRuleError,
    FiredFault,
    load_rules_file,
)
from ._forms import FormError, parse_form
from ._idempotency import IdempotencyLayer, StoredResult, fingerprint
from ._journal import JournalEntry, RequestTrace
from ._requests import OperationChecker, RequestProblem, parse_prefer
from ._routing import Router
from ._runtime import MockRuntime, control_router
from ._served import PROBLEM_JSON, NotFound, Served, SpecResponder, problem_details
from ._server import drop_connection
from ._store import Store, new_id

__all__ = ["SpecMock", "SpecMockConfig", "generic_faults"]

ACCOUNT = "spec"
_UNSAFE = ("POST", "PATCH", "PUT", "DELETE")


def _injected(status: int, title: str, detail: str) -> Callable[[Mapping[str, Any]], FaultResponse]:
    return lambda _params: FaultResponse(status, problem_details(status, title, detail))


def _rate_limit(params: Mapping[str, Any]) -> FaultResponse:
    body = problem_details(429, "Too Many Requests", "Rate limit exceeded (injected by the mock).")
    return FaultResponse(429, body, {"Retry-After": str(params["retry_after"])})


def generic_faults() -> FaultRegistry:
    return FaultRegistry(
        [
            DELAY,
            DROP_BEFORE_COMMIT,
            DROP_AFTER_COMMIT,
            FaultKind(
                "status-500",
                "respond",
                "500 problem details in front of the API",
                render=_injected(500, "Internal Server Error", "Injected by the mock: status-500."),
            ),
            FaultKind(
                "status-503",
                "respond",
                "503 problem details in front of the API",
                render=_injected(503, "Service Unavailable", "Injected by the mock: status-503."),
            ),
            FaultKind(
                "rate-limit",
                "respond",
                "429 problem details with Retry-After",
                (FaultParam("retry_after", int, 1),),
                render=_rate_limit,
            ),
        ]
    )


@dataclass(frozen=True)
class SpecMockConfig:
    state: Path | None = None
    faults_file: Path | None = None
    seed: int | None = None
    idempotency_header: str | None = None  # e.g. "Idempotency-Key"; None: no idempotency layer
    log: Callable[[JournalEntry], None] | None = None


class SpecMock:
    """One running mock of one spec: its router, checkers, responder, runtime and FastAPI app."""

    def __init__(self, spec: Spec, config: SpecMockConfig = SpecMockConfig()) -> None:
        self.spec = spec
        self.config = config
        store = Store(config.state)
        clock = MockClock()
        self.runtime = MockRuntime(
            store=store,
            clock=clock,
            faults=FaultEngine(generic_faults(), seed=config.seed),
            log=config.log,
            error_body=lambda message, field: problem_details(400, "Bad Request", message, param=field),
        )
        if config.idempotency_header:
            self.runtime.idempotency = IdempotencyLayer(store, clock)
        if config.faults_file is not None:
            load_rules_file(self.runtime.faults, config.faults_file)
        self.router = Router(spec)
        self.responder = SpecResponder(spec, seed=config.seed or 0)
        self._checkers: dict[str, OperationChecker] = {}
        self.app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
        self.app.include_router(control_router(self.runtime))
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        self.app.add_api_route("/{path:path}", self.handle, methods=methods, include_in_schema=False)

    @property
    def resources(self) -> list[str]:
        """The inferred resources' collection paths, for the banner."""
        return sorted({resource.collection for resource, _ in self.responder.roles.values()})

    def checker(self, operation: Operation) -> OperationChecker:
        checker = self._checkers.get(operation.pointer)
        if checker is None:
            checker = self._checkers[operation.pointer] = OperationChecker(self.spec, operation)
        return checker

    # pipeline ----------------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        trace = RequestTrace(request.method, request.url.path, request.url.query, new_id("req", 14))
        try:
            response = await self._pipeline(request, trace)
        except Exception as exc:  # a bug in the mock: still answer as problem details
            served = Served(
                500, problem_details(500, "Internal Server Error", f"mock error: {exc}"), PROBLEM_JSON
            )
            response = self._send(trace, served)
        self._record(trace)
        return response

    async def _pipeline(self, request: Request, trace: RequestTrace) -> Response:
        try:
            fault = self.runtime.faults.choose(trace.method, trace.path, request.headers.get("x-mock-fault"))
        except FaultRuleError as exc:
            body = problem_details(400, "Bad Request", f"Invalid X-Mock-Fault header: {exc.message}")
            return self._send(trace, Served(400, body, PROBLEM_JSON))
        trace.fault = fault
        if fault is not None and fault.kind.action == "respond":
            injected = fault.response()
            return self._send(
                trace, Served(injected.status, injected.body, PROBLEM_JSON, dict(injected.headers))
            )
        if fault is not None and fault.kind.action == "drop-before-commit":
            return self._drop(trace, request)
        response = await self._api(request, trace, fault)
        if fault is not None and fault.kind.action == "drop-after-commit":
            return self._drop(trace, request, response)
        return response

    async def _api(self, request: Request, trace: RequestTrace, fault: FiredFault | None) -> Response:
        match = self.router.match(trace.method, trace.path)
        if match is None:
            allowed = self.router.allowed_methods(trace.path)
            if allowed:
                detail = f"{trace.method} is not allowed on {trace.path}"
                served = Served(405, problem_details(405, "Method Not Allowed", detail), PROBLEM_JSON)
                return self._send(trace, served, {"Allow": ", ".join(sorted(allowed))})
            detail = f"No operation in the spec matches {trace.method} {trace.path}"
            return self._send(trace, Served(404, problem_details(404, "Not Found", detail), PROBLEM_JSON))
        operation = match.operation
        checker = self.checker(operation)
        trace.api_key = _credential_tail(request.headers.get("authorization"))
        body = await request.body()
        try:
            query = parse_form(trace.query) if trace.query else {}
            checker.check_credentials(request.headers, query)
            checked = checker.check(
                match.path_params, query, request.headers, request.headers.get("content-type"), body
            )
        except FormError as exc:
            return self._send(trace, self.responder.error(operation, 400, f"Invalid query: {exc}", exc.param))
        except RequestProblem as problem:
            return self._send(
                trace, self.responder.error(operation, problem.status, problem.message, problem.param)
            )
        prefer = parse_prefer(request.headers.get("prefer"))
        idempotency = self.runtime.idempotency
        header = self.config.idempotency_header
        key = request.headers.get(header) if header and trace.method in _UNSAFE else None
        trace.key = key
        if key is not None and idempotency is not None:
            refused = self._begin_idempotent(trace, operation, key, checked.body)
            if refused is not None:
                return refused
        try:
            if fault is not None and fault.kind.action == "delay":
                await asyncio.sleep(fault.params["ms"] / 1000)
            with self.runtime.store.transaction():
                try:
                    served = self.responder.respond(
                        operation,
                        checked,
                        store=self.runtime.store,
                        account=ACCOUNT,
                        concrete_path=trace.path,
                        prefer=prefer,
                        accept=request.headers.get("accept"),
                    )
                    trace.served = served.source
                except NotFound as missing:
                    served = self.responder.error(operation, 404, str(missing), missing.param)
                    trace.served = "state"
                response = self._send(trace, served)
                if key is not None and idempotency is not None:
                    stored_headers = {k: v for k, v in response.headers.items() if k != "content-length"}
                    idempotency.finish(
                        ACCOUNT,
                        key,
                        StoredResult(served.status, bytes(response.body), trace.request_id, stored_headers),
                    )
        except BaseException:
            if key is not None and idempotency is not None:
                idempotency.abandon(ACCOUNT, key)
            raise
        return response

    def _begin_idempotent(
        self, trace: RequestTrace, operation: Operation, key: str, body: Any
    ) -> Response | None:
        """The first answer again (a replay), a refusal (409 in flight, 422 another body), or None: run it."""
        assert self.runtime.idempotency is not None
        header = self.config.idempotency_header
        begin = self.runtime.idempotency.begin(
            ACCOUNT, key, trace.method, trace.path, fingerprint(trace.method, trace.path, body)
        )
        if begin.outcome == "in_flight":
            message = f"A request with {header} '{key}' is still in progress"
            return self._send(trace, self.responder.error(operation, 409, message, header))
        if begin.outcome == "mismatch":
            message = f"{header} '{key}' was already used with another request"
            return self._send(trace, self.responder.error(operation, 422, message, header))
        if begin.outcome == "replay":
            assert begin.stored is not None
            trace.replayed = True
            trace.status = begin.stored.status
            headers = {**begin.stored.headers, "Idempotent-Replayed": "true"}
            return Response(begin.stored.body, status_code=begin.stored.status, headers=headers)
        return None

    # responses ---------------------------------------------------------------------------------------

    def _send(self, trace: RequestTrace, served: Served, extra: dict[str, str] | None = None) -> Response:
        headers = {"X-Request-Id": trace.request_id, **served.headers, **(extra or {})}
        if trace.key is not None:
            headers.setdefault(self.config.idempotency_header or "Idempotency-Key", trace.key)
        trace.status = served.status
        body = served.body
        if body is None:
            return Response(status_code=served.status, headers=headers)
        if isinstance(body, bytes):
            content = body
        elif isinstance(body, str) and not (served.media_type or "").endswith("json"):
            content = body.encode()
        else:
            content = json.dumps(body, separators=(",", ":")).encode()
        return Response(content, status_code=served.status, headers=headers, media_type=served.media_type)

    def _drop(self, trace: RequestTrace, request: Request, response: Response | None = None) -> Response:
        if drop_connection(request.scope):
            trace.status = None
            return Response(status_code=204)  # discarded: the connection is already closed
        return response or self._send(
            trace, Served(500, problem_details(500, "Internal Server Error", "dropped"), PROBLEM_JSON)
        )

    def _record(self, trace: RequestTrace) -> None:
        trace.version = self.spec.version or None
        self.runtime.record(trace.entry())


def _credential_tail(authorization: str | None) -> str | None:
    """The last four characters of the credential, for the journal (never the credential itself)."""
    scheme, _, credentials = (authorization or "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "basic":
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            credentials = base64.b64decode(credentials, validate=True).decode().partition(":")[0]
    return credentials[-4:] if credentials else None
