"""The generic mock engine every bundled API mock is built from. Nothing here is Stripe- or Databricks-specific.

Pieces, and how a mock (``mock_servers/<api>/``) uses them::

    from api_trainer.mock import (
        BackgroundServer, FaultEngine, FaultKind, FaultRegistry, FaultResponse, IdempotencyLayer,
        Journal, JournalEntry, MockClock, MockRuntime, Router, Store, control_router, drop_connection,
        fingerprint, operation_schema, parse_form, validate_params, DELAY, DROP_AFTER_COMMIT, DROP_BEFORE_COMMIT,
    )

    # 1. Faults: register the names this API knows. ``respond`` faults render in the API's own shape.
    registry = FaultRegistry([DELAY, DROP_BEFORE_COMMIT, DROP_AFTER_COMMIT, FaultKind(
        "rate-limit", "respond", "429 in front of the API", (FaultParam("retry_after", int, 1),),
        render=lambda p: FaultResponse(429, {"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "..."},
                                       {"Retry-After": str(p["retry_after"])}),
    )])
    runtime = MockRuntime(
        store=Store(state_path),                 # SQLite; None = in memory; atomic, thread-safe transactions
        clock=MockClock(time_scale=1.0),         # POST /_mock/clock {"advance_seconds": N}
        faults=FaultEngine(registry, seed=seed), # rules + X-Mock-Fault header + seeded RNG
        error_body=lambda message, field: {...}, # how a bad /_mock request looks in this API
    )
    runtime.idempotency = IdempotencyLayer(runtime.store, runtime.clock)   # if the API has keys
    load_rules_file(runtime.faults, Path("faults.yaml"))                   # --faults FILE (UsageError if bad)

    # 2. The app: FastAPI with the control routes and one catch-all route that runs the pipeline.
    app = FastAPI(); app.include_router(control_router(runtime))
    router = Router(load_spec("dataplatform@2.1"))       # spec path templates -> Operation + path params
    schema = operation_schema(spec, match.operation)      # query params + body schema as one object schema
    checked = validate_params(spec, schema, parse_form(body))   # or a JSON body; problems are structured:
    #   Problem(kind="unknown"|"missing"|"type"|"range"|"enum", param="metadata[k]", message=...)

    # 3. Per request, in the API's own order, e.g.:
    fault = runtime.faults.choose(method, path, request.headers.get("x-mock-fault"))  # FaultRuleError -> 400
    #   fault.kind.action == "respond"            -> return fault.response() (status, body, headers); no state
    #   "delay"                                    -> await asyncio.sleep(fault.params["ms"] / 1000)
    #   "drop-before-commit"                       -> drop_connection(request.scope); journal status None
    #   "drop-after-commit"                        -> run and store everything, then drop_connection(...)
    begin = runtime.idempotency.begin(account, key, method, path, fingerprint(method, path, params))
    #   begin.outcome: "new" | "replay" (begin.stored) | "mismatch" | "in_flight"
    with runtime.store.transaction():   # objects and the idempotency record commit together
        ...; runtime.idempotency.finish(account, key, StoredResult(status, body, request_id))
    runtime.record(JournalEntry(...))   # GET /_mock/requests, and the live log line unless --quiet

    # 4. Serving: bind_socket(host, port) (port in use -> ServerStartError, exit 2), then
    serve(app, sock, on_started=print_banner)   # blocks; Ctrl-C stops cleanly
    with BackgroundServer(app).running() as server:   # tests: 127.0.0.1, free port, bounded readiness wait
        httpx.get(server.base_url + "/_mock/requests")

The connection drop is real: the server runs uvicorn with :class:`DroppingH11Protocol`, which hands the app a
callable in ``scope["extensions"]`` that closes the TCP connection with no response (uvicorn itself would
answer 500 to an app that returns without responding). Clients see a transport error.
"""

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
    FaultRule,
    FaultRuleError,
    FiredFault,
    compile_glob,
    load_rules_file,
)
from ._forms import MAX_DEPTH, FormError, parse_form, parse_json, parse_multipart, parse_pairs
from ._idempotency import Begin, IdempotencyLayer, StoredResult, fingerprint
from ._journal import Journal, JournalEntry, RequestTrace
from ._ratelimit import RateLimiter
from ._requests import CheckedRequest, OperationChecker, Prefer, RequestProblem, parse_prefer
from ._routing import RouteMatch, Router
from ._runtime import MockRuntime, control_router, format_log_line, utc_now_iso
from ._served import NotFound, Served, SpecResponder, problem_details
from ._server import (
    DROP_EXTENSION,
    BackgroundServer,
    DroppingH11Protocol,
    bind_socket,
    drop_connection,
    serve,
)
from ._spec_mock import SpecMock, SpecMockConfig, generic_faults
from ._store import Page, Store, new_id
from ._validation import Problem, Validated, operation_schema, validate_params

__all__ = [
    "DELAY",
    "DROP_AFTER_COMMIT",
    "DROP_BEFORE_COMMIT",
    "DROP_EXTENSION",
    "MAX_DEPTH",
    "BackgroundServer",
    "Begin",
    "CheckedRequest",
    "DroppingH11Protocol",
    "FaultEngine",
    "FaultKind",
    "FaultParam",
    "FaultRegistry",
    "FaultResponse",
    "FaultRule",
    "FaultRuleError",
    "FiredFault",
    "FormError",
    "IdempotencyLayer",
    "Journal",
    "JournalEntry",
    "MockClock",
    "MockRuntime",
    "NotFound",
    "OperationChecker",
    "Page",
    "Prefer",
    "Problem",
    "RateLimiter",
    "RequestProblem",
    "RequestTrace",
    "RouteMatch",
    "Router",
    "Served",
    "SpecMock",
    "SpecMockConfig",
    "SpecResponder",
    "Store",
    "StoredResult",
    "Validated",
    "bind_socket",
    "compile_glob",
    "control_router",
    "drop_connection",
    "fingerprint",
    "format_log_line",
    "generic_faults",
    "load_rules_file",
    "new_id",
    "operation_schema",
    "parse_form",
    "parse_json",
    "parse_multipart",
    "parse_pairs",
    "parse_prefer",
    "problem_details",
    "serve",
    "utc_now_iso",
    "validate_params",
]
