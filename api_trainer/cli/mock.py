"""``api-trainer mock <api>`` and ``api-trainer mock FILE``: run a stateful local mock until Ctrl-C.

Each bundled API is one command here that builds its mock and hands it to :func:`run_mock`; the options
every mock shares (``--host``, ``--port``, ``--state``, ``--faults``, ``--seed``, ``--quiet``) are the
``*Option`` aliases below, so a new mock command declares them the same way. Any other first argument is a
spec (a file or a bundled id such as ``payments@2023-08-16``) served by the generic spec mock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import UsageError
from ._app import console, console_err

# The mock stack (FastAPI, uvicorn) loads only when a mock runs: tests/cli/test_startup.py.
if TYPE_CHECKING:
    from ..mock import JournalEntry


class _MockGroup(TyperGroup):
    """``mock payments`` / ``mock dataplatform`` are commands; ``mock FILE`` is ``mock spec FILE``."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # typer vendors click's types
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "spec", self.commands["spec"], args
        return super().resolve_command(ctx, args)


mock_app = typer.Typer(
    cls=_MockGroup,
    help="Run a stateful local mock of a bundled API, or of any OpenAPI 3.0/3.1 FILE (Ctrl-C stops it).",
    no_args_is_help=True,
)

HostOption = Annotated[str, typer.Option("--host", help="Interface to bind (loopback by default).")]
StateOption = Annotated[
    Path | None,
    typer.Option("--state", help="Keep objects in this SQLite file across restarts (default: memory)."),
]
FaultsOption = Annotated[
    Path | None, typer.Option("--faults", help="YAML list of fault rules to load at startup.")
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", help="Seed for probabilistic faults (reproducible runs).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No live log line per request.")]


def live_logger(quiet: bool) -> Callable[[JournalEntry], None] | None:
    if quiet:
        return None
    from ..mock import format_log_line

    def log(entry: JournalEntry) -> None:
        console.print(format_log_line(entry), markup=False, highlight=False, soft_wrap=True)

    return log


def run_mock(host: str, port: int, build: Callable[[], tuple[Any, list[str]]]) -> None:
    """Bind first (a port in use is one error line, exit 2), build the app, print the banner, serve."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: must be from 0 to 65535")
    from ..mock import bind_socket, serve
    from ..mock._guard import is_loopback

    sock = bind_socket(host, port)
    try:
        app, banner = build()
    except BaseException:
        sock.close()
        raise
    bound = sock.getsockname()[1]

    def started() -> None:
        for line in banner:
            console.print(line.replace("{port}", str(bound)), markup=False, highlight=False, soft_wrap=True)
        if not is_loopback(host):
            console_err.print(
                f"warning: listening on {host}, not loopback: the control API (/_mock/reset, /_mock/faults, "
                "/_mock/clock) is open to everyone who can reach this address",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )

    # uvicorn shuts down cleanly, then re-raises the Ctrl-C it captured; stopping is the point, so exit 0.
    with contextlib.suppress(KeyboardInterrupt):
        serve(app, sock, on_started=started)
    console.print("mock stopped", markup=False)


@mock_app.command("payments")
def payments(
    host: HostOption = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0 picks a free one).")] = 12111,
    api_version: Annotated[
        str | None, typer.Option("--api-version", help="Default Stripe-Version (default: newest bundled).")
    ] = None,
    state: StateOption = None,
    faults: FaultsOption = None,
    seed: SeedOption = None,
    rate_limit: Annotated[
        float | None,
        typer.Option("--rate-limit", help="Requests per second before 429 rate_limit (default: off)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """A stateful Stripe-like payments API: idempotency, test cards, versions, webhooks, faults."""
    if rate_limit is not None and rate_limit <= 0:
        raise UsageError(f"--rate-limit {rate_limit}: must be a positive number of requests per second")

    def build() -> tuple[Any, list[str]]:
        from ..mock_servers.payments import TEST_KEY, PaymentsConfig, PaymentsMock
        from ..mock_servers.payments.spec_served import SPEC_VERSION

        mock = PaymentsMock(
            PaymentsConfig(
                api_version=api_version,
                state=state,
                faults_file=faults,
                seed=seed,
                rate_limit=rate_limit,
                log=live_logger(quiet),
            )
        )
        base = f"http://{host}:{{port}}"
        banner = [
            f"payments mock (Stripe-like) listening on {base}",
            f"  API versions: {', '.join(mock.versions)} (default {mock.default_version})",
            f"  every other Stripe operation: served from Stripe's OpenAPI spec {SPEC_VERSION} (answers"
            " from its schemas, CRUD state where the paths allow it)",
            f"  state: {state or 'in memory'}; faults: {len(mock.runtime.faults.rules())} rule(s)"
            + (f"; seed {seed}" if seed is not None else "")
            + (f"; rate limit {rate_limit:g}/s" if rate_limit else ""),
            f"  test key: {TEST_KEY}",
            "  point stripe-python at it:",
            f'    client = stripe.StripeClient("{TEST_KEY}", base_addresses={{"api": "{base}"}}, max_network_retries=2)',
            f'    # or: stripe.api_key = "{TEST_KEY}"; stripe.api_base = "{base}"',
            f"  control: {base}/_mock/requests  /_mock/faults  /_mock/clock  /_mock/reset   (Ctrl-C stops)",
        ]
        return mock.app, banner

    run_mock(host, port, build)


@mock_app.command("dataplatform")
def dataplatform(
    host: HostOption = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0 picks a free one).")] = 8484,
    state: StateOption = None,
    faults: FaultsOption = None,
    seed: SeedOption = None,
    time_scale: Annotated[
        float, typer.Option("--time-scale", help="Simulated seconds per real second for runs (default 1).")
    ] = 1.0,
    statement_timeout: Annotated[
        float,
        typer.Option(
            "--statement-timeout",
            help="STATEMENT_TIMEOUT in seconds: longer SQL statements fail (default 300, at most 172800).",
        ),
    ] = 300.0,
    quiet: QuietOption = False,
) -> None:
    """A Databricks-like Jobs (2.0/2.1/2.2) and SQL Statement API on DuckDB sample data, with faults."""
    if time_scale <= 0:
        raise UsageError(f"--time-scale {time_scale:g}: must be a positive number")
    if not 0 < statement_timeout <= 172800:
        raise UsageError(f"--statement-timeout {statement_timeout:g}: must be more than 0 and at most 172800")

    def build() -> tuple[Any, list[str]]:
        from ..mock_servers.dataplatform import banner_lines, build_app

        mock = build_app(
            state=state,
            faults=faults,
            seed=seed,
            time_scale=time_scale,
            statement_timeout=statement_timeout,
            log=live_logger(quiet),
        )
        return mock.app, banner_lines(mock, f"http://{host}:{{port}}")

    run_mock(host, port, build)


@mock_app.command("spec")
def spec(
    file: Annotated[
        str, typer.Argument(help="An OpenAPI 3.0/3.1 file, or a bundled id (payments@2023-08-16).")
    ],
    host: HostOption = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0 picks a free one).")] = 4010,
    api_version: Annotated[
        str | None,
        typer.Option("--api-version", help="With a bundled API name as FILE: which of its versions."),
    ] = None,
    state: StateOption = None,
    faults: FaultsOption = None,
    seed: SeedOption = None,
    idempotency_header: Annotated[
        str | None,
        typer.Option("--idempotency-header", help="Header that carries idempotency keys (default: none)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Mock any OpenAPI document: routing, validation, inferred CRUD state, Prefer, faults, journal."""
    reference = file
    if api_version:
        if "@" in file or Path(file).exists():
            raise UsageError(
                f"--api-version {api_version}: only with a bundled API name (payments), not {file}"
            )
        reference = f"{file}@{api_version}"

    def build() -> tuple[Any, list[str]]:
        from ..mock import SpecMock, SpecMockConfig
        from ..specs import load_spec

        mock = SpecMock(
            load_spec(reference),
            SpecMockConfig(
                state=state,
                faults_file=faults,
                seed=seed,
                idempotency_header=idempotency_header,
                log=live_logger(quiet),
            ),
        )
        base = f"http://{host}:{{port}}"
        operations = len(mock.spec.operations())
        title = f"{mock.spec.title or reference} {mock.spec.version}".strip()
        banner = [
            f"spec mock of {title} ({reference}) listening on {base}",
            f"  {operations} operation(s); state inferred for: {', '.join(mock.resources) or 'none'}",
            f"  state: {state or 'in memory'}; faults: {len(mock.runtime.faults.rules())} rule(s)"
            + (f"; seed {seed}" if seed is not None else "")
            + (f"; idempotency header {idempotency_header}" if idempotency_header else ""),
            "  Prefer: code=N, example=NAME, dynamic=true",
            f"  control: {base}/_mock/requests  /_mock/faults  /_mock/clock  /_mock/reset   (Ctrl-C stops)",
        ]
        return mock.app, banner

    run_mock(host, port, build)


def register(app: typer.Typer) -> None:
    app.add_typer(mock_app, name="mock")
