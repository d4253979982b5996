"""The databricks-sdk's retry rules (api-semantics B4), for ``api-trainer probe --api dataplatform``.

* 429 and 503 are always retried, sleeping ``Retry-After`` (an integer; 1 when missing or not an integer)
  plus up to one second of jitter.
* Connection errors and timeouts are retried, sleeping ``min(10, attempt)`` plus jitter.
* Any other error is retried only when its message contains one of the SDK's magic substrings (for
  example ``"Unexpected error"``); a plain 500, 502 or 504 is **not** retried.
* The real SDK retries until a time budget (``retry_timeout_seconds``, 300 s) runs out rather than a count;
  the probe's ``--retries`` caps the attempts instead, so a timeline stays short.
"""

from __future__ import annotations

import json
import random
from typing import Any

import httpx

from ._model import Decision

__all__ = ["DatabricksPolicy"]

# databricks/sdk/_base_client.py, ``_is_retryable``: transient errors the SDK recognises by message.
RETRYABLE_MESSAGES = (
    "com.databricks.backend.manager.util.UnknownWorkerEnvironmentException",
    "does not have any associated worker environments",
    "There is no worker environment with id",
    "Unknown worker environment",
    "ClusterNotReadyException",
    "Unexpected error",
    "Please try again later or try a faster operation.",
    "RPC token bucket limit has been exceeded",
)


def _message(response: httpx.Response) -> str:
    try:
        body = json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def _retry_after(response: httpx.Response | None) -> int:
    """The SDK parses ``Retry-After`` only as an integer, "as this is what Databricks platform returns"."""
    if response is None:
        return 1
    try:
        return int(response.headers.get("retry-after", ""))
    except ValueError:
        return 1


class DatabricksPolicy:
    name = "databricks-sdk"
    json_body = True  # the SDK sends JSON bodies (stripe-python sends forms)

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()

    def headers(self, request_key: str | None, api_version: str | None) -> dict[str, str]:
        # Versions are in the path (/api/2.1/...), so there is no version header.
        return {"Authorization": f"Bearer {request_key}"} if request_key else {}

    def encode(self, pairs: list[tuple[str, str]]) -> dict[str, Any]:
        """``-d job_id=1 -d 'tasks=[...]'`` -> a JSON object; values that are JSON are sent as JSON."""
        body: dict[str, Any] = {}
        for name, value in pairs:
            try:
                body[name] = json.loads(value)
            except json.JSONDecodeError:
                body[name] = value
        return body

    def decide(self, response: httpx.Response | None, error: Exception | None) -> Decision:
        if response is None:
            if isinstance(error, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError):
                return Decision(True, f"connection error ({type(error).__name__}): retried")
            return Decision(False, f"{type(error).__name__}: not retried")
        status = response.status_code
        if status < 300:
            return Decision(False, "success")
        if status in (429, 503):
            return Decision(
                True, f"{status}: retried after Retry-After ({_retry_after(response)} s) + jitter"
            )
        message = _message(response)
        magic = next((m for m in RETRYABLE_MESSAGES if m in message), None)
        if magic is not None:
            return Decision(True, f"{status} with message containing {magic!r}: retried")
        if status >= 500:
            return Decision(False, f"{status}: not retried (the SDK retries only 429 and 503)")
        return Decision(False, f"{status}: not retried")

    def wait_seconds(self, retry_number: int, response: httpx.Response | None) -> float:
        jitter = self._rng.random()
        if response is not None and response.status_code in (429, 503):
            return _retry_after(response) + jitter
        return min(10, retry_number) + jitter
