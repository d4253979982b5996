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
        }
