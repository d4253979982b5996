"""The SQLite store every mock keeps its objects in: in memory by default, or a ``--state`` file.

Objects are JSON documents keyed by (account, id) with a kind and an insertion sequence, so lists come out
newest first and cursors (``starting_after``) are cheap. One connection, one re-entrant lock: every read and
write goes through :meth:`Store.transaction`, which is atomic (``BEGIN IMMEDIATE`` ... ``COMMIT``) and may
nest; an exception inside rolls the whole outermost transaction back.

One server per state file: a ``--state`` file is locked (an exclusive ``flock`` on ``<file>.lock``, which the OS
releases when the process ends, ``kill -9`` included) for as long as its store is open. A second server on
the same file gets :class:`ServerStartError` (exit 2) naming the file and the holder's pid, before it
touches a row, so it can never delete the first one's in-flight idempotency records.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sqlite3
import string
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ServerStartError

__all__ = ["Page", "Store", "new_id"]

_ALPHABET = string.ascii_letters + string.digits

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    account TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account, id)
);
CREATE INDEX IF NOT EXISTS objects_by_kind ON objects (account, kind, seq);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


# Object ids are names, not secrets: a fast PRNG seeded from the OS is enough, and ``secrets.choice`` per
# character was a tenth of the time of a POST.
_ID_RNG = random.Random(secrets.randbits(64))


def new_id(prefix: str, length: int = 24) -> str:
    """``cus_`` + random letters and digits, like Stripe's ids."""
    return prefix + "_" + "".join(_ID_RNG.choices(_ALPHABET, k=length))


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_more: bool


def _lock_state_file(path: str) -> int | None:
    """Hold ``<path>.lock`` exclusively; the open descriptor is the lock. None where ``flock`` does not exist."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks through this route
        return None
    lock_path = path + ".lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise ServerStartError(f"cannot lock the state file {path}: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise ServerStartError(
            f"the state file {path} is in use by another mock (pid {holder}); stop it, or pick another --state"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


class Store:
    def __init__(self, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self._lock_fd = _lock_state_file(self.path) if path is not None else None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            self._unlock()
            raise ServerStartError(f"cannot open the state file {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self._depth = 0
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM objects").fetchone()
        self._seq = int(row[0])

    # transactions -------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self._db
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                self._db.execute("COMMIT")

    def ensure_schema(self, script: str) -> None:
        """Let an engine part (the idempotency layer, a mock) add its own tables."""
        with self._lock:
            self._db.executescript(script)

    def close(self) -> None:
        with self._lock:
            self._db.close()
        self._unlock()

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    def wipe(self) -> None:
        """Delete every row of every table (``POST /_mock/reset``)."""
        with self.transaction() as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                db.execute(f'DELETE FROM "{table}"')

    # objects ------------------------------------------------------------------------------------------

    def put(
        self, account: str, kind: str, obj: dict[str, Any], *, object_id: str | None = None
    ) -> dict[str, Any]:
        """Insert or replace ``obj`` (by ``object_id``, default its ``id``); a replaced object keeps its
        place in lists."""
        data = json.dumps(obj, separators=(",", ":"))
        key = str(obj["id"]) if object_id is None else object_id
        with self.transaction() as db:
            updated = db.execute(
                "UPDATE objects SET data = ? WHERE account = ? AND id = ?", (data, account, key)
            ).rowcount
            if not updated:
                self._seq += 1
                db.execute(
                    "INSERT INTO objects (account, id, kind, seq, data) VALUES (?, ?, ?, ?, ?)",
                    (account, key, kind, self._seq, data),
                )
        return obj

    def get(self, account: str, kind: str, object_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM objects WHERE account = ? AND id = ? AND kind = ?",
                (account, object_id, kind),
            ).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, account: str, kind: str, object_id: str) -> bool:
        with self.transaction() as db:
            return bool(
                db.execute(
                    "DELETE FROM objects WHERE account = ? AND id = ? AND kind = ?",
                    (account, object_id, kind),
                ).rowcount
            )

    def count(self, account: str, kind: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM objects WHERE account = ? AND kind = ?", (account, kind)
            ).fetchone()
        return int(row[0])

    def all(self, account: str, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM objects WHERE account = ? AND kind = ? ORDER BY seq DESC", (account, kind)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def page(
        self,
        account: str,
        kind: str,
        *,
        limit: int,
        starting_after: str | None = None,
        ending_before: str | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Page | None:
        """A newest-first page. None when the cursor object does not exist."""
        items = self.all(account, kind)
        if where is not None:
            items = [item for item in items if where(item)]
        ids = [item["id"] for item in items]
        if starting_after is not None:
            if starting_after not in ids:
                return None
            start = ids.index(starting_after) + 1
            chosen = items[start : start + limit]
            return Page(chosen, start + limit < len(items))
        if ending_before is not None:
            if ending_before not in ids:
                return None
            end = ids.index(ending_before)
            begin = max(0, end - limit)
            return Page(items[begin:end], begin > 0)
        return Page(items[:limit], len(items) > limit)

    def next_number(self, name: str) -> int:
        """A persistent counter (rule ids, event sequence numbers)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1) "
                "ON CONFLICT(name) DO UPDATE SET value = value + 1",
                (name,),
            )
            row = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        return int(row[0])
