"""``api-trainer probe METHOD PATH``: one request, retried as the official SDK would, shown as a timeline.

Exit codes: 0 the final answer is a 2xx; 1 it is an error answer or no answer at all (what you probed
for); 2 bad options.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer

from ..errors import UsageError
from ._app import console

_METHODS = ("GET", "POST", "DELETE")
DEFAULT_BASE = "http://127.0.0.1:12111"
DEFAULT_KEY = "sk_test_api_trainer"
DEFAULT_BASES = {"payments": DEFAULT_BASE, "dataplatform": "http://127.0.0.1:8484"}
DEFAULT_KEYS = {"payments": DEFAULT_KEY, "dataplatform": "dapi-api-trainer"}


def probe(
    method: Annotated[str, typer.Argument(help="GET, POST or DELETE.")],
    path: Annotated[str, typer.Argument(help="Path on the mock, e.g. /v1/customers.")],
    data: Annotated[
        list[str] | None,
        typer.Option("-d", "--data", help="key=value parameter (repeatable; brackets allowed)."),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Where the mock runs (default: that API's mock port).")
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", "--token", help="API key (payments) or dapi token (dataplatform).")
    ] = None,
    idempotency_key: Annotated[
        str | None, typer.Option("--idempotency-key", help="Idempotency-Key to send on every attempt.")
    ] = None,
    auto_key: Annotated[
        bool, typer.Option("--auto-key", help="Generate an Idempotency-Key, as stripe-python does on POST.")
    ] = False,
    stripe_version: Annotated[
        str | None, typer.Option("--stripe-version", help="Stripe-Version header.")
    ] = None,
    retries: Annotated[
        int, typer.Option("--retries", help="Retries after the first attempt (SDK default 2).")
    ] = 2,
    fault: Annotated[
        str | None, typer.Option("--fault", help="X-Mock-Fault for the first attempt (NAME or NAME;p=v).")
    ] = None,
    api: Annotated[str, typer.Option("--api", help="Whose SDK retry rules to mirror.")] = "payments",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Send one request with the SDK's retry rules and print a timeline of every attempt."""
    from ..probe import ProbeRequest, policy_for, render_timeline, run_probe

    base_url = base_url or DEFAULT_BASES.get(api, DEFAULT_BASE)
    key = key or DEFAULT_KEYS.get(api, DEFAULT_KEY)
    verb = method.upper()
    if verb not in _METHODS:
        raise UsageError(f"METHOD {method}: use one of {', '.join(_METHODS)}")
    if not path.startswith("/"):
        raise UsageError(f"PATH {path}: must start with '/'")
    if idempotency_key and auto_key:
        raise UsageError("--idempotency-key and --auto-key: give one or the other")
    if not 0 <= retries <= 10:
        raise UsageError(f"--retries {retries}: must be from 0 to 10")
    if not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url {base_url}: must start with http:// or https://")
    pairs: list[tuple[str, str]] = []
    for item in data or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-d {item}: expected key=value")
        pairs.append((name, value))
    request = ProbeRequest(
        method=verb,
        url=base_url.rstrip("/") + path,
        data=tuple(pairs),
        key=key,
        idempotency_key=str(uuid.uuid4()) if auto_key else idempotency_key,
        api_version=stripe_version,
        fault=fault,
        retries=retries,
    )
    result = run_probe(request, policy_for(api))
    if as_json:
        console.print_json(json.dumps(result.as_json()))
    else:
        render_timeline(result, console)
    raise typer.Exit(0 if result.ok else 1)


def register(app: typer.Typer) -> None:
    app.command("probe")(probe)
