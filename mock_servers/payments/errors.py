"""Stripe's error shapes: ``{"error": {type, code, decline_code, message, param, doc_url, ...}}``.

Statuses follow api-semantics A2: 400 bad request, 401 no valid key, 402 card declined, 404 no such
resource in the URL, 409 idempotency key in flight, 429 rate limit or lock timeout, 500 our fault. A
referenced object that does not exist in the *parameters* (``customer=cus_nope``) is a 400
``resource_missing`` naming the param, as Stripe answers; one in the *path* is a 404.
"""

from __future__ import annotations

from typing import Any

_DOCS = "https://stripe.com/docs/error-codes/"


class StripeError(Exception):
    """Raised by handlers and the pipeline; rendered by :meth:`body`."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = extra or {}
        self.headers = headers or {}

    def error_object(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = _DOCS + self.code.replace("_", "-")
        if self.decline_code:
            error["decline_code"] = self.decline_code
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        return error

    def body(self, request_id: str) -> dict[str, Any]:
        error = self.error_object()
        if self.status not in (401, 429):
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def invalid(
    message: str, *, code: str | None = None, param: str | None = None, status: int = 400
) -> StripeError:
    return StripeError(status, "invalid_request_error", message, code=code, param=param)


def missing_param(param: str) -> StripeError:
    return invalid(f"Missing required param: {param}.", code="parameter_missing", param=param)


def unknown_param(param: str) -> StripeError:
    return invalid(f"Received unknown parameter: {param}", code="parameter_unknown", param=param)


def no_such(kind: str, object_id: str, *, param: str = "id", in_path: bool = True) -> StripeError:
    label = kind.replace("_", " ")
    return invalid(
        f"No such {label}: '{object_id}'",
        code="resource_missing",
        param=param,
        status=404 if in_path else 400,
    )


def unexpected_state(message: str, param: str | None = None) -> StripeError:
    return invalid(message, code="payment_intent_unexpected_state", param=param)


def unrecognized_url(method: str, path: str) -> StripeError:
    return invalid(
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at "
        "https://support.stripe.com/.",
        status=404,
    )


def invalid_version(value: str) -> StripeError:
    return invalid(f"Invalid Stripe API version: {value}")


def no_key() -> StripeError:
    return StripeError(
        401,
        "invalid_request_error",
        "You did not provide an API key. You need to provide your API key in the Authorization header, using "
        "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication "
        "for details, or we can help at https://support.stripe.com/.",
    )


def bad_key(key: str) -> StripeError:
    shown = key[:8] + "*" * 4 + key[-4:] if len(key) > 12 else "****"
    return StripeError(401, "invalid_request_error", f"Invalid API Key provided: {shown}")


def rate_limited() -> StripeError:
    return StripeError(
        429,
        "invalid_request_error",
        "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
        code="rate_limit",
        headers={"Stripe-Rate-Limited-Reason": "global-rate"},
    )


def lock_timeout() -> StripeError:
    return StripeError(
        429,
        "invalid_request_error",
        "This object cannot be accessed right now because another API request or Stripe process is currently "
        "accessing it. If you see this error intermittently, retry the request. If you see this error frequently "
        "and are making multiple concurrent requests to a single object, make your requests serially or at a "
        "lower rate.",
        code="lock_timeout",
        headers={"Stripe-Should-Retry": "true"},
    )


def api_error(message: str = "An unknown error occurred", status: int = 500) -> StripeError:
    return StripeError(status, "api_error", message)


def idempotency_mismatch(key: str) -> StripeError:
    return StripeError(
        400,
        "idempotency_error",
        "Keys for idempotent requests can only be used with the same parameters they were first used with. "
        f"Try using a key other than '{key}' if you meant to execute a different request.",
    )


def idempotency_other_endpoint(key: str, first: str, now: str) -> StripeError:
    return StripeError(
        400,
        "idempotency_error",
        f"Keys for idempotent requests can only be used for the same endpoint they were first used for "
        f"('{first}' vs '{now}'). Try using a key other than '{key}' if you meant to execute a different request.",
    )


def key_in_use(key: str) -> StripeError:
    # type invalid_request_error, as observed in the wild (api-semantics A1); the issue settles it.
    return StripeError(
        409,
        "invalid_request_error",
        "There is currently another in-progress request using this Idempotent Key (that probably means you "
        f"submitted twice, and the other request is still going through): {key}. Please try again later.",
        code="idempotency_key_in_use",
    )


def key_too_long(key: str) -> StripeError:
    return invalid(
        f"Invalid idempotency key: keys may be at most 255 characters long, this one has {len(key)}.",
        param="Idempotency-Key",
    )
