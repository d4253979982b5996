"""The data-platform mock started for real on 127.0.0.1 and a free port, driven by the official databricks-sdk.

One server per test session (building the sample data takes a moment); every test starts from
``POST /_mock/reset``, which wipes jobs, runs, statements, fault rules, the journal and the clock offset.
Simulated time runs :data:`TIME_SCALE` times faster than wall time, so a run's default few simulated
seconds pass in milliseconds and the SDK's waiters return after at most one of their 1 s sleeps.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from api_trainer.mock_servers.dataplatform.app import DataPlatformMock, build_app
from api_trainer.mock_servers.dataplatform.samples import load_samples
from api_trainer.mock_servers.dataplatform.statements import MAX_STATEMENT_TIMEOUT
from api_trainer.mock_servers.dataplatform.warehouses import DEFAULT_WAREHOUSE_ID
from databricks.sdk import WorkspaceClient

from api_trainer.mock import BackgroundServer

TIME_SCALE = 1000.0
SEED = 7
TOKEN = "dapi-test-token"
WAREHOUSE = DEFAULT_WAREHOUSE_ID


@dataclass
class RunningMock:
    base_url: str
    mock: DataPlatformMock

    def raw(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A plain HTTP request with the bearer token, as curl would send it."""
        headers = {"Authorization": f"Bearer {TOKEN}", **kwargs.pop("headers", {})}
        return httpx.request(method, self.base_url + path, headers=headers, timeout=30, **kwargs)

    def journal(self, path: str | None = None) -> list[dict[str, Any]]:
        entries = httpx.get(self.base_url + "/_mock/requests", timeout=10).json()["data"]
        return [e for e in entries if path is None or e["path"] == path]

    def advance(self, seconds: float) -> None:
        httpx.post(self.base_url + "/_mock/clock", json={"advance_seconds": seconds}, timeout=10)

    def add_fault(self, rule: dict[str, Any]) -> None:
        response = httpx.post(self.base_url + "/_mock/faults", json=rule, timeout=10)
        assert response.status_code == 201, response.text


@pytest.fixture(scope="session")
def _server() -> Iterator[RunningMock]:
    # Sleeps of simulated hours count against STATEMENT_TIMEOUT: the tests that use them get the real maximum.
    mock = build_app(seed=SEED, time_scale=TIME_SCALE, statement_timeout=MAX_STATEMENT_TIMEOUT)
    server = BackgroundServer(mock.app).start()
    try:
        yield RunningMock(server.base_url, mock)
    finally:
        server.stop()
        mock.close()


@pytest.fixture
def dp(_server: RunningMock) -> RunningMock:
    httpx.post(_server.base_url + "/_mock/reset", timeout=10).raise_for_status()
    return _server


@pytest.fixture
def workspace(dp: RunningMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> WorkspaceClient:
    """``WorkspaceClient(host=..., token=...)`` with no DATABRICKS_* variables and an empty HOME."""
    for name in list(os.environ):
        if name.startswith("DATABRICKS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    return WorkspaceClient(host=dp.base_url, token=TOKEN)


@pytest.fixture(scope="session")
def direct() -> Iterator[duckdb.DuckDBPyConnection]:
    """The same sample data, built from the same seed, queried without the mock in between."""
    connection = duckdb.connect()
    load_samples(connection, seed=SEED)
    yield connection
    connection.close()
