"""Retry policies: when an official SDK retries, and how long it waits. One per API (``--api``).

A policy is chosen by name from :data:`POLICIES`; a new API adds its own (the data-platform one mirrors
databricks-sdk: 429 and 503 honouring ``Retry-After``, connection errors, magic error messages).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol

import httpx

from ._model import Decision


class RetryPolicy(Protocol):
    name: str

    def headers(self, request_key: str | None, api_version: str | None) -> dict[str, str]:
        """Authentication and version headers this API's SDK sends."""
        ...

    def decide(self, response: httpx.Response | None, error: Exception | None) -> Decision:
        """Would the SDK retry after this attempt? (Whether retries are left is decided by the caller.)"""
        ...

    def wait_seconds(self, retry_number: int, response: httpx.Response | None) -> float:
        """How long the SDK sleeps before retry number ``retry_number`` (1-based)."""
        ...


class StripePolicy:
    """stripe-python 16's ``_should_retry`` and ``_sleep_time_seconds`` (api-semantics A7)."""

    name = "stripe-python"

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()

    def headers(self, request_key: str | None, api_version: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if request_key:
            headers["Authorization"] = f"Bearer {request_key}"
        if api_version:
            headers["Stripe-Version"] = api_version
        return headers

    def decide(self, response: httpx.Response | None, error: Exception | None) -> Decision:
        if response is None:
            if isinstance(error, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError):
                return Decision(True, "connection error: retried")
            return Decision(False, f"{type(error).__name__}: not retried")
        if response.status_code < 300:
            return Decision(False, "success")
        flag = response.headers.get("stripe-should-retry")
        if flag == "false":
            return Decision(False, "Stripe-Should-Retry: false")
        if flag == "true":
            return Decision(True, "Stripe-Should-Retry: true")
        status = response.status_code
        if status == 409:
            return Decision(True, "409 conflict: retried")
        if status >= 500:
            return Decision(True, f"{status} server error: retried")
        if status == 429:
            return Decision(False, "429 is not retried unless Stripe-Should-Retry: true")
        return Decision(False, f"{status}: not retried")

    def wait_seconds(self, retry_number: int, response: httpx.Response | None) -> float:
        # min(0.5 * 2**(n-1), 5) times a jitter in [0.5, 1], floored at 0.5 s; Retry-After is ignored.
        base = min(0.5 * 2.0 ** (retry_number - 1), 5.0)
        return max(0.5, base * (0.5 + self._rng.random() * 0.5))


def _databricks_policy() -> RetryPolicy:
    from ._databricks import DatabricksPolicy

    return DatabricksPolicy()


POLICIES: dict[str, Callable[[], RetryPolicy]] = {
    "payments": StripePolicy,
    "dataplatform": _databricks_policy,
}
"""``--api`` name -> policy class. Another API registers its own policy here."""


def policy_for(api: str) -> RetryPolicy:
    from ..errors import UsageError

    policy = POLICIES.get(api)
    if policy is None:
        raise UsageError(f"--api {api}: unknown; known: {', '.join(sorted(POLICIES))}")
    return policy()
