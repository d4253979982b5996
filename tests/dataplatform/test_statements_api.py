"""SQL Statement Execution through the databricks-sdk, checked against DuckDB run directly on the same samples."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
from api_trainer.mock_servers.dataplatform.statements import CHUNK_ROWS
from api_trainer.mock_servers.dataplatform.warehouses import DEFAULT_WAREHOUSE_ID as WAREHOUSE
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import BadRequest
from databricks.sdk.service.sql import (
    ColumnInfoTypeName,
    Disposition,
    ExecuteStatementRequestOnWaitTimeout,
    StatementParameterListItem,
    StatementState,
)

if TYPE_CHECKING:
    from conftest import RunningMock

REVENUE_BY_CATEGORY = """
SELECT p.category, count(*) AS orders, sum(o.amount) AS revenue
FROM samples.sales.orders o JOIN samples.sales.products p USING (product_id)
WHERE o.status = 'completed'
GROUP BY p.category ORDER BY p.category
"""


def _rows(result: list[tuple[Any, ...]]) -> list[list[str]]:
    return [[str(value) for value in row] for row in result]


def test_aggregate_matches_duckdb(workspace: WorkspaceClient, direct: duckdb.DuckDBPyConnection) -> None:
    response = workspace.statement_execution.execute_statement(
        statement=REVENUE_BY_CATEGORY, warehouse_id=WAREHOUSE
    )
    assert response.status is not None and response.status.state == StatementState.SUCCEEDED
    assert response.result is not None and response.manifest is not None
    expected = _rows(direct.execute(REVENUE_BY_CATEGORY).fetchall())
    assert response.result.data_array == expected
    assert sum(Decimal(row[2]) for row in expected) > 0
    columns = response.manifest.schema.columns  # type: ignore[union-attr]
    assert [(c.name, c.type_name) for c in columns] == [
        ("category", ColumnInfoTypeName.STRING),
        ("orders", ColumnInfoTypeName.LONG),
        ("revenue", ColumnInfoTypeName.DECIMAL),
    ]
    assert response.manifest.total_row_count == len(expected)


def test_wait_timeout_zero_then_polling_reaches_succeeded(
    workspace: WorkspaceClient, dp: RunningMock
) -> None:
    # The sleep comment keeps the statement RUNNING for 10 simulated minutes: long, until the clock moves.
    sql = "-- mock:sleep=10m\nSELECT count(*) FROM samples.nyctaxi.trips"
    first = workspace.statement_execution.execute_statement(
        statement=sql, warehouse_id=WAREHOUSE, wait_timeout="0s"
    )
    assert first.status is not None and first.status.state in (StatementState.PENDING, StatementState.RUNNING)
    assert first.result is None and first.statement_id
    again = workspace.statement_execution.get_statement(first.statement_id)
    assert again.status is not None and again.status.state in (StatementState.PENDING, StatementState.RUNNING)
    dp.advance(600)
    states = []
    for _ in range(500):  # bounded polling: each GET is a quick loopback round trip
        polled = workspace.statement_execution.get_statement(first.statement_id)
        assert polled.status is not None
        states.append(polled.status.state)
        if polled.status.state == StatementState.SUCCEEDED:
            break
    assert states[-1] == StatementState.SUCCEEDED
    assert polled.result is not None and polled.result.data_array == [["5000"]]


def test_result_larger_than_one_chunk_is_read_through_the_chunk_links(
    workspace: WorkspaceClient, direct: duckdb.DuckDBPyConnection
) -> None:
    sql = "SELECT order_id, customer_id, amount FROM samples.sales.orders ORDER BY order_id"
    response = workspace.statement_execution.execute_statement(statement=sql, warehouse_id=WAREHOUSE)
    assert response.manifest is not None and response.result is not None and response.statement_id
    total = direct.execute("SELECT count(*) FROM samples.sales.orders").fetchone()[0]  # type: ignore[index]
    assert total > CHUNK_ROWS
    assert response.manifest.total_chunk_count == -(-total // CHUNK_ROWS)
    rows = list(response.result.data_array or [])
    chunk = response.result
    links = []
    while chunk.next_chunk_index is not None:
        links.append(chunk.next_chunk_internal_link)
        chunk = workspace.statement_execution.get_statement_result_chunk_n(
            response.statement_id, chunk.next_chunk_index
        )
        rows.extend(chunk.data_array or [])
    assert links[0] == f"/api/2.0/sql/statements/{response.statement_id}/result/chunks/1"
    assert len(rows) == total
    assert rows == _rows(direct.execute(sql).fetchall())


def test_bad_sql_fails_with_the_engines_message(workspace: WorkspaceClient, dp: RunningMock) -> None:
    response = workspace.statement_execution.execute_statement(
        statement="SELEC fare_amount FROM samples.nyctaxi.trips", warehouse_id=WAREHOUSE
    )
    assert response.status is not None and response.status.state == StatementState.FAILED
    assert response.status.error is not None and response.status.error.message is not None
    assert 'syntax error at or near "SELEC"' in response.status.error.message
    missing = dp.raw(
        "POST",
        "/api/2.0/sql/statements",
        json={"statement": "SELECT * FROM samples.sales.nope", "warehouse_id": WAREHOUSE},
    )
    assert missing.status_code == 200  # SQL errors are results, not HTTP errors
    assert missing.json()["status"]["state"] == "FAILED"
    assert "nope" in missing.json()["status"]["error"]["message"]


def test_named_parameters_bind_with_types(
    workspace: WorkspaceClient, direct: duckdb.DuckDBPyConnection
) -> None:
    sql = "SELECT count(*) FROM samples.nyctaxi.trips WHERE pickup_zip = :zip AND fare_amount > :min_fare"
    response = workspace.statement_execution.execute_statement(
        statement=sql,
        warehouse_id=WAREHOUSE,
        parameters=[
            StatementParameterListItem(name="zip", value="10001", type="INT"),
            StatementParameterListItem(name="min_fare", value="12.5", type="DOUBLE"),
        ],
    )
    expected = direct.execute(
        "SELECT count(*) FROM samples.nyctaxi.trips WHERE pickup_zip = 10001 AND fare_amount > 12.5"
    ).fetchone()
    assert response.result is not None and response.result.data_array == [[str(expected[0])]]  # type: ignore[index]
    assert int(response.result.data_array[0][0]) > 0  # type: ignore[index]
    # A value is bound, never spliced into the SQL: an injection attempt is just a string that matches nothing.
    injected = workspace.statement_execution.execute_statement(
        statement="SELECT count(*) FROM samples.sales.customers WHERE country = :country",
        warehouse_id=WAREHOUSE,
        parameters=[StatementParameterListItem(name="country", value="US' OR '1'='1")],
    )
    assert injected.result is not None and injected.result.data_array == [["0"]]
    with pytest.raises(BadRequest, match="not a valid INT"):
        workspace.statement_execution.execute_statement(
            statement=sql,
            warehouse_id=WAREHOUSE,
            parameters=[StatementParameterListItem(name="zip", value="ten", type="INT")],
        )


def test_row_limit_truncates(workspace: WorkspaceClient) -> None:
    response = workspace.statement_execution.execute_statement(
        statement="SELECT * FROM samples.sales.customers", warehouse_id=WAREHOUSE, row_limit=7
    )
    assert response.manifest is not None and response.result is not None
    assert response.manifest.truncated is True and response.manifest.total_row_count == 7
    assert len(response.result.data_array or []) == 7


def test_cancel_a_running_statement(workspace: WorkspaceClient) -> None:
    started = workspace.statement_execution.execute_statement(
        statement="-- mock:sleep=1h\nSELECT 1", warehouse_id=WAREHOUSE, wait_timeout="0s"
    )
    assert started.statement_id
    workspace.statement_execution.cancel_execution(started.statement_id)
    after = workspace.statement_execution.get_statement(started.statement_id)
    assert after.status is not None and after.status.state == StatementState.CANCELED


def test_on_wait_timeout_cancel_gives_up_after_the_wait(workspace: WorkspaceClient) -> None:
    # Costs the 5 s wait in wall time: the shortest wait_timeout the API allows.
    response = workspace.statement_execution.execute_statement(
        statement="-- mock:sleep=24h\nSELECT 1",
        warehouse_id=WAREHOUSE,
        wait_timeout="5s",
        on_wait_timeout=ExecuteStatementRequestOnWaitTimeout.CANCEL,
        disposition=Disposition.INLINE,
    )
    assert response.status is not None and response.status.state == StatementState.CANCELED


def test_warehouses_list_and_get(workspace: WorkspaceClient) -> None:
    warehouses = list(workspace.warehouses.list())
    assert WAREHOUSE in [w.id for w in warehouses]
    assert workspace.warehouses.get(WAREHOUSE).name == "Starter Warehouse"


def test_catalog_and_schema_make_short_names_resolve(workspace: WorkspaceClient) -> None:
    response = workspace.statement_execution.execute_statement(
        statement="SELECT count(*) FROM products", warehouse_id=WAREHOUSE, catalog="samples", schema="sales"
    )
    assert response.result is not None and response.result.data_array == [["40"]]
