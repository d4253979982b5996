"""The SQL sandbox: what a statement sent to the mock may do on the host (nothing beyond its own memory).

Two layers, so that one mistake in either does not open the host:

1. **The engine** (:func:`sandboxed_connection`): DuckDB with ``enable_external_access=false`` (no file or URL
   table functions, no ``COPY``/``EXPORT`` to files, no ``ATTACH`` of files, no ``INSTALL``/``LOAD``),
   extension autoloading off, no spill directory, a memory cap, and ``lock_configuration=true`` once the
   sample catalog is built, so no statement can ``SET`` its way back out.
2. **The statement** (:func:`refusal`): exactly one read-only statement (``SELECT``, ``WITH``, ``VALUES``,
   ``FROM``, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``EXPLAIN``). Anything else (``CREATE``, ``INSERT``,
   ``DROP``, ``COPY``, ``ATTACH``, ``SET``, ``PRAGMA``, ``CALL``, ...) is refused before it reaches the engine,
   so the sample catalog stays as :func:`~.samples.load_samples` built it: there is no scratch schema.

A refused statement ends ``FAILED`` (HTTP 200, as every SQL error of the Statement Execution API, reference
B3) with ``error_code`` ``BAD_REQUEST``, ``sql_state`` ``42501`` (insufficient privilege) and a message that
starts with ``[MOCK_SANDBOX]`` and names the rule.
"""

from __future__ import annotations

import duckdb

from .samples import load_samples

__all__ = ["MEMORY_LIMIT", "SANDBOX_SQL_STATE", "quote_identifier", "refusal", "sandboxed_connection"]

MEMORY_LIMIT = "1GB"
SANDBOX_SQL_STATE = "42501"
_READ_ONLY = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
_ALLOWED = "SELECT, WITH, VALUES, FROM, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN"


def sandboxed_connection(seed: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the ``samples`` catalog built from ``seed``, locked against the host."""
    connection = duckdb.connect(
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            # No spill files: a query that outgrows the memory cap fails instead of writing to the disk.
            "temp_directory": "",
            "memory_limit": MEMORY_LIMIT,
        }
    )
    load_samples(connection, seed=seed)
    connection.execute("SET lock_configuration = true")
    return connection


def refusal(sql: str) -> str | None:
    """Why ``sql`` may not run here, or None. A statement DuckDB cannot parse is left to the engine's message."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error:
        return None
    if len(statements) != 1:
        return (
            f"[MOCK_SANDBOX] one statement per request: found {len(statements)}. "
            "Send each statement in its own request."
        )
    kind = statements[0].type
    if kind in _READ_ONLY:
        return None
    name = kind.name.replace("_STATEMENT", "").replace("_", " ")
    return (
        f"[MOCK_SANDBOX] {name} statements are not allowed: this mock runs read-only queries "
        f"({_ALLOWED}) on the sample catalog, and nothing that reads or writes files, attaches databases, "
        "installs extensions or changes settings."
    )


def quote_identifier(name: str) -> str:
    """A request field used as a SQL identifier: always quoted, embedded quotes doubled, never pasted."""
    return '"' + name.replace('"', '""') + '"'
