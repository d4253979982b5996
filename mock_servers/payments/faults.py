"""The payments mock's faults: the generic ones plus Stripe-shaped injected answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api_trainer.mock import (
    DELAY,
    DROP_AFTER_COMMIT,
    DROP_BEFORE_COMMIT,
    FaultKind,
    FaultParam,
    FaultRegistry,
    FaultResponse,
)

from .errors import StripeError, api_error, lock_timeout, rate_limited


def _response(error: StripeError) -> FaultResponse:
    # Request-Id (and request_log_url) are added by the pipeline, which owns the request id.
    return FaultResponse(error.status, {"error": error.error_object()}, dict(error.headers))


def _status_500(_: Mapping[str, Any]) -> FaultResponse:
    return _response(api_error("An unknown error occurred (injected by the mock: status-500)."))


def _status_503(_: Mapping[str, Any]) -> FaultResponse:
    return _response(
        api_error("The service is temporarily unavailable (injected by the mock: status-503).", 503)
    )


def _rate_limit(params: Mapping[str, Any]) -> FaultResponse:
    response = _response(rate_limited())
    # Stripe itself sends no Retry-After; the param lets an exercise show that stripe-python ignores it.
    if params.get("retry_after"):
        response.headers["Retry-After"] = str(params["retry_after"])
    return response


def _lock_timeout(_: Mapping[str, Any]) -> FaultResponse:
    return _response(lock_timeout())


def payments_faults() -> FaultRegistry:
    return FaultRegistry(
        [
            DELAY,
            DROP_BEFORE_COMMIT,
            DROP_AFTER_COMMIT,
            FaultKind("status-500", "respond", "500 api_error in front of the API", render=_status_500),
            FaultKind("status-503", "respond", "503 api_error in front of the API", render=_status_503),
            FaultKind(
                "rate-limit",
                "respond",
                "429 rate_limit (stripe-python does not retry it)",
                (FaultParam("retry_after", int, 0),),
                render=_rate_limit,
            ),
            FaultKind(
                "lock-timeout",
                "respond",
                "429 lock_timeout with Stripe-Should-Retry: true (retried)",
                render=_lock_timeout,
            ),
        ]
    )
