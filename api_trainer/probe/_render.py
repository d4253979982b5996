"""The probe timeline as a rich table (one row per attempt), then the final object or error."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from ._model import ProbeResult


def render_timeline(result: ProbeResult, console: Console) -> None:
    request = result.request
    console.print(
        f"{request.method.upper()} {request.url}  (retry policy: {result.policy}, retries: {request.retries})",
        markup=False,
        highlight=False,
    )
    table = Table(show_edge=False, pad_edge=False)
    for column in (
        "#",
        "status",
        "latency",
        "idempotency key",
        "replayed",
        "request id",
        "fault",
        "decision",
    ):
        table.add_column(column, no_wrap=column != "decision")
    for attempt in result.attempts:
        status = str(attempt.status) if attempt.status is not None else "no response"
        decision = ("retry: " if attempt.retry else "stop: ") + attempt.reason
        table.add_row(
            str(attempt.number),
            status,
            f"{attempt.latency_ms:.0f} ms",
            attempt.idempotency_key or "-",
            "yes" if attempt.replayed else "no",
            attempt.request_id or "-",
            attempt.fault or "-",
            decision,
        )
    console.print(table)
    final = result.final
    if final.status is None:
        console.print(f"no answer: {final.error}", markup=False, highlight=False)
        return
    label = "result" if result.ok else "error"
    console.print(f"{label} ({final.status}):", markup=False)
    text = json.dumps(result.body, indent=2) if not isinstance(result.body, str) else result.body
    console.print(text, markup=False, highlight=False, soft_wrap=True)
