"""Keeping a mock bound to loopback local: Host and Origin checks in front of every app :func:`serve` runs.

A browser can be made to send requests to ``127.0.0.1`` by any page the user visits: a ``text/plain`` or form
POST needs no CORS preflight, and DNS rebinding lets a page's own name resolve to ``127.0.0.1``. So:

* while bound to a loopback address, a request whose ``Host`` is not a loopback name (``127.0.0.1``,
  ``localhost``, ``::1``) or the ``--host`` name is refused (403): that is what a rebinding page sends;
* ``/_mock/*`` (the control API: reset, faults, clock) refuses a request whose ``Origin`` is not the mock's
  own (403), and a body that is not ``application/json`` (415): form and ``text/plain`` bodies are exactly
  the ones a page can send cross-origin without asking first.

Bound to a non-loopback address the ``Host`` check is off (the mock cannot know every name it is reached
by) and the CLI prints a warning that the control API is open; the Origin and body checks stay.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["LocalGuard", "is_loopback"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """True for ``localhost``, ``127.0.0.0/8`` and ``::1``."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(authority: str) -> str:
    """``127.0.0.1:8484`` -> ``127.0.0.1``; ``[::1]:8484`` -> ``::1``."""
    parsed = urlsplit("//" + authority)
    return (parsed.hostname or "").lower()


class LocalGuard:
    """ASGI middleware: the checks above, answered in a small JSON error before the app sees the request."""

    def __init__(self, app: ASGIApp, bound_host: str) -> None:
        self.app = app
        self.bound_host = bound_host.strip("[]").lower()
        self.loopback = is_loopback(bound_host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(str(scope.get("path", "")), headers)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, message = refusal
        body = json.dumps({"error": {"type": "invalid_request_error", "message": message}}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _refusal(self, path: str, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host")
        if self.loopback and host is not None and not self._local_name(_hostname(host)):
            return 403, (
                f"Host '{host}' refused: this mock listens on loopback and answers only to loopback names "
                "(a guard against DNS rebinding)."
            )
        if not (path == "/_mock" or path.startswith("/_mock/")):
            return None
        origin = headers.get("origin")
        if origin is not None and not self._same_origin(origin, host):
            return 403, (
                f"Origin '{origin}' refused: the /_mock control API accepts requests from the mock's own origin "
                "only (curl and SDKs send no Origin)."
            )
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
        if has_body and content_type != "application/json":
            return 415, (
                f"Content-Type '{content_type or 'none'}' refused: /_mock bodies are JSON; send "
                "'Content-Type: application/json' (curl: --json '{...}')."
            )
        return None

    def _local_name(self, name: str) -> bool:
        return name in _LOOPBACK_NAMES or name == self.bound_host or is_loopback(name)

    @staticmethod
    def _same_origin(origin: str, host: str | None) -> bool:
        parsed = urlsplit(origin)
        return host is not None and parsed.scheme == "http" and parsed.netloc.lower() == host.lower()
