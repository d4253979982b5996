"""Running SQL through the data-platform mock's Statement Execution API, as a learner's script would.

``POST /api/2.0/sql/statements`` (hybrid wait), poll ``GET .../{id}`` until terminal, then follow
``next_chunk_index`` through ``GET .../result/chunks/{n}``. Every loop is bounded in count and time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ..errors import LabError
from ._model import LabClient

__all__ = ["QueryResult", "first_warehouse", "run_sql"]

_TERMINAL = {"SUCCEEDED", "FAILED", "CANCELED", "CLOSED"}
_MAX_POLLS = 600
_MAX_CHUNKS = 1000
_POLL_INTERVAL = 0.05


@dataclass(frozen=True)
class QueryResult:
    """A finished statement: ``error`` is set when it did not succeed; cells are strings or None."""

    statement_id: str
    state: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    error: str | None = None


def first_warehouse(client: LabClient) -> str:
    body = client.json("GET", "/api/2.0/sql/warehouses")
    warehouses = body.get("warehouses") if isinstance(body, dict) else None
    if not warehouses:
        raise LabError(f"{client.base_url} lists no SQL warehouses; is this the data-platform mock?")
    return str(warehouses[0]["id"])


def run_sql(client: LabClient, sql: str, warehouse_id: str, *, deadline_seconds: float = 60.0) -> QueryResult:
    response = client.json(
        "POST",
        "/api/2.0/sql/statements",
        json={
            "statement": sql,
            "warehouse_id": warehouse_id,
            "wait_timeout": "30s",
            "on_wait_timeout": "CONTINUE",
        },
    )
    statement_id = str(response.get("statement_id", ""))
    deadline = time.monotonic() + deadline_seconds
    for _ in range(_MAX_POLLS):
        state = str((response.get("status") or {}).get("state", ""))
        if state in _TERMINAL or time.monotonic() > deadline:
            break
        time.sleep(_POLL_INTERVAL)
        response = client.json("GET", f"/api/2.0/sql/statements/{statement_id}")
    status = response.get("status") or {}
    state = str(status.get("state", ""))
    if state != "SUCCEEDED":
        error = (status.get("error") or {}).get(
            "message"
        ) or f"the statement ended {state or 'without a state'}"
        return QueryResult(statement_id, state, (), (), str(error))
    manifest = response.get("manifest") or {}
    columns = tuple(str(c.get("name")) for c in (manifest.get("schema") or {}).get("columns") or [])
    rows: list[tuple[str | None, ...]] = []
    chunk: dict[str, Any] | None = response.get("result")
    for _ in range(_MAX_CHUNKS):
        if not chunk:
            break
        rows.extend(tuple(row) for row in chunk.get("data_array") or [])
        following = chunk.get("next_chunk_index")
        if following is None:
            break
        chunk = client.json("GET", f"/api/2.0/sql/statements/{statement_id}/result/chunks/{int(following)}")
    return QueryResult(statement_id, state, columns, tuple(rows))
