"""The data-platform mock as an ASGI app, built from the generic engine in :mod:`api_trainer.mock`.

Per request, in this order (the order a real gateway applies them):

1. ``GET /.well-known/databricks-config`` answers 404 at once, unauthenticated: the databricks-sdk asks for
   it while constructing a client and only falls back to the explicit configuration on a quick failure.
2. Bearer auth: any ``dapi...`` token (401 ``UNAUTHENTICATED`` without one, 403 ``PERMISSION_DENIED`` for
   another kind of token).
3. Faults (``X-Mock-Fault`` header, then rules): ``rate-limit`` -> 429 ``REQUEST_LIMIT_EXCEEDED`` with an
   integer ``Retry-After``; ``status-503`` -> ``TEMPORARILY_UNAVAILABLE``; ``status-500`` ->
   ``INTERNAL_ERROR`` (which the SDK does *not* retry); ``delay``, ``drop-before-commit``,
   ``drop-after-commit`` as in the payments mock.
4. Routing and validation from the bundled spec of the version in the path (``dataplatform@2.0`` /
   ``2.1`` / ``2.2``); problems answer 400 in the Databricks shape.
5. The handler, in a worker thread (statements may wait up to ``wait_timeout``); then the journal entry,
   with ``version`` from the path and ``idempotency_key`` from the body's ``idempotency_token``.

Samples live in an in-memory DuckDB built from ``seed`` (:data:`DEFAULT_SAMPLE_SEED` when none is given); statements are kept in memory only, while jobs
and runs go to the engine's store (``--state`` keeps them across restarts).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api_trainer.mock import (
    DELAY,
    DROP_AFTER_COMMIT,
    DROP_BEFORE_COMMIT,
    FaultEngine,
    FaultKind,
    FaultParam,
    FaultRegistry,
    FaultResponse,
    FaultRuleError,
    FormError,
    JournalEntry,
    MockClock,
    MockRuntime,
    Router,
    Store,
    control_router,
    drop_connection,
    load_rules_file,
    operation_schema,
    parse_json,
    utc_now_iso,
    validate_params,
)
from api_trainer.specs import Operation, Spec, load_spec

from .errors import DatabricksApiError, error_body
from .handlers import Handlers
from .jobs import ACCOUNT
from .sandbox import sandboxed_connection
from .statements import DEFAULT_STATEMENT_TIMEOUT, StatementEngine
from .versions import VERSIONS, reject_single_task

__all__ = ["DEFAULT_SAMPLE_SEED", "DataPlatformMock", "banner_lines", "build_app", "fault_registry"]

WORKSPACE_ID = "1234567890123456"
DEFAULT_SAMPLE_SEED = 42
_VERSION_IN_PATH = re.compile(r"^/api/(2\.[0-9])/")
_TOKEN_PREFIX = "dapi"


def _respond(status: int, code: str, message: str) -> Callable[[Any], FaultResponse]:
    return lambda _params: FaultResponse(status, error_body(code, message))


def fault_registry() -> FaultRegistry:
    rate_limit = FaultKind(
        "rate-limit",
        "respond",
        "429 REQUEST_LIMIT_EXCEEDED with an integer Retry-After (the databricks-sdk sleeps it and retries)",
        (FaultParam("retry_after", int, 1),),
        render=lambda p: FaultResponse(
            429,
            error_body("REQUEST_LIMIT_EXCEEDED", "Too many requests. Please wait a moment and try again."),
            {"Retry-After": str(int(p["retry_after"]))},
        ),
    )
    return FaultRegistry(
        [
            DELAY,
            DROP_BEFORE_COMMIT,
            DROP_AFTER_COMMIT,
            rate_limit,
            FaultKind(
                "status-503",
                "respond",
                "503 TEMPORARILY_UNAVAILABLE (retried by the databricks-sdk)",
                render=_respond(503, "TEMPORARILY_UNAVAILABLE", "The service is temporarily unavailable."),
            ),
            FaultKind(
                "status-500",
                "respond",
                "500 INTERNAL_ERROR (not retried by the databricks-sdk)",
                render=_respond(
                    500, "INTERNAL_ERROR", "Internal error in the data-platform mock (injected)."
                ),
            ),
        ]
    )


@dataclass
class DataPlatformMock:
    app: FastAPI
    runtime: MockRuntime
    statements: StatementEngine

    def close(self) -> None:
        self.statements.close()
        self.runtime.store.close()


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


def build_app(
    *,
    state: Path | None = None,
    faults: Path | None = None,
    seed: int | None = None,
    time_scale: float = 1.0,
    statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
    log: Callable[[JournalEntry], None] | None = None,
) -> DataPlatformMock:
    runtime = MockRuntime(
        store=Store(state),
        clock=MockClock(time_scale=time_scale),
        faults=FaultEngine(fault_registry(), seed=seed),
        log=log,
        error_body=lambda message, _field: error_body("INVALID_PARAMETER_VALUE", message),
    )
    if faults is not None:
        load_rules_file(runtime.faults, faults)
    connection = sandboxed_connection(DEFAULT_SAMPLE_SEED if seed is None else seed)
    statements = StatementEngine(
        connection, runtime.clock.now, seed=seed or 0, statement_timeout=statement_timeout
    )
    runtime.on_reset.append(statements.reset)
    runtime.clock.on_advance(statements.clock_moved)
    handlers = Handlers(runtime.store, runtime.clock.now, statements)
    specs = {version: load_spec(f"dataplatform@{version}") for version in VERSIONS}
    routers = {version: Router(spec) for version, spec in specs.items()}
    schemas: dict[tuple[str, str], dict[str, Any]] = {}

    def schema_for(version: str, spec: Spec, operation: Operation) -> dict[str, Any]:
        key = (version, operation.pointer)
        if key not in schemas:
            schemas[key] = _flatten_all_of(spec, operation, operation_schema(spec, operation))
        return schemas[key]

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # Cancel statements still sleeping or running, so stopping the server never waits for them.
        statements.reset()

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)
    app.include_router(control_router(runtime))

    @app.get("/.well-known/databricks-config", include_in_schema=False)
    def host_metadata() -> JSONResponse:
        return _json(404, error_body("ENDPOINT_NOT_FOUND", "No host metadata on this mock workspace."))

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def api(request: Request) -> Response:
        path = request.url.path
        request_id = str(uuid.uuid4())
        found = _VERSION_IN_PATH.match(path)
        version = found.group(1) if found else None
        raw = await request.body()
        body: Any = {}
        malformed: str | None = None
        if raw.strip():
            try:
                body = parse_json(raw)
            except FormError as exc:
                malformed = f"Request body: {exc}"
            if not malformed and not isinstance(body, dict):
                malformed, body = "Request body must be a JSON object.", {}
        token = body.get("idempotency_token") if isinstance(body, dict) else None
        key = str(token) if token is not None else None
        auth = request.headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        replayed = False
        fault_name: str | None = None

        def record(status: int | None) -> None:
            runtime.record(
                JournalEntry(
                    time=utc_now_iso(),
                    method=request.method,
                    path=path,
                    query=request.url.query,
                    status=status,
                    fault=fault_name,
                    idempotency_key=key,
                    replayed=replayed,
                    request_id=request_id,
                    api_key=bearer[-4:] if bearer else None,
                    requested_version=version,
                    version=version,
                )
            )

        def fail(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
            record(status)
            return _json(status, error_body(code, message, request_id), headers)

        if bearer is None:
            return fail(
                401, "UNAUTHENTICATED", "Missing Authorization header: send 'Authorization: Bearer dapi...'."
            )
        if not bearer.startswith(_TOKEN_PREFIX):
            return fail(
                403, "PERMISSION_DENIED", "Invalid access token: this workspace accepts 'dapi...' tokens."
            )
        try:
            fault = runtime.faults.choose(request.method, path, request.headers.get("x-mock-fault"))
        except FaultRuleError as exc:
            return fail(400, "INVALID_PARAMETER_VALUE", f"Invalid X-Mock-Fault: {exc.field}: {exc.message}")
        if fault is not None:
            fault_name = fault.name
            action = fault.kind.action
            if action == "respond":
                injected = fault.response()
                record(injected.status)
                return _json(injected.status, injected.body, injected.headers)
            if action == "delay":
                await asyncio.sleep(float(fault.params["ms"]) / 1000)
            elif action == "drop-before-commit":
                drop_connection(cast(dict[str, Any], request.scope))
                record(None)
                return Response(status_code=204)
        if path == "/api/2.0/preview/scim/v2/Me" and request.method == "GET":
            record(200)
            return _json(200, handlers.me(), {"X-Databricks-Org-Id": WORKSPACE_ID})
        if version not in routers:
            return fail(404, "ENDPOINT_NOT_FOUND", f"No API found for '{request.method} {path}'.")
        router, spec = routers[version], specs[version]
        match = router.match(request.method, path)
        if match is None:
            allowed = router.allowed_methods(path)
            if allowed:
                return fail(
                    405,
                    "BAD_REQUEST",
                    f"{request.method} is not allowed on {path}; use {', '.join(sorted(allowed))}.",
                )
            return fail(404, "ENDPOINT_NOT_FOUND", f"No API found for '{request.method} {path}'.")
        if malformed:
            return fail(400, "MALFORMED_REQUEST", malformed)
        body_spec = spec.get(match.operation.node, "requestBody")
        if not raw.strip() and isinstance(body_spec, dict) and body_spec.get("required") is True:
            # Databricks parses bodies with Jackson: a POST with no body at all is this 400 (an empty JSON
            # object {} is a valid body). Message as the REST API answers it.
            return fail(
                400,
                "MALFORMED_REQUEST",
                "Could not parse request object: No content to map due to end-of-input",
            )
        params: dict[str, Any] = dict(request.query_params)
        if request.method != "GET":
            params.update(body)
        try:
            reject_single_task(version, match.operation.operation_id, params)
        except DatabricksApiError as exc:
            return fail(exc.status, exc.error_code, exc.message)
        checked = validate_params(spec, schema_for(version, spec, match.operation), params, json_strings=True)
        if not checked.ok:
            problem = checked.problems[0]
            return fail(
                400,
                "INVALID_PARAMETER_VALUE",
                _problem_message(problem.kind, problem.param, problem.message, problem.expected),
            )
        if key is not None:
            replayed = runtime.store.get(ACCOUNT, "run-token", f"token-{key}") is not None
        try:
            result = await run_in_threadpool(
                handlers.dispatch,
                match.operation.operation_id or "",
                version,
                checked.params,
                match.path_params,
            )
        except DatabricksApiError as exc:
            return fail(exc.status, exc.error_code, exc.message)
        if fault is not None and fault.kind.action == "drop-after-commit":
            drop_connection(cast(dict[str, Any], request.scope))
            record(None)
            return Response(status_code=204)
        record(200)
        return _json(200, result)

    return DataPlatformMock(app, runtime, statements)


def _flatten_all_of(spec: Spec, operation: Operation, schema: dict[str, Any]) -> dict[str, Any]:
    """Add the properties of a JSON body schema composed with ``allOf`` (``CreateJob`` = ``JobSettings`` +
    ``access_control_list``), which the engine's :func:`operation_schema` reads only from ``properties``."""
    body = spec.get(operation.node, "requestBody")
    media = spec.deref((spec.get(body, "content") or {}).get("application/json") or {}) if body else {}
    pending = [spec.deref(media.get("schema") or {})] if isinstance(media, dict) else []
    properties, required = dict(schema["properties"]), list(schema["required"])
    while pending:
        part = spec.deref(pending.pop())
        if not isinstance(part, dict):
            continue
        pending.extend(part.get("allOf") or [])
        properties.update(spec.deref(part.get("properties")) or {})
        required.extend(str(r) for r in part.get("required") or [] if r not in required)
    return {**schema, "properties": properties, "required": required}


