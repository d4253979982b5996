"""Host and Origin checks in front of every served mock: a web page cannot drive the control API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock

from api_trainer.mock import BackgroundServer
from api_trainer.mock._guard import is_loopback

KEY = "sk_test_guard"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    mock = PaymentsMock(PaymentsConfig())
    try:
        with BackgroundServer(mock.app).running() as server:
            yield server.base_url
    finally:
        mock.close()


def _customers(base: str) -> int:
    listed = httpx.get(f"{base}/v1/customers", auth=(KEY, ""), timeout=10)
    return len(listed.json()["data"])


def test_a_cross_origin_text_plain_reset_is_refused_and_data_survives(base: str) -> None:
    httpx.post(f"{base}/v1/customers", data={"email": "kept@example.com"}, auth=(KEY, ""), timeout=10)
    before = _customers(base)
    assert before >= 1
    refused = httpx.post(
        f"{base}/_mock/reset",
        content=b"{}",
        headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
        timeout=10,
    )
    assert refused.status_code == 403
    assert "Origin 'http://evil.example' refused" in refused.json()["error"]["message"]
    assert _customers(base) == before


def test_form_and_text_bodies_are_refused_on_control_routes(base: str) -> None:
    form = httpx.post(f"{base}/_mock/faults", data={"fault": "status-500"}, timeout=10)
    assert form.status_code == 415
    text = httpx.post(f"{base}/_mock/clock", content=b'{"advance_seconds": 1}', timeout=10)
    assert text.status_code == 415 and "application/json" in text.json()["error"]["message"]
    assert httpx.get(f"{base}/_mock/faults", timeout=10).json()["data"] == []


def test_json_and_empty_bodies_from_curl_or_the_same_origin_are_accepted(base: str) -> None:
    host = base.removeprefix("http://")
    same = httpx.post(
        f"{base}/_mock/clock", json={"advance_seconds": 0}, headers={"Origin": base}, timeout=10
    )
    assert same.status_code == 200
    assert httpx.get(f"{base}/_mock/requests", headers={"Host": host}, timeout=10).status_code == 200
    assert httpx.post(f"{base}/_mock/reset", timeout=10).status_code == 200


def test_a_foreign_host_header_is_refused_while_bound_to_loopback(base: str) -> None:
    rebound = httpx.get(
        f"{base}/v1/customers", headers={"Host": "evil.example:80"}, auth=(KEY, ""), timeout=10
    )
    assert rebound.status_code == 403 and "DNS rebinding" in rebound.json()["error"]["message"]
    local = httpx.get(f"{base}/v1/customers", headers={"Host": "localhost"}, auth=(KEY, ""), timeout=10)
    assert local.status_code == 200


def test_loopback_names() -> None:
    assert (
        is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]") and is_loopback("localhost")
    )
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.com")


def test_a_non_loopback_host_prints_a_warning(run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--host 0.0.0.0`` warns that the control API is open; the test binds loopback only (no real 0.0.0.0)."""
    import socket

    import api_trainer.mock as engine

    bound: list[socket.socket] = []

    def loopback_socket(host: str, port: int) -> socket.socket:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        bound.append(sock)
        return sock

    def started_then_stopped(app: Any, sock: socket.socket, *, on_started: Any = None) -> None:
        if on_started is not None:
            on_started()

    monkeypatch.setattr(engine, "bind_socket", loopback_socket)
    monkeypatch.setattr(engine, "serve", started_then_stopped)
    try:
        wide = run_cli("mock", "payments", "--host", "0.0.0.0", "--port", "0", "--quiet")
        local = run_cli("mock", "payments", "--host", "127.0.0.1", "--port", "0", "--quiet")
    finally:
        for sock in bound:
            sock.close()
    assert wide.exit_code == 0
    warning = [line for line in wide.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "0.0.0.0" in warning[0] and "control API" in warning[0]
    assert "warning:" not in local.stderr
