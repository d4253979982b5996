"""A payments mock started for real on 127.0.0.1 and a free port, with the official stripe client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock

from api_trainer.mock import BackgroundServer

KEY = "sk_test_trainer_1234"


@dataclass
class RunningMock:
    mock: PaymentsMock
    base_url: str
    http: httpx.Client  # authenticated raw HTTP, for what the SDK cannot show

    def client(self, *, retries: int = 2, key: str = KEY, **kwargs: Any) -> stripe.StripeClient:
        return stripe.StripeClient(
            key, base_addresses={"api": self.base_url}, max_network_retries=retries, **kwargs
        )

    def journal(self, path: str | None = None) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.http.get("/_mock/requests").json()["data"]
        return [e for e in entries if path is None or e["path"] == path]

    def add_fault(self, rule: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post("/_mock/faults", json=rule)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result


def start(config: PaymentsConfig) -> Iterator[RunningMock]:
    mock = PaymentsMock(config)
    try:
        with (
            BackgroundServer(mock.app).running() as server,
            httpx.Client(base_url=server.base_url, auth=(KEY, ""), timeout=30) as http,
        ):
            yield RunningMock(mock, server.base_url, http)
    finally:
        mock.close()


@pytest.fixture(scope="session")
def _shared_payments() -> Iterator[RunningMock]:
    yield from start(PaymentsConfig(seed=1234))


@pytest.fixture
def payments(_shared_payments: RunningMock) -> RunningMock:
    """One server for the session, wiped before each test through ``POST /_mock/reset`` (as a user would)."""
    assert _shared_payments.http.post("/_mock/reset").status_code == 200
    return _shared_payments


@pytest.fixture
def payments_with(tmp_path: Path) -> Any:
    """Start a mock with a custom config: ``with payments_with(faults_file=...) as m``."""
    from contextlib import contextmanager

    @contextmanager
    def factory(**kwargs: Any) -> Iterator[RunningMock]:
        yield from start(PaymentsConfig(**kwargs))

    return factory
