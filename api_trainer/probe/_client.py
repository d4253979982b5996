"""Send one request the way an official SDK would, retries included, and record every attempt.

The retry loop is tenacity's: ``stop_after_attempt(retries + 1)``, a wait from the policy, and a retry
predicate reading the policy's decision for the attempt just made. The same idempotency key goes out on
every attempt; ``X-Mock-Fault`` only on the first, so a learner sees the fault and then the recovery.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt

from ._model import Attempt, ProbeRequest, ProbeResult
from ._policy import RetryPolicy


@dataclass
class _Outcome:
    attempt: Attempt
    response: httpx.Response | None


def run_probe(
    request: ProbeRequest,
    policy: RetryPolicy,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float = 30.0,
) -> ProbeResult:
    attempts: list[Attempt] = []
    headers = policy.headers(request.key, request.api_version)
    if request.idempotency_key:
        headers["Idempotency-Key"] = request.idempotency_key
    method = request.method.upper()
    params: str | None = urlencode(list(request.data)) if method in ("GET", "DELETE") else None
    body: bytes | None = None
    if method not in ("GET", "DELETE"):
        # Brackets stay literal in form bodies, as stripe-python sends them (``metadata[k]=v``).
        body = urlencode(list(request.data), safe="[]").encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        encode: Callable[[list[tuple[str, str]]], Any] | None = getattr(policy, "encode", None)
        if encode is not None:  # a JSON API (the data platform): the policy builds the JSON body
            body = json.dumps(encode(list(request.data))).encode()
            headers["Content-Type"] = "application/json"

    with httpx.Client(transport=transport, timeout=timeout) as client:

        def attempt_once() -> _Outcome:
            number = len(attempts) + 1
            sent = dict(headers)
            fault = request.fault if number == 1 else None
            if fault:
                sent["X-Mock-Fault"] = fault
            started = time.perf_counter()
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = client.request(method, request.url, params=params, content=body, headers=sent)
            except httpx.HTTPError as exc:
                error = exc
            latency = (time.perf_counter() - started) * 1000
            decision = policy.decide(response, error)
            last = number > request.retries
            reason = decision.reason
            if decision.retry and last:
                reason = f"{reason}, but no retries left ({request.retries})"
            record = Attempt(
                number=number,
                status=response.status_code if response is not None else None,
                error=None if error is None else f"{type(error).__name__}: {error}",
                latency_ms=round(latency, 1),
                idempotency_key=request.idempotency_key,
                replayed=response is not None and response.headers.get("idempotent-replayed") == "true",
                request_id=response.headers.get("request-id") if response is not None else None,
                retry=decision.retry and not last,
                reason=reason,
                fault=fault,
            )
            attempts.append(record)
            return _Outcome(record, response)

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome.result() if state.outcome is not None else None
            response = outcome.response if isinstance(outcome, _Outcome) else None
            return policy.wait_seconds(state.attempt_number, response)

        retrying = Retrying(
            stop=stop_after_attempt(request.retries + 1),
            wait=wait,
            retry=retry_if_result(lambda outcome: outcome.attempt.retry),
            sleep=sleep,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        final: _Outcome = retrying(attempt_once)

    return ProbeResult(request, policy.name, tuple(attempts), _body(final.response), _headers(final.response))


def _body(response: httpx.Response | None) -> Any:
    if response is None:
        return None
    try:
        return json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


def _headers(response: httpx.Response | None) -> dict[str, str]:
    return dict(response.headers) if response is not None else {}
