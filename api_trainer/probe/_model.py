"""What a probe produces: one frozen record per attempt, and the result with the final answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Decision:
    retry: bool
    reason: str


@dataclass(frozen=True)
class ProbeRequest:
    method: str
    url: str
    data: tuple[tuple[str, str], ...] = ()
    key: str | None = None
    idempotency_key: str | None = None
    api_version: str | None = None
    fault: str | None = None  # X-Mock-Fault, sent on the first attempt only
    retries: int = 2


@dataclass(frozen=True)
class Attempt:
    number: int
    status: int | None  # None: no HTTP answer (connection error)
    error: str | None
    latency_ms: float
    idempotency_key: str | None
    replayed: bool
    request_id: str | None
    retry: bool
    reason: str
    fault: str | None = None


@dataclass(frozen=True)
class ProbeResult:
    request: ProbeRequest
    policy: str
    attempts: tuple[Attempt, ...]
    body: Any = None  # the final answer's JSON (or text), None after a connection error
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def final(self) -> Attempt:
        return self.attempts[-1]

    @property
    def ok(self) -> bool:
        return self.final.status is not None and 200 <= self.final.status < 300

    @property
    def carries_key(self) -> bool:
        """An Idempotency-Key header, or the data platform's ``idempotency_token`` in the body."""
        return bool(self.request.idempotency_key) or any(
            n == "idempotency_token" for n, _ in self.request.data
        )

    def ran_twice(self) -> tuple[int, int] | None:
        """(committed attempt, later attempt) when a POST without a key was committed by the server before
        its connection dropped (the ``drop-after-commit`` fault) and a later attempt ran it again: the server
        did the work twice, so a create made a duplicate. None otherwise."""
        if self.request.method.upper() != "POST" or self.carries_key:
            return None
        committed = next(
            (
                a
                for a in self.attempts
                if a.status is None and a.fault and a.fault.startswith("drop-after-commit")
            ),
            None,
        )
        again = next(
            (
                a
                for a in self.attempts
                if committed is not None
                and a.number > committed.number
                and a.status is not None
                and 200 <= a.status < 300
                and not a.replayed
            ),
            None,
        )
        return (committed.number, again.number) if committed is not None and again is not None else None

    def notes(self) -> list[str]:
        """What the timeline alone does not say."""
        twice = self.ran_twice()
        if twice is None:
            return []
        first, later = twice
        return [
            f"duplicate: attempt {first} was committed before its connection dropped (drop-after-commit) and "
            f"this POST carried no idempotency key, so attempt {later} ran it again: a create made a second "
            "object. With a key (--auto-key, or the API's idempotency_token) the retry gets the first answer."
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "request": asdict(self.request)
            | {
                "data": [list(pair) for pair in self.request.data],
                "key": "..." + self.request.key[-4:] if self.request.key else None,  # never print a key whole
            },
            "policy": self.policy,
            "attempts": [asdict(a) for a in self.attempts],
            "ok": self.ok,
            "status": self.final.status,
            "body": self.body,
            "notes": self.notes(),
        }
