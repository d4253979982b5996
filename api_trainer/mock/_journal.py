"""The request journal: one entry per API request, read by learners, labs and tests at ``/_mock/requests``."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from ._faults import FiredFault

__all__ = ["Journal", "JournalEntry", "RequestTrace", "utc_now_iso"]


def utc_now_iso(timestamp: float | None = None) -> str:
    moment = datetime.now(UTC) if timestamp is None else datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class JournalEntry:
    """What happened to one request. ``status`` is None when the connection was dropped on purpose.

    ``api_key`` holds only the key's last four characters. ``version`` is the API version actually used,
    ``requested_version`` what the client asked for (None when it sent nothing); each mock fills both, and
    ``idempotency_key``, its own way. ``served`` says what answered: ``"handler"`` (a mock's own stateful
    code), ``"state"`` (CRUD state inferred from the spec) or ``"spec"`` (the spec's examples and schemas);
    None for requests answered before routing (a fault, a credential or version error).
    """

    time: str
    method: str
    path: str
    query: str
    status: int | None
    fault: str | None
    idempotency_key: str | None
    replayed: bool
    request_id: str
    api_key: str | None
    requested_version: str | None
    version: str | None
    served: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RequestTrace:
    """What a mock's pipeline learns about one request as it goes; :meth:`entry` is its journal entry."""

    method: str
    path: str
    query: str
    request_id: str
    key: str | None = None
    fault: FiredFault | None = None
    api_key: str | None = None
    requested_version: str | None = None
    version: str | None = None
    status: int | None = None
    replayed: bool = False
    served: str | None = None

    def entry(self) -> JournalEntry:
        return JournalEntry(
            time=utc_now_iso(),
            method=self.method,
            path=self.path,
            query=self.query,
            status=self.status,
            fault=self.fault.name if self.fault is not None else None,
            idempotency_key=self.key,
            replayed=self.replayed,
            request_id=self.request_id,
            api_key=self.api_key,
            requested_version=self.requested_version,
            version=self.version,
            served=self.served,
        )


class Journal:
    """Thread-safe and bounded: past ``max_entries`` the oldest entries fall off."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=max_entries)
        self._lock = threading.Lock()

    def append(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
