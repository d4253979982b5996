"""The idempotency layer: one record per (account, key) holding the first request's result.

A record is ``in_flight`` from the moment execution starts until :meth:`IdempotencyLayer.finish` stores the
status, headers and body the endpoint produced (whatever they are: 200, 402, 500). ``finish`` is meant to run
inside the same :meth:`Store.transaction` as the endpoint's own writes, so either both the objects and the
record are there or neither is. Records older than ``ttl_seconds`` on the mock clock are pruned; a key used
again after that is a new request, as Stripe documents. What is *not* stored is up to the caller: checks
that run before :meth:`begin` (auth, rate limit, validation) leave no record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ._clock import MockClock
from ._store import Store

__all__ = ["Begin", "IdempotencyLayer", "StoredResult", "fingerprint"]

DAY = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency (
    account TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    request_id TEXT,
    PRIMARY KEY (account, key)
);
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency (created);
"""


def fingerprint(method: str, path: str, params: Any) -> str:
    """What "the same request" means: method, path and the decoded parameters in a canonical order."""
    canonical = json.dumps([method.upper(), path, params], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredResult:
    status: int
    body: bytes
    request_id: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Begin:
    """What :meth:`IdempotencyLayer.begin` found.

    ``new``: nothing stored, the record is now in flight; ``replay``: ``stored`` holds the first result;
    ``mismatch``: the key was used with another method/path (``first_method``/``first_path``) or other
    parameters; ``in_flight``: the first request with this key is still executing.
    """

    outcome: Literal["new", "replay", "mismatch", "in_flight"]
    stored: StoredResult | None = None
    first_method: str | None = None
    first_path: str | None = None


class IdempotencyLayer:
    def __init__(self, store: Store, clock: MockClock, *, ttl_seconds: float = DAY) -> None:
        self.store = store
        self.clock = clock
        self.ttl_seconds = ttl_seconds
        store.ensure_schema(_SCHEMA)
        # A request in flight when a --state file was last closed never finished. Only the server holding
        # the file's lock gets here (see Store), so these records cannot belong to a live server.
        with store.transaction() as db:
            db.execute("DELETE FROM idempotency WHERE state = 'in_flight'")

    def begin(self, account: str, key: str, method: str, path: str, print_: str) -> Begin:
        now = self.clock.now()
        with self.store.transaction() as db:
            db.execute("DELETE FROM idempotency WHERE created < ?", (now - self.ttl_seconds,))
            row = db.execute(
                "SELECT fingerprint, method, path, state, status, headers, body, request_id "
                "FROM idempotency WHERE account = ? AND key = ?",
                (account, key),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO idempotency (account, key, fingerprint, method, path, state, created) "
                    "VALUES (?, ?, ?, ?, ?, 'in_flight', ?)",
                    (account, key, print_, method, path, now),
                )
                return Begin("new")
        stored_print, first_method, first_path, state, status, headers, body, request_id = row
        if stored_print != print_:
            return Begin("mismatch", first_method=first_method, first_path=first_path)
        if state == "in_flight":
            return Begin("in_flight")
        return Begin(
            "replay",
            StoredResult(int(status), bytes(body), str(request_id), json.loads(headers or "{}")),
            first_method,
            first_path,
        )

    def finish(self, account: str, key: str, result: StoredResult) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE idempotency SET state = 'done', status = ?, headers = ?, body = ?, request_id = ? "
                "WHERE account = ? AND key = ?",
                (result.status, json.dumps(result.headers), result.body, result.request_id, account, key),
            )

    def abandon(self, account: str, key: str) -> None:
        """Forget an in-flight record whose execution never produced a result (a crash, a dropped request)."""
        with self.store.transaction() as db:
            db.execute(
                "DELETE FROM idempotency WHERE account = ? AND key = ? AND state = 'in_flight'",
                (account, key),
            )

    def count(self) -> int:
        with self.store.transaction() as db:
            return int(db.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0])
