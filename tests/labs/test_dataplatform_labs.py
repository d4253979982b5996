"""Data-platform labs done with the official databricks-sdk (or plain HTTP) the right way and the wrong way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service import jobs

from .conftest import RunningLab

pytestmark = pytest.mark.usefixtures("clean_databricks_env")


def _workspace(lab: RunningLab) -> WorkspaceClient:
    return WorkspaceClient(host=lab.base_url, token=lab.key)


def _job(w: WorkspaceClient, name: str = "nightly") -> int:
    task = jobs.Task(task_key="main", notebook_task=jobs.NotebookTask(notebook_path="/etl/nightly"))
    job_id = w.jobs.create(name=name, tasks=[task]).job_id
    assert job_id is not None
    return job_id


def test_run_now_with_token_and_waiter_passes(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-run-now-under-429")
    w = _workspace(lab)
    run = w.jobs.run_now(job_id=_job(w), idempotency_token="nightly-2024-06-01").result()
    assert run.state is not None and run.state.life_cycle_state == jobs.RunLifeCycleState.TERMINATED
    report = lab.check()
    assert report.passed, report.result.reasons
    assert "1 answered 429 REQUEST_LIMIT_EXCEEDED" in report.result.observations


def test_run_now_without_token_fails_with_two_runs(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-run-now-under-429")
    w = _workspace(lab)
    w.jobs.run_now(job_id=_job(w)).result()  # the SDK retries the dropped POST: a second run starts
    report = lab.check()
    assert not report.passed
    assert any("carried no idempotency_token" in r for r in report.result.reasons)
    assert any(r.startswith("2 runs exist") for r in report.result.reasons), report.result.reasons


def test_checking_twice_does_not_count_the_checks_own_requests(
    start_lab: Callable[[str], RunningLab],
) -> None:
    lab = start_lab("lab-statement-chunks")
    http, _statement_id, _answer = _submit_and_poll(lab)
    http.close()
    first, second = lab.check(), lab.check()
    assert not first.passed and not second.passed
    # The check GETs the statement itself; were its requests counted, the second check would see more polls.
    assert first.result == second.result


def _warehouse(lab: RunningLab) -> str:
    headers = {"Authorization": f"Bearer {lab.key}"}
    body = httpx.get(f"{lab.base_url}/api/2.0/sql/warehouses", headers=headers, timeout=10).json()
    return str(body["warehouses"][0]["id"])


def test_jobs_paged_with_sdk_passes(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-jobs-page-tokens")
    w = _workspace(lab)
    for n in range(7):
        _job(w, f"job-{n}")
    names = [j.settings.name for j in w.jobs.list(limit=3) if j.settings is not None]
    assert len(names) == 7
    report = lab.check()
    assert report.passed, report.result.reasons


def test_jobs_first_page_only_fails(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-jobs-page-tokens")
    w = _workspace(lab)
    for n in range(7):
        _job(w, f"job-{n}")
    headers = {"Authorization": f"Bearer {lab.key}"}
    page = httpx.get(f"{lab.base_url}/api/2.1/jobs/list", params={"limit": 3}, headers=headers, timeout=10)
    assert page.json()["has_more"] is True
    report = lab.check()
    assert not report.passed
    assert any("you read 1 of 3 pages" in r for r in report.result.reasons), report.result.reasons


def _submit_and_poll(lab: RunningLab) -> tuple[httpx.Client, str, dict[str, Any]]:
    http = httpx.Client(base_url=lab.base_url, headers={"Authorization": f"Bearer {lab.key}"}, timeout=30)
    body = {
        "statement": "SELECT * FROM samples.nyctaxi.trips",
        "warehouse_id": _warehouse(lab),
        "wait_timeout": "0s",
    }
    statement_id = str(http.post("/api/2.0/sql/statements", json=body).json()["statement_id"])
    for _ in range(200):  # bounded: the statement finishes in well under a second of work
        answer = http.get(f"/api/2.0/sql/statements/{statement_id}").json()
        if answer["status"]["state"] == "SUCCEEDED":
            return http, statement_id, answer
    pytest.fail("the statement did not succeed within 200 polls")


def test_statement_polled_and_all_chunks_read_passes(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-statement-chunks")
    http, statement_id, answer = _submit_and_poll(lab)
    rows = list(answer["result"]["data_array"])
    following = answer["result"].get("next_chunk_index")
    for _ in range(100):
        if following is None:
            break
        chunk = http.get(f"/api/2.0/sql/statements/{statement_id}/result/chunks/{following}").json()
        rows += chunk["data_array"]
        following = chunk.get("next_chunk_index")
    http.close()
    assert len(rows) == 5000
    report = lab.check()
    assert report.passed, report.result.reasons


def test_statement_first_chunk_only_fails(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-statement-chunks")
    http, _statement_id, answer = _submit_and_poll(lab)
    http.close()
    assert answer["manifest"]["total_chunk_count"] == 5
    report = lab.check()
    assert not report.passed
    assert any("you read 1 of 5 chunks" in r for r in report.result.reasons), report.result.reasons
