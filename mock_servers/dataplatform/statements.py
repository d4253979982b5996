"""SQL Statement Execution 2.0, run for real on DuckDB (reference B3).

Each statement runs on a worker thread with its own DuckDB cursor, so ``wait_timeout="0s"`` really answers
``PENDING``/``RUNNING`` first and the client polls. The request handler waits up to ``wait_timeout``
(wall-clock seconds, as on Databricks; the default is the hybrid ``10s`` + ``CONTINUE``), then answers the
result inline, the id to poll (``CONTINUE``), or cancels (``CANCEL``).

Mock-specific knobs, documented for users:

* **Slow on purpose**: a comment ``-- mock:sleep=3s`` (also ``500ms``, ``2m``, ``1h``) anywhere in the statement
  keeps it ``RUNNING`` for that long in *simulated* time before it executes, so ``--time-scale`` and
  ``POST /_mock/clock`` shorten it and ``cancel`` interrupts it.
* **Chunks**: results are split into chunks of :data:`CHUNK_ROWS` rows; every chunk but the last carries
  ``next_chunk_index`` and ``next_chunk_internal_link``.
* Only ``disposition=INLINE`` with ``format=JSON_ARRAY`` is served; ``EXTERNAL_LINKS`` answers 501
  ``NOT_IMPLEMENTED``; ``INLINE`` with ``ARROW_STREAM``/``CSV`` is 400, as on Databricks.
* At most four statements execute on DuckDB at once (like a small warehouse); the rest wait ``PENDING``. A
  statement in its ``mock:sleep`` is ``RUNNING`` but holds no worker, so slow statements never starve quick ones.
* **STATEMENT_TIMEOUT**: a statement that runs longer than the mock's statement timeout (default
  :data:`DEFAULT_STATEMENT_TIMEOUT` seconds, at most :data:`MAX_STATEMENT_TIMEOUT`; ``--statement-timeout``)
  is interrupted inside DuckDB and ends ``FAILED`` with ``DEADLINE_EXCEEDED``. As on Databricks SQL the count
  starts when execution starts (queueing ``PENDING`` does not count; reference: the ``STATEMENT_TIMEOUT``
  parameter page of the Databricks SQL language manual). It counts the simulated ``mock:sleep`` plus the wall
  time DuckDB spends executing.
* **Time bases**: ``mock:sleep`` and result expiry run on the simulated clock; ``wait_timeout`` is wall time (it
  is how long the HTTP request is held open). With ``--time-scale`` a sleep therefore passes faster than the
  wait, and ``on_wait_timeout=CANCEL`` only fires for sleeps longer than ``wait_timeout`` x the time scale.
* The **INLINE limit** (25 MiB of JSON, as on Databricks) is enforced while rows stream out of DuckDB, a chunk
  at a time, so a huge result fails after reading 25 MiB of it and memory stays bounded by the limit.
* Statements run in the SQL sandbox of :mod:`.sandbox` (read-only queries, no host access).
* Succeeded results stay readable for one simulated hour (then ``CLOSED``); after 12 simulated hours the
  statement is gone (404).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import duckdb

from .errors import invalid_parameter, invalid_state, not_found, not_implemented
from .lifecycle import parse_duration
from .sandbox import SANDBOX_SQL_STATE, quote_identifier, refusal
from .sqltypes import bind_parameters, column_type, find_markers, render_value, rewrite_markers
from .warehouses import require_warehouse

__all__ = [
    "CHUNK_ROWS",
    "DEFAULT_STATEMENT_TIMEOUT",
    "INLINE_BYTE_LIMIT",
    "MAX_STATEMENT_TIMEOUT",
    "StatementEngine",
    "parse_wait_timeout",
]

CHUNK_ROWS = 1000
INLINE_BYTE_LIMIT = 25 * 1024 * 1024
# Databricks' own default and maximum are 172800 s (two days); a laptop mock defaults to five minutes.
DEFAULT_STATEMENT_TIMEOUT = 300.0
MAX_STATEMENT_TIMEOUT = 172800.0
RESULT_TTL_SECONDS = 3600.0
FORGET_AFTER_SECONDS = 12 * 3600.0
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "CLOSED"})
# How often the watcher looks at sleeping and executing statements (wall seconds) while any is active.
_TICK = 0.02
_WAIT_TIMEOUT = re.compile(r"(\d+)s")
_SLEEP = re.compile(r"--\s*mock:sleep=(\S*)", re.IGNORECASE)
# DuckDB exception class -> ANSI SQLSTATE, roughly as Databricks reports the same mistake.
_SQL_STATES = {
    "ParserException": "42601",
    "CatalogException": "42P01",
    "BinderException": "42703",
    "ConversionException": "22018",
    "InvalidInputException": "22023",
    "OutOfRangeException": "22003",
    "PermissionException": SANDBOX_SQL_STATE,
    "OutOfMemoryException": "53200",
}


@dataclass
class _Statement:
    statement_id: str
    sql: str
    catalog: str | None
    schema: str | None
    bindings: dict[str, Any]
    row_limit: int | None
    sleep_seconds: float
    state: str = "PENDING"
    error: dict[str, str] | None = None
    sql_state: str | None = None
    columns: list[dict[str, Any]] = field(default_factory=list)
    # Each chunk's data_array as compact JSON text: a fraction of the memory of Python lists of strings.
    chunks: list[str] = field(default_factory=list)
    row_counts: list[int] = field(default_factory=list)
    truncated: bool = False
    finished_at: float | None = None
    # Simulated time the sleep ends; wall (monotonic) deadline of execution on DuckDB.
    wake_at: float | None = None
    execution_deadline: float | None = None
    timed_out: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    cancelled: threading.Event = field(default_factory=threading.Event)
    cursor: duckdb.DuckDBPyConnection | None = None


def parse_wait_timeout(value: object) -> int:
    text = "10s" if value is None else str(value)
    match = _WAIT_TIMEOUT.fullmatch(text.strip())
    seconds = int(match.group(1)) if match else -1
    if seconds != 0 and not 5 <= seconds <= 50:
        raise invalid_parameter(
            f"wait_timeout must be '0s' or between '5s' and '50s' (a number of seconds followed by 's'), got {text!r}."
        )
    return seconds


class StatementEngine:
    """Statements keyed by id, executed on ``connection``'s database, timed by the simulated ``clock``."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        clock: Callable[[], float],
        *,
        seed: int = 0,
        workers: int = 4,
        chunk_rows: int = CHUNK_ROWS,
        statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
        inline_limit: int = INLINE_BYTE_LIMIT,
    ) -> None:
        if not 0 < statement_timeout <= MAX_STATEMENT_TIMEOUT:
            raise ValueError(f"statement_timeout must be in (0, {MAX_STATEMENT_TIMEOUT:g}] seconds")
        self._connection = connection
        self._clock = clock
        self._chunk_rows = chunk_rows
        self.statement_timeout = statement_timeout
        self.inline_limit = inline_limit
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._statements: dict[str, _Statement] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dataplatform-sql")
        self._active: set[str] = set()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._watcher = threading.Thread(target=self._watch, name="dataplatform-sql-watch", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        for statement in list(self._statements.values()):
            self._cancel(statement)
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._watcher.join(timeout=5)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def reset(self) -> None:
        with self._lock:
            statements, self._statements = list(self._statements.values()), {}
        for statement in statements:
            self._cancel(statement)

    def clock_moved(self) -> None:
        """Wake the watcher at once (``POST /_mock/clock`` may have ended a sleep)."""
        with self._wake:
            self._wake.notify_all()

    # --- API operations -------------------------------------------------------------------------

    def execute(self, body: dict[str, Any]) -> dict[str, Any]:
        sql = body.get("statement")
        if not isinstance(sql, str) or not sql.strip():
            raise invalid_parameter("statement is required and must be a non-empty string.")
        require_warehouse(body.get("warehouse_id"))
        wait_seconds = parse_wait_timeout(body.get("wait_timeout"))
        on_wait_timeout = str(body.get("on_wait_timeout") or "CONTINUE")
        if on_wait_timeout not in ("CONTINUE", "CANCEL"):
            raise invalid_parameter(f"on_wait_timeout must be CONTINUE or CANCEL, got {on_wait_timeout!r}.")
        self._check_disposition(
            str(body.get("disposition") or "INLINE"), str(body.get("format") or "JSON_ARRAY")
        )
        row_limit = body.get("row_limit")
        if row_limit is not None and (
            isinstance(row_limit, bool) or not isinstance(row_limit, int) or row_limit < 0
        ):
            raise invalid_parameter(f"row_limit must be a non-negative integer, got {row_limit!r}.")
        parameters = body.get("parameters") or []
        if not isinstance(parameters, list) or not all(isinstance(p, dict) for p in parameters):
            raise invalid_parameter("parameters must be a list of {name, value, type} objects.")
        markers = find_markers(sql)
        bindings = bind_parameters(parameters, markers)
        sleep = _SLEEP.search(sql)
        sleep_seconds = parse_duration(sleep.group(1)) if sleep else 0.0
        if sleep_seconds is None:
            raise invalid_parameter(
                f"mock:sleep={sleep.group(1) if sleep else ''} is not a duration like 3s, 500ms, 2m or 1h."
            )
        statement = _Statement(
            statement_id=self._new_id(),
            sql=sql,
            catalog=body.get("catalog") or None,
            schema=body.get("schema") or None,
            bindings=bindings,
            row_limit=row_limit or None,
            sleep_seconds=sleep_seconds,
        )
        with self._lock:
            self._statements[statement.statement_id] = statement
        unbound = sorted(set(markers) - set(bindings))
        rule = refusal(rewrite_markers(sql))
        if unbound:
            # Databricks fails the statement (HTTP 200) rather than rejecting the request.
            message = f"[UNBOUND_SQL_PARAMETER] Found the unbound parameter: {unbound[0]}."
            self._finish(statement, "FAILED", error=("BAD_REQUEST", message), sql_state="42P02")
        elif rule is not None:
            self._finish(statement, "FAILED", error=("BAD_REQUEST", rule), sql_state=SANDBOX_SQL_STATE)
        elif sleep_seconds:
            self._start_sleep(statement)
        else:
            self._pool.submit(self._run, statement)
        if wait_seconds and not statement.done.wait(wait_seconds) and on_wait_timeout == "CANCEL":
            self._cancel(statement)
        return self._render(statement)

    def get(self, statement_id: str) -> dict[str, Any]:
        return self._render(self._find(statement_id))

    def chunk(self, statement_id: str, chunk_index: int) -> dict[str, Any]:
        statement = self._find(statement_id)
        state = self._visible_state(statement)
        if state != "SUCCEEDED":
            raise invalid_state(
                f"Statement {statement_id} is {state}; results are only available once SUCCEEDED."
            )
        if not 0 <= chunk_index < len(statement.chunks):
            raise invalid_parameter(
                f"chunk_index {chunk_index} is out of range: statement {statement_id} has "
                f"{len(statement.chunks)} chunk(s)."
            )
        return self._chunk_body(statement, chunk_index)

    def cancel(self, statement_id: str) -> dict[str, Any]:
        self._cancel(self._find(statement_id))
        return {}

    # --- scheduling: sleeps and the statement timeout -------------------------------------------

    def _start_sleep(self, statement: _Statement) -> None:
        """RUNNING from now, without a worker: the watcher hands the statement to the pool when it wakes."""
        with self._wake:
            statement.state = "RUNNING"
            statement.wake_at = self._clock() + min(statement.sleep_seconds, self.statement_timeout)
            self._active.add(statement.statement_id)
            self._wake.notify_all()

    def _watch(self) -> None:
        while True:
            with self._wake:
                if self._closed:
                    return
                self._wake.wait(_TICK if self._active else None)
                if self._closed:
                    return
                active = [(i, self._statements.get(i)) for i in list(self._active)]
            now, wall = self._clock(), time.monotonic()
            for statement_id, statement in active:
                if statement is None or statement.state in TERMINAL:
                    with self._lock:
                        self._active.discard(statement_id)
                    continue
                if statement.wake_at is not None and now >= statement.wake_at:
                    statement.wake_at = None
                    if statement.sleep_seconds >= self.statement_timeout:
                        self._time_out(statement)
                    else:
                        self._pool.submit(self._run, statement)
                elif statement.execution_deadline is not None and wall >= statement.execution_deadline:
                    self._time_out(statement)

    def _time_out(self, statement: _Statement) -> None:
        statement.timed_out = True
        cursor = statement.cursor
        if cursor is not None:
            cursor.interrupt()
        message = (
            f"The statement ran longer than STATEMENT_TIMEOUT ({self.statement_timeout:g} s) and was "
            "cancelled; this mock's timeout is set with --statement-timeout."
        )
        self._finish(statement, "FAILED", error=("DEADLINE_EXCEEDED", message), sql_state="57014")

    # --- execution --------------------------------------------------------------------------------

    def _run(self, statement: _Statement) -> None:
        with self._wake:
            if statement.state in TERMINAL or statement.cancelled.is_set():
                return
            statement.state = "RUNNING"
            remaining = self.statement_timeout - statement.sleep_seconds
            statement.execution_deadline = time.monotonic() + remaining
            self._active.add(statement.statement_id)
            self._wake.notify_all()
        cursor = self._connection.cursor()
        statement.cursor = cursor
        try:
            if statement.catalog or statement.schema:
                parts = (statement.catalog, statement.schema)
                cursor.execute("USE " + ".".join(quote_identifier(part) for part in parts if part))
            cursor.execute(rewrite_markers(statement.sql), statement.bindings or None)
            statement.columns = [
                self._column(index, entry) for index, entry in enumerate(cursor.description or [])
            ]
            self._collect(statement, cursor)
        except duckdb.Error as exc:
            if not statement.cancelled.is_set() and not statement.timed_out:
                code = type(exc).__name__
                message = str(exc)
                if code == "PermissionException":
                    message = f"[MOCK_SANDBOX] file and URL access is disabled on this mock: {message}"
                self._finish(
                    statement, "FAILED", error=("BAD_REQUEST", message), sql_state=_SQL_STATES.get(code)
                )
            return
        finally:
            statement.cursor = None
            cursor.close()
            with self._lock:
                self._active.discard(statement.statement_id)
        if statement.state not in TERMINAL:
            self._finish(statement, "SUCCEEDED")

    def _collect(self, statement: _Statement, cursor: duckdb.DuckDBPyConnection) -> None:
        """Stream rows a chunk at a time, stopping at the row limit or when the INLINE byte limit is passed."""
        limit = statement.row_limit
        chunks: list[str] = []
        counts: list[int] = []
        total_bytes = total_rows = 0
        while not statement.cancelled.is_set() and not statement.timed_out:
            want = self._chunk_rows if limit is None else min(self._chunk_rows, limit + 1 - total_rows)
            raw = cursor.fetchmany(want)
            if limit is not None and total_rows + len(raw) > limit:
                raw = raw[: limit - total_rows]
                statement.truncated = True
            if raw:
                text = json.dumps([[render_value(value) for value in row] for row in raw])
                total_bytes += len(text)
                if total_bytes > self.inline_limit:
                    cursor.interrupt()
                    limit_mib = self.inline_limit / (1024 * 1024)
                    message = (
                        f"Inline byte limit exceeded: the result is larger than {limit_mib:g} MiB; "
                        "use row_limit or LIMIT."
                    )
                    self._finish(statement, "FAILED", error=("BAD_REQUEST", message), sql_state="54000")
                    return
                chunks.append(text)
                counts.append(len(raw))
                total_rows += len(raw)
            if len(raw) < want or statement.truncated:
                break
        statement.chunks, statement.row_counts = chunks or ["[]"], counts or [0]

    @staticmethod
    def _column(position: int, entry: tuple[Any, ...]) -> dict[str, Any]:
        kind = column_type(str(entry[1]))
        column: dict[str, Any] = {
            "name": entry[0],
            "position": position,
            "type_name": kind.type_name,
            "type_text": kind.type_text,
        }
        if kind.precision is not None:
            column["type_precision"] = kind.precision
            column["type_scale"] = kind.scale
        return column

    def _finish(
        self,
        statement: _Statement,
        state: str,
        *,
        error: tuple[str, str] | None = None,
        sql_state: str | None = None,
    ) -> None:
        with self._lock:
            if statement.state in TERMINAL:
                return
            statement.state = state
            statement.finished_at = self._clock()
            if error:
                statement.error = {"error_code": error[0], "message": error[1]}
                statement.sql_state = sql_state
        statement.done.set()

    def _cancel(self, statement: _Statement) -> None:
        statement.cancelled.set()
        cursor = statement.cursor
        if cursor is not None:
            cursor.interrupt()
        self._finish(statement, "CANCELED")
        self.clock_moved()

    # --- rendering --------------------------------------------------------------------------------

    @staticmethod
    def _check_disposition(disposition: str, result_format: str) -> None:
        if disposition == "EXTERNAL_LINKS":
            raise not_implemented("disposition EXTERNAL_LINKS is not implemented by this mock; use INLINE.")
        if disposition != "INLINE":
            raise invalid_parameter(f"disposition must be INLINE or EXTERNAL_LINKS, got {disposition!r}.")
        if result_format in ("ARROW_STREAM", "CSV"):
            raise invalid_parameter(
                f"format {result_format} is only supported with disposition EXTERNAL_LINKS."
            )
        if result_format != "JSON_ARRAY":
            raise invalid_parameter(f"format must be JSON_ARRAY, ARROW_STREAM or CSV, got {result_format!r}.")

    def _new_id(self) -> str:
        with self._lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _find(self, statement_id: str) -> _Statement:
        statement = self._statements.get(statement_id)
        if statement is None or self._age(statement) >= FORGET_AFTER_SECONDS:
            raise not_found(f"Statement {statement_id} was not found.")
        return statement

    def _age(self, statement: _Statement) -> float:
        return 0.0 if statement.finished_at is None else self._clock() - statement.finished_at

    def _visible_state(self, statement: _Statement) -> str:
        if statement.state == "SUCCEEDED" and self._age(statement) >= RESULT_TTL_SECONDS:
            return "CLOSED"
        return statement.state

    def _render(self, statement: _Statement) -> dict[str, Any]:
        state = self._visible_state(statement)
        status: dict[str, Any] = {"state": state}
        if statement.error:
            status["error"] = dict(statement.error)
            if statement.sql_state:
                status["sql_state"] = statement.sql_state
        body: dict[str, Any] = {"statement_id": statement.statement_id, "status": status}
        if state == "SUCCEEDED":
            body["manifest"] = self._manifest(statement)
            body["result"] = self._chunk_body(statement, 0)
        return body

    def _manifest(self, statement: _Statement) -> dict[str, Any]:
        chunks, offset = [], 0
        for index, (count, text) in enumerate(zip(statement.row_counts, statement.chunks, strict=True)):
            chunks.append(
                {"chunk_index": index, "row_offset": offset, "row_count": count, "byte_count": len(text)}
            )
            offset += count
        return {
            "format": "JSON_ARRAY",
            "schema": {"column_count": len(statement.columns), "columns": statement.columns},
            "total_chunk_count": len(chunks),
            "chunks": chunks,
            "total_row_count": offset,
            "total_byte_count": sum(len(text) for text in statement.chunks),
            "truncated": statement.truncated,
        }

    def _chunk_body(self, statement: _Statement, index: int) -> dict[str, Any]:
        text = statement.chunks[index]
        body: dict[str, Any] = {
            "chunk_index": index,
            "row_offset": sum(statement.row_counts[:index]),
            "row_count": statement.row_counts[index],
            "byte_count": len(text),
            "data_array": json.loads(text),
        }
        if index + 1 < len(statement.chunks):
            body["next_chunk_index"] = index + 1
            body["next_chunk_internal_link"] = (
                f"/api/2.0/sql/statements/{statement.statement_id}/result/chunks/{index + 1}"
            )
        return body
