"""The SQL sandbox and STATEMENT_TIMEOUT, through a real server on loopback.

Every statement a user could use to reach the host ends ``FAILED`` with a message naming the rule, and leaves
nothing behind (no file written, no database attached, no setting changed, no sample table dropped).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from api_trainer.mock_servers.dataplatform.app import build_app
from api_trainer.mock_servers.dataplatform.warehouses import DEFAULT_WAREHOUSE_ID as WAREHOUSE

from api_trainer.mock import BackgroundServer

if TYPE_CHECKING:
    from conftest import RunningMock

pytestmark = pytest.mark.slow


def _execute(dp: RunningMock, statement: str, **fields: Any) -> dict[str, Any]:
    body = {"statement": statement, "warehouse_id": WAREHOUSE, "wait_timeout": "30s", **fields}
    response = dp.raw("POST", "/api/2.0/sql/statements", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _orders(dp: RunningMock) -> str:
    answer = _execute(dp, "SELECT count(*) FROM samples.sales.orders")
    assert answer["status"]["state"] == "SUCCEEDED", answer
    return str(answer["result"]["data_array"][0][0])


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "file and URL access is disabled"),
        ("SELECT * FROM glob('/etc/*')", "file and URL access is disabled"),
        ("SELECT content FROM read_text('/etc/hostname')", "file and URL access is disabled"),
        ("INSTALL httpfs", "LOAD statements are not allowed"),
        ("LOAD httpfs", "LOAD statements are not allowed"),
        ("SET threads = 1", "SET statements are not allowed"),
        ("PRAGMA threads = 1", "statements are not allowed"),
        ("CALL pragma_version()", "CALL statements are not allowed"),
        ("CREATE TABLE mine AS SELECT 1 AS a", "CREATE statements are not allowed"),
        ("INSERT INTO samples.sales.orders SELECT * FROM samples.sales.orders", "INSERT statements"),
        ("DROP TABLE samples.sales.orders", "DROP statements are not allowed"),
        ("SELECT 1; SELECT 2", "one statement per request: found 2"),
    ],
)
def test_statements_that_reach_outside_fail_and_name_the_rule(dp: RunningMock, sql: str, rule: str) -> None:
    answer = _execute(dp, sql)
    status = answer["status"]
    assert status["state"] == "FAILED"
    assert status["error"]["message"].startswith("[MOCK_SANDBOX]")
    assert rule in status["error"]["message"]
    assert status["sql_state"] == "42501"
    assert "root:" not in str(answer)  # /etc/passwd's first bytes never come back
    assert _orders(dp) == "2500"


def test_refused_writes_leave_no_file(dp: RunningMock, tmp_path: Path) -> None:
    written = {
        "COPY (SELECT 1 AS a) TO '{}'": tmp_path / "out.csv",
        "ATTACH '{}' AS other": tmp_path / "other.duckdb",
        "EXPORT DATABASE '{}'": tmp_path / "exported",
    }
    for template, target in written.items():
        answer = _execute(dp, template.format(target))
        assert answer["status"]["state"] == "FAILED"
        assert answer["status"]["error"]["message"].startswith("[MOCK_SANDBOX]")
        assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_catalog_and_schema_fields_are_quoted_not_pasted(dp: RunningMock) -> None:
    answer = _execute(dp, "SELECT 1", catalog='samples"; DROP TABLE samples.sales.orders; --', schema="sales")
    assert answer["status"]["state"] == "FAILED"
    assert "No catalog + schema named" in answer["status"]["error"]["message"]
    assert _orders(dp) == "2500"


def test_settings_stay_as_the_mock_set_them(dp: RunningMock) -> None:
    before = _execute(dp, "SELECT current_setting('enable_external_access')")
    assert before["result"]["data_array"] == [["false"]]
    _execute(dp, "SET enable_external_access = true")
    after = _execute(dp, "SELECT current_setting('enable_external_access')")
    assert after["result"]["data_array"] == [["false"]]


# A join of a million rows with a million: hours of work, interruptible at any moment.
_ENDLESS = "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b"


@pytest.fixture(scope="module")
def short_timeout() -> Iterator[str]:
    mock = build_app(seed=7, statement_timeout=1.0)
    server = BackgroundServer(mock.app).start()
    try:
        yield server.base_url
    finally:
        server.stop()
        mock.close()


def _poll(base: str, statement_id: str) -> dict[str, Any]:
    headers = {"Authorization": "Bearer dapi-test"}
    for _ in range(1200):  # bounded polling with a pause, as the SDK's own waiter polls
        answer = httpx.get(f"{base}/api/2.0/sql/statements/{statement_id}", headers=headers, timeout=10)
        body = dict(answer.json())
        if body["status"]["state"] not in ("PENDING", "RUNNING"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"statement {statement_id} never finished")


def test_statement_past_its_timeout_fails_and_the_warehouse_still_answers(short_timeout: str) -> None:
    headers = {"Authorization": "Bearer dapi-test"}

    def submit(sql: str) -> str:
        body = {"statement": sql, "warehouse_id": WAREHOUSE, "wait_timeout": "0s"}
        answer = httpx.post(f"{short_timeout}/api/2.0/sql/statements", json=body, headers=headers, timeout=10)
        return str(answer.json()["statement_id"])

    # More endless statements than the warehouse has workers, then a quick one behind them.
    endless = [submit(_ENDLESS) for _ in range(5)]
    quick = submit("SELECT 1")
    for statement_id in endless:
        status = _poll(short_timeout, statement_id)["status"]
        assert status["state"] == "FAILED"
        assert status["error"]["error_code"] == "DEADLINE_EXCEEDED"
        assert "STATEMENT_TIMEOUT (1 s)" in status["error"]["message"]
    answer = _poll(short_timeout, quick)
    assert answer["status"]["state"] == "SUCCEEDED"
    assert answer["result"]["data_array"] == [["1"]]


def test_a_sleep_longer_than_the_timeout_times_out(short_timeout: str) -> None:
    headers = {"Authorization": "Bearer dapi-test"}
    body = {"statement": "-- mock:sleep=1h\nSELECT 1", "warehouse_id": WAREHOUSE, "wait_timeout": "0s"}
    answer = httpx.post(f"{short_timeout}/api/2.0/sql/statements", json=body, headers=headers, timeout=10)
    status = _poll(short_timeout, answer.json()["statement_id"])["status"]
    assert status["state"] == "FAILED" and status["error"]["error_code"] == "DEADLINE_EXCEEDED"