def _problem_message(kind: str, param: str, message: str, expected: str | None) -> str:
    field = param.replace("][", ".").replace("[", ".").rstrip("]")
    if kind == "missing":
        return f"Missing required field: {field}."
    if kind == "unknown":
        return f"Unknown field: {field}."
    if kind == "type":
        return f"Invalid value for field {field}: expected {expected or 'another type'}."
    return f"Invalid value for field {field}: {message}"


def banner_lines(mock: DataPlatformMock, base: str) -> list[str]:
    """What ``api-trainer mock dataplatform`` prints once it listens (``{port}`` is filled in by the CLI)."""
    from .samples import SAMPLE_TABLES
    from .warehouses import WAREHOUSES

    runtime = mock.runtime
    return [
        f"dataplatform mock (Databricks-like) listening on {base}",
        "  Jobs API: /api/2.0, /api/2.1, /api/2.2; SQL statements: /api/2.0/sql/statements",
        f"  time scale: {runtime.clock.time_scale:g}x; state: {runtime.store.path}; "
        f"faults: {len(runtime.faults.rules())} rule(s)",
        f"  warehouses: {', '.join(f'{w.id} ({w.name})' for w in WAREHOUSES)}; "
        f"STATEMENT_TIMEOUT {mock.statements.statement_timeout:g} s; SQL: read-only queries, no host access",
        f"  sample tables: {', '.join(t.qualified_name for t in SAMPLE_TABLES)}",
        "  token: any 'dapi...' value. Point the databricks-sdk at it:",
        f'    w = WorkspaceClient(host="{base}", token="dapi-local")',
        f"  control: {base}/_mock/requests  /_mock/faults  /_mock/clock  /_mock/reset   (Ctrl-C stops)",
    ]
