"""Benchmark the data-platform mock against baselines measured in the same run.

1. Statements per second for a small aggregate over ``samples.nyctaxi.trips``: through the mock's HTTP API
   (one keep-alive httpx client, and the databricks-sdk) as a ratio of the same query run on DuckDB directly.
2. The cost of a run's polling loop: ``jobs.run_now(...).result()`` with the databricks-sdk, per time scale:
   requests to ``runs/get`` and wall time, against the run's simulated duration converted to wall time.

Timings vary by machine; read the ratios. Run: ``python benchmarks/bench_dataplatform.py [--requests N]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections.abc import Callable

import duckdb
import httpx
from api_trainer.mock_servers.dataplatform import build_app, load_samples
from api_trainer.mock_servers.dataplatform.lifecycle import (
    DEFAULT_TASK_SECONDS,
    PENDING_SECONDS,
    TERMINATING_SECONDS,
)
from api_trainer.mock_servers.dataplatform.warehouses import DEFAULT_WAREHOUSE_ID

from api_trainer.mock import BackgroundServer

QUERY = (
    "SELECT pickup_zip, count(*) AS trips, round(avg(fare_amount), 2) AS avg_fare "
    "FROM samples.nyctaxi.trips GROUP BY pickup_zip ORDER BY pickup_zip"
)
TOKEN = "dapi-bench"


def _rate(count: int, call: Callable[[], object]) -> float:
    call()  # warm-up, not timed
    started = time.perf_counter()
    for _ in range(count):
        call()
    return count / (time.perf_counter() - started)


def _workspace(base_url: str) -> object:
    for name in list(os.environ):
        if name.startswith("DATABRICKS_"):
            del os.environ[name]
    os.environ["HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    from databricks.sdk import WorkspaceClient

    return WorkspaceClient(host=base_url, token=TOKEN)


def bench_statements(requests: int) -> None:
    direct = duckdb.connect()
    load_samples(direct, seed=42)
    expected = [[str(v) for v in row] for row in direct.execute(QUERY).fetchall()]
    baseline = _rate(requests, lambda: direct.execute(QUERY).fetchall())

    mock = build_app(seed=42)
    with (
        BackgroundServer(mock.app).running() as server,
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        ) as client,
    ):
        body = {"statement": QUERY, "warehouse_id": DEFAULT_WAREHOUSE_ID}

        def over_http() -> None:
            answer = client.post("/api/2.0/sql/statements", json=body).json()
            assert answer["result"]["data_array"] == expected, answer

        http_rate = _rate(requests, over_http)
        workspace = _workspace(server.base_url)

        def over_sdk() -> None:
            answer = workspace.statement_execution.execute_statement(  # type: ignore[attr-defined]
                statement=QUERY, warehouse_id=DEFAULT_WAREHOUSE_ID
            )
            assert answer.result.data_array == expected

        sdk_rate = _rate(max(1, requests // 2), over_sdk)
    mock.close()
    print(f"statements: small aggregate ({len(expected)} rows), {requests} requests each")
    print(f"  DuckDB directly        {baseline:10.1f} /s   1.00x (baseline)")
    print(f"  mock over HTTP (httpx) {http_rate:10.1f} /s   {http_rate / baseline:.3f}x of DuckDB")
    print(f"  mock via databricks-sdk{sdk_rate:10.1f} /s   {sdk_rate / baseline:.3f}x of DuckDB")


def bench_polling(time_scales: list[float]) -> None:
    simulated = PENDING_SECONDS + DEFAULT_TASK_SECONDS + TERMINATING_SECONDS
    print(
        f"run polling: run_now(...).result(), one task of {DEFAULT_TASK_SECONDS:g} simulated s ({simulated:g} s in all)"
    )
    for scale in time_scales:
        mock = build_app(time_scale=scale)
        with BackgroundServer(mock.app).running() as server:
            from databricks.sdk.service import jobs

            workspace = _workspace(server.base_url)
            job = workspace.jobs.create(  # type: ignore[attr-defined]
                name="bench",
                tasks=[jobs.Task(task_key="t", notebook_task=jobs.NotebookTask(notebook_path="/t"))],
            )
            started = time.perf_counter()
            run = workspace.jobs.run_now(job_id=job.job_id).result()  # type: ignore[attr-defined]
            wall = time.perf_counter() - started
            assert run.state.result_state.value == "SUCCESS"
            polls = [
                e
                for e in httpx.get(server.base_url + "/_mock/requests").json()["data"]
                if e["path"].endswith("/runs/get")
            ]
        mock.close()
        ideal = simulated / scale
        print(
            f"  time scale {scale:>6g}: run needs {ideal:7.3f} s wall; result() took {wall:6.3f} s"
            f" = {wall / ideal:6.2f}x, {len(polls)} runs/get request(s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="statements per measurement (default 200)")
    parser.add_argument(
        "--time-scales",
        type=float,
        nargs="+",
        default=[1.0, 10.0, 1000.0],
        help="time scales for the polling run",
    )
    args = parser.parse_args()
    # The SDK logs a warning when the mock's host-metadata endpoint answers 404, as it is meant to.
    logging.getLogger("databricks.sdk").setLevel(logging.ERROR)
    bench_statements(args.requests)
    bench_polling(args.time_scales)


if __name__ == "__main__":
    main()
