"""The payments mock's request pipeline, in Stripe's order.

    fault (header or rule) -> auth (401) -> rate limit (429) -> version (400) -> route from the spec (404)
    -> parse and validate against the spec (400) -> idempotency (replay / 400 / 409) -> [delay] -> execute
    and store the result under the key, atomically -> [drop-after-commit] -> respond

Everything before the idempotency layer stores nothing, so a retry with the same key runs for real; that
includes injected ``status-500``/``status-503``/``rate-limit``/``lock-timeout``, which answer in front of the
API like a load balancer. Results of execution, 402 and 500 included, are stored and replayed.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api_trainer.errors import UsageError
from api_trainer.mock import (
    FaultEngine,
    FaultRuleError,
    FiredFault,
    FormError,
    IdempotencyLayer,
    JournalEntry,
    MockClock,
    MockRuntime,
    Problem,
    RateLimiter,
    RequestTrace,
    RouteMatch,
    Router,
    Store,
    StoredResult,
    control_router,
    drop_connection,
    fingerprint,
    load_rules_file,
    new_id,
    operation_schema,
    parse_form,
    parse_multipart,
    validate_params,
)
from api_trainer.specs import Operation, Spec, load_spec

from . import errors
from .context import Ctx
from .errors import StripeError
from .faults import payments_faults
from .routes import handler_for
from .spec_served import StripeSpec
from .versions import bundled_versions, render, resolve_version
from .webhooks import WebhookDispatcher, emit_event

TEST_KEY = "sk_test_api_trainer"


def new_request_id() -> str:
    return new_id("req", 14)


@dataclass(frozen=True)
class PaymentsConfig:
    api_version: str | None = None
    state: Path | None = None
    faults_file: Path | None = None
    seed: int | None = None
    rate_limit: float | None = None
    log: Callable[[JournalEntry], None] | None = None


def problem_error(problem: Problem) -> StripeError:
    """A spec validation problem in Stripe's words."""
    if problem.kind == "unknown":
        return errors.unknown_param(problem.param)
    if problem.kind == "missing":
        return errors.missing_param(problem.param)
    if problem.kind == "type":
        code = {"integer": "parameter_invalid_integer", "boolean": "parameter_invalid_boolean"}.get(
            problem.expected or "", "parameter_invalid_string"
        )
        return errors.invalid(problem.message, code=code, param=problem.param)
    if problem.kind == "range":
        return errors.invalid(problem.message, code="parameter_invalid_integer", param=problem.param)
    return errors.invalid(problem.message, param=problem.param)


