"""Running a mock: uvicorn on a socket we bind ourselves, and the protocol hook that makes a real drop.

Binding first turns "port in use" into one :class:`ServerStartError` line (exit 2) instead of uvicorn's log
and ``SystemExit``. :class:`DroppingH11Protocol` is uvicorn's h11 protocol plus one thing: every request's
ASGI scope carries ``scope["extensions"]["api_trainer.drop"]``, a callable that closes the TCP connection
without a response. uvicorn answers 500 when an app returns without responding, so a drop cannot be done
from inside the ASGI app; the callable marks the cycle disconnected (uvicorn then discards whatever the app
sends) and closes the transport, and the client sees a transport error, as it would when a load balancer
cuts the line.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import ServerStartError
from ._guard import LocalGuard

__all__ = [
    "DROP_EXTENSION",
    "BackgroundServer",
    "DroppingH11Protocol",
    "bind_socket",
    "drop_connection",
    "serve",
]

DROP_EXTENSION = "api_trainer.drop"


class DroppingH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # asyncio only sets TCP_NODELAY when the listening socket says IPPROTO_TCP; without it, the
            # separate header and body writes meet delayed ACKs and every request takes 40 ms.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_events(self) -> None:
        super().handle_events()
        cycle = self.cycle
        # The request task was only scheduled by the call above, so the scope is still ours to extend.
        if cycle is not None and DROP_EXTENSION not in cycle.scope.get("extensions", {}):
            extensions: dict[str, Any] = cycle.scope.setdefault("extensions", {})
            transport = self.transport

            def drop() -> None:
                cycle.disconnected = True
                transport.close()

            extensions[DROP_EXTENSION] = drop


def drop_connection(scope: MutableMapping[str, Any]) -> bool:
    """Close the client's connection with no response; False when not served by :func:`serve`."""
    drop = (scope.get("extensions") or {}).get(DROP_EXTENSION)
    if drop is None:
        return False
    drop()
    return True


def bind_socket(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServerStartError(f"cannot listen on {host}:{port}: unknown host ({exc.strerror})") from exc
    family, kind, proto = infos[0][0], infos[0][1], infos[0][2]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServerStartError(
                f"port {port} on {host} is already in use (pick another with --port, or stop what runs there)"
            ) from exc
        raise ServerStartError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _config(app: Any, sock: socket.socket) -> uvicorn.Config:
    host, port = sock.getsockname()[:2]
    return uvicorn.Config(
        LocalGuard(app, host),
        host=host,
        port=port,
        http=DroppingH11Protocol,
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
        # h11's default (16 KiB) resets the connection on a longer request line or header block; a client
        # then sees a network error and retries. With room for long query strings, the API answers a 4xx.
        h11_max_incomplete_event_size=1024 * 1024,
    )


def serve(app: Any, sock: socket.socket, *, on_started: Callable[[], None] | None = None) -> None:
    """Serve until Ctrl-C (uvicorn handles the signal and shuts down cleanly)."""
    server = uvicorn.Server(_config(app, sock))
    if on_started is not None:
        original = server.startup

        async def startup(sockets: list[socket.socket] | None = None) -> None:
            await original(sockets=sockets)
            on_started()

        server.startup = startup  # type: ignore[method-assign]
    server.run(sockets=[sock])


@dataclass
class BackgroundServer:
    """A mock served from a thread on 127.0.0.1 and a free port: for tests, labs and benchmarks."""

    app: Any
    host: str = "127.0.0.1"
    port: int = 0
    ready_timeout: float = 15.0

    def __post_init__(self) -> None:
        self._sock = bind_socket(self.host, self.port)
        self.port = self._sock.getsockname()[1]
        self._server = uvicorn.Server(_config(self.app, self._sock))
        self._thread = threading.Thread(target=self._run, name=f"mock-{self.port}", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._sock]))

    def start(self) -> BackgroundServer:
        self._thread.start()
        started = threading.Event()
        # Bounded wait for uvicorn's own "started" flag (set once the socket is served).
        for _ in range(int(self.ready_timeout / 0.01)):
            if self._server.started or not self._thread.is_alive():
                break
            started.wait(0.01)
        if not self._server.started:
            raise ServerStartError(f"the mock on {self.base_url} did not start within {self.ready_timeout} s")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self._sock.close()

    @contextlib.contextmanager
    def running(self) -> Iterator[BackgroundServer]:
        self.start()
        try:
            yield self
        finally:
            self.stop()
