"""The probe timeline as a rich table (one row per attempt), then what it means, then the final answer.

The table fits the terminal: the idempotency key (the same on every attempt) is said once above it, the
decision column wraps, and the request id and latency columns are shown only when there is room for them
beside a readable decision (request ids from about 110 columns; ``--json`` always has both).
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from ._model import ProbeResult

_DECISION_MIN = 28  # below this a wrapped decision reads as a column of fragments
_SEPARATOR = 3  # " │ " between columns (no outer edge)
_DROPPED_FIRST = ("request id", "latency")  # what a narrow terminal goes without (--json has both)


def _key_line(result: ProbeResult) -> str:
    request = result.request
    if request.idempotency_key:
        return f"Idempotency-Key {request.idempotency_key} on every attempt"
    token = next((v for n, v in request.data if n == "idempotency_token"), None)
    if token is not None:
        return f"idempotency_token {token} on every attempt"
    return "no idempotency key"


def render_timeline(result: ProbeResult, console: Console) -> None:
    request = result.request
    console.print(f"{request.method.upper()} {request.url}", markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"retry policy: {result.policy}, retries: {request.retries}; {_key_line(result)}",
        markup=False,
        highlight=False,
    )
    rows = [
        {
            "#": str(attempt.number),
            "status": str(attempt.status) if attempt.status is not None else "no response",
            "latency": f"{attempt.latency_ms:.0f} ms",
            "replayed": "yes" if attempt.replayed else "no",
            "request id": attempt.request_id or "-",
            "fault": attempt.fault or "-",
            "decision": ("retry: " if attempt.retry else "stop: ") + attempt.reason,
        }
        for attempt in result.attempts
    ]
    columns = ["#", "status", "latency", "replayed", "request id", "fault", "decision"]
    if result.policy != "stripe-python":
        # Only Stripe marks a replay (Idempotent-Replayed: true); a Databricks idempotency_token returns the
        # existing run with nothing to tell it apart, so the column would only ever say "no".
        columns.remove("replayed")

    def fixed_width(names: list[str]) -> int:
        fixed = [n for n in names if n != "decision"]
        return sum(max(len(n), *(len(r[n]) for r in rows)) for n in fixed) + _SEPARATOR * len(fixed)

    for optional in _DROPPED_FIRST:
        if console.width - fixed_width(columns) >= _DECISION_MIN:
            break
        columns.remove(optional)
    table = Table(show_edge=False, pad_edge=False)
    for name in columns:
        if name == "decision":
            table.add_column(name, overflow="fold", min_width=_DECISION_MIN)
        else:
            table.add_column(name, no_wrap=True, justify="right" if name in ("#", "latency") else "left")
    for row in rows:
        table.add_row(*(row[name] for name in columns))
    console.print(table)
    for note in result.notes():
        console.print(note, markup=False, highlight=False)
    final = result.final
    if final.status is None:
        console.print(f"no answer: {final.error}", markup=False, highlight=False)
        return
    label = "result" if result.ok else "error"
    console.print(f"{label} ({final.status}):", markup=False)
    text = json.dumps(result.body, indent=2) if not isinstance(result.body, str) else result.body
    console.print(text, markup=False, highlight=False, soft_wrap=True)