class PaymentsMock:
    """One running payments mock: its specs, state, faults, journal and FastAPI app."""

    def __init__(self, config: PaymentsConfig) -> None:
        self.config = config
        self.versions = bundled_versions()
        if not self.versions:
            raise UsageError("no bundled payments specs found")
        try:
            self.default_version = resolve_version(config.api_version, self.versions[-1], self.versions)
        except StripeError:
            raise UsageError(
                f"--api-version {config.api_version}: not a payments version; bundled: {', '.join(self.versions)}"
            ) from None
        self.specs: dict[str, Spec] = {v: load_spec(f"payments@{v}") for v in self.versions}
        self.routers = {v: Router(spec) for v, spec in self.specs.items()}
        self._schemas: dict[tuple[str, str], dict[str, Any]] = {}
        store = Store(config.state)
        clock = MockClock()
        self.runtime = MockRuntime(
            store=store,
            clock=clock,
            faults=FaultEngine(payments_faults(), seed=config.seed),
            log=config.log,
            error_body=lambda message, field: {
                "error": {"type": "invalid_request_error", "message": message, "param": field}
            },
        )
        # every operation without a handler, from Stripe's spec, loaded on first use
        self.stripe = StripeSpec(clock.now_int, seed=config.seed or 0)
        self.idempotency = IdempotencyLayer(store, clock)
        self.runtime.idempotency = self.idempotency
        self.rate_limiter = RateLimiter(config.rate_limit) if config.rate_limit else None
        if config.faults_file is not None:
            load_rules_file(self.runtime.faults, config.faults_file)
        self.webhooks = WebhookDispatcher(store, clock, self._render_event)
        self.runtime.on_reset.append(self.webhooks.clear)
        self._emit = emit_event(self.webhooks)
        self.app = self._build_app()

    def close(self) -> None:
        """Close the store, which releases the ``--state`` file's lock for the next server."""
        self.runtime.store.close()

    # app ---------------------------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        @asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            await self.webhooks.start()
            try:
                yield
            finally:
                await self.webhooks.stop()

        app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)
        app.include_router(control_router(self.runtime))

        @app.get("/_mock/webhooks", include_in_schema=False)
        def deliveries() -> dict[str, Any]:
            return {"data": self.webhooks.snapshot()}

        methods = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]
        app.add_api_route("/{path:path}", self.handle, methods=methods, include_in_schema=False)
        return app

    def _render_event(self, account: str, event: dict[str, Any], version: str) -> str:
        if version not in self.specs:
            version = self.default_version
        lookup = lambda kind, object_id: self.runtime.store.get(account, kind, object_id)  # noqa: E731
        return json.dumps(render("event", event, version, lookup), indent=2)

    # pipeline ----------------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        trace = _Trace(
            request.method,
            request.url.path,
            request.url.query,
            new_request_id(),
            key=request.headers.get("idempotency-key") if request.method == "POST" else None,
            requested_version=request.headers.get("stripe-version"),
        )
        try:
            response = await self._pipeline(request, trace)
        except Exception:  # a bug in the mock: still answer in Stripe's shape, never a bare 500 page
            response = self._error(trace, errors.api_error())
        self._record(trace)
        return response

    async def _pipeline(self, request: Request, trace: _Trace) -> Response:
        try:
            fault = self.runtime.faults.choose(trace.method, trace.path, request.headers.get("x-mock-fault"))
        except FaultRuleError as exc:
            error = errors.invalid(f"Invalid X-Mock-Fault header: {exc.message}", param="X-Mock-Fault")
            return self._error(trace, error)
        trace.fault = fault
        if fault is not None:
            action = fault.kind.action
            if action == "respond":
                injected = fault.response()
                error_body = dict(injected.body["error"])
                error_body["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{trace.request_id}"
                body = json.dumps({"error": error_body}).encode()
                return self._send(trace, injected.status, body, dict(injected.headers))
            if action == "drop-before-commit":
                return self._drop(trace, request)
        try:
            response = await self._api(request, trace, fault)
        except StripeError as exc:
            return self._error(trace, exc)
        if fault is not None and fault.kind.action == "drop-after-commit":
            return self._drop(trace, request, response)
        return response

    async def _api(self, request: Request, trace: _Trace, fault: FiredFault | None) -> Response:
        account = self._authenticate(request.headers.get("authorization"))
        trace.api_key = account[-4:]
        if self.rate_limiter is not None and not self.rate_limiter.allow():
            raise errors.rate_limited()
        version = resolve_version(trace.requested_version, self.default_version, self.versions)
        trace.version = version
        spec = self.specs[version]
        match = self.routers[version].match(trace.method, trace.path)
        handler = handler_for(trace.method, match.template) if match is not None else None
        templated = match is not None and "{" in match.template
        if handler is None or (templated and self.stripe.has_literal(trace.method, trace.path)):
            # Precedence: the stateful handler, then Stripe's spec (see spec_served.py).
            match = self.stripe.match(trace.method, trace.path)
            if match is None:
                raise errors.unrecognized_url(trace.method, trace.path)
            spec, handler = self.stripe.spec, self._spec_handler(match, trace)
            trace.served = "spec"
        else:
            trace.served = "handler"
        assert match is not None
        raw: dict[str, Any]
        try:
            raw = parse_form(trace.query) if trace.query else {}
            if trace.method == "POST":
                body = await request.body()
                content_type = request.headers.get("content-type", "")
                multipart = content_type.startswith("multipart/form-data")  # file uploads (/v1/files)
                raw.update(parse_multipart(content_type, body) if multipart else parse_form(body))
        except FormError as exc:
            raise errors.invalid(f"Invalid request: {exc}", param=exc.param) from None
        schema = self._schema(version, match.operation) if trace.served == "handler" else None
        checked = validate_params(spec, schema or self.stripe.schema(match.operation), raw)
        if checked.problems:
            raise problem_error(checked.problems[0])
        params = checked.params
        ctx = Ctx(
            store=self.runtime.store,
            clock=self.runtime.clock,
            account=account,
            version=version,
            params=params,
            path=match.path_values,
            request_id=trace.request_id,
            idempotency_key=trace.key,
            emit_event=self._emit,
            expand=[str(e) for e in params.get("expand") or []],
        )
        key = trace.key
        if key is not None:
            if len(key) > 255:
                raise errors.key_too_long(key)
            begin = self.idempotency.begin(
                account, key, trace.method, trace.path, fingerprint(trace.method, trace.path, raw)
            )
            if begin.outcome == "in_flight":
                raise errors.key_in_use(key)
            if begin.outcome == "mismatch":
                if (begin.first_method, begin.first_path) != (trace.method, trace.path):
                    raise errors.idempotency_other_endpoint(key, str(begin.first_path), trace.path)
                raise errors.idempotency_mismatch(key)
            if begin.outcome == "replay":
                assert begin.stored is not None
                trace.replayed = True
                trace.original_request = begin.stored.request_id
                return self._send(trace, begin.stored.status, begin.stored.body, dict(begin.stored.headers))
        try:
            if fault is not None and fault.kind.action == "delay":
                await asyncio.sleep(fault.params["ms"] / 1000)
            status, body, extra = self._execute(ctx, handler, key)
        except BaseException:
            if key is not None:
                self.idempotency.abandon(account, key)
            raise
        trace.original_request = trace.request_id
        return self._send(trace, status, body, extra)

    def _execute(
        self, ctx: Ctx, handler: Callable[[Ctx], dict[str, Any]], key: str | None
    ) -> tuple[int, bytes, dict[str, str]]:
        store = self.runtime.store
        try:
            with store.transaction():
                try:
                    status, result = 200, handler(ctx)
                except StripeError as exc:
                    # Work done before a failure in execution (a declined charge) is kept, and the error
                    # is the stored result, as Stripe stores results of execution.
                    status, result = exc.status, exc.body(ctx.request_id)
                body = json.dumps(result).encode()
                if key is not None:
                    self.idempotency.finish(ctx.account, key, StoredResult(status, body, ctx.request_id))
        except Exception:
            error = errors.api_error()
            status, body = 500, json.dumps(error.body(ctx.request_id)).encode()
            if key is not None:
                self.idempotency.finish(ctx.account, key, StoredResult(status, body, ctx.request_id))
        return status, body, {}

    def _spec_handler(self, match: RouteMatch, trace: _Trace) -> Callable[[Ctx], dict[str, Any]]:
        return lambda ctx: self.stripe.serve(ctx, match, trace.path, trace.method)

    def _schema(self, version: str, operation: Operation) -> dict[str, Any]:
        cache_key = (version, operation.pointer)
        schema = self._schemas.get(cache_key)
        if schema is None:
            schema = operation_schema(self.specs[version], operation)
            self._schemas[cache_key] = schema
        return schema

    def _authenticate(self, authorization: str | None) -> str:
        if not authorization:
            raise errors.no_key()
        scheme, _, credentials = authorization.partition(" ")
        credentials = credentials.strip()
        if scheme.lower() == "basic":
            try:
                credentials = base64.b64decode(credentials, validate=True).decode().partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                raise errors.bad_key(credentials) from None
        elif scheme.lower() != "bearer":
            raise errors.no_key()
        if not credentials.startswith("sk_test_") or len(credentials) <= len("sk_test_"):
            raise errors.bad_key(credentials)
        return credentials

    # responses ---------------------------------------------------------------------------------------

    def _error(self, trace: _Trace, error: StripeError) -> Response:
        body = json.dumps(error.body(trace.request_id)).encode()
        return self._send(trace, error.status, body, dict(error.headers))

    def _send(self, trace: _Trace, status: int, body: bytes, extra: dict[str, str]) -> Response:
        headers = {
            "Request-Id": trace.request_id,
            "Stripe-Version": trace.version or self.default_version,
            "Cache-Control": "no-cache, no-store",
        }
        injected = trace.fault is not None and trace.fault.kind.action == "respond"
        # Never "true" on a 2xx (the SDK would retry a success); never "false" on a 409, a 5xx we want
        # retried, or an injected answer that already says what it wants.
        if status < 500 and status != 409 and "Stripe-Should-Retry" not in extra and not injected:
            headers["Stripe-Should-Retry"] = "false"
        if trace.key is not None:
            headers["Idempotency-Key"] = trace.key
        if trace.original_request is not None:
            headers["Original-Request"] = trace.original_request
        if trace.replayed:
            headers["Idempotent-Replayed"] = "true"
        headers.update(extra)
        trace.status = status
        return Response(body, status_code=status, headers=headers, media_type="application/json")

    def _drop(self, trace: _Trace, request: Request, response: Response | None = None) -> Response:
        """Close the connection without an answer; the journal shows status null."""
        if drop_connection(request.scope):
            trace.status = None
            return Response(status_code=204)  # discarded: the connection is already closed
        # Not served by api_trainer.mock.serve (an in-process test client): there is no socket to close.
        return response or JSONResponse(
            {"error": {"type": "api_error", "message": "dropped"}}, status_code=500
        )

    def _record(self, trace: _Trace) -> None:
        self.runtime.record(trace.entry())


@dataclass
class _Trace(RequestTrace):
    """The engine's trace plus the request whose result a replay returns (``Original-Request``)."""

    original_request: str | None = None
