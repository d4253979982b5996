"""Faults in Databricks shapes, and what the databricks-sdk does with them (it retries 429 and 503 only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InternalError

if TYPE_CHECKING:
    from conftest import RunningMock

TASKS = [{"task_key": "a", "notebook_task": {"notebook_path": "/a"}}]


def test_sdk_absorbs_two_rate_limits_and_the_journal_shows_three_requests(
    workspace: WorkspaceClient, dp: RunningMock
) -> None:
    job_id = dp.raw("POST", "/api/2.2/jobs/create", json={"name": "x", "tasks": TASKS}).json()["job_id"]
    dp.add_fault(
        {
            "match": {"method": "GET", "path": "/api/2.2/jobs/get"},
            "fault": "rate-limit",
            "times": 2,
            "params": {"retry_after": 1},
        }
    )
    job = workspace.jobs.get(job_id)  # sleeps Retry-After (1 s) + jitter twice, then succeeds
    assert job.job_id == job_id
    entries = dp.journal("/api/2.2/jobs/get")
    assert [e["status"] for e in entries] == [429, 429, 200]
    assert [e["fault"] for e in entries] == ["rate-limit", "rate-limit", None]


def test_rate_limit_and_unavailable_have_the_databricks_shape(dp: RunningMock) -> None:
    limited = dp.raw("GET", "/api/2.2/jobs/list", headers={"X-Mock-Fault": "rate-limit;retry_after=7"})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert limited.json()["error_code"] == "REQUEST_LIMIT_EXCEEDED"
    unavailable = dp.raw("GET", "/api/2.2/jobs/list", headers={"X-Mock-Fault": "status-503"})
    assert unavailable.status_code == 503
    assert unavailable.json()["error_code"] == "TEMPORARILY_UNAVAILABLE"


def test_sdk_does_not_retry_a_plain_500(workspace: WorkspaceClient, dp: RunningMock) -> None:
    dp.add_fault({"match": {"path": "/api/2.2/jobs/list"}, "fault": "status-500", "times": 1})
    with pytest.raises(InternalError):
        list(workspace.jobs.list())
    assert [e["status"] for e in dp.journal("/api/2.2/jobs/list")] == [500]


def test_drops_before_and_after_commit(dp: RunningMock) -> None:
    body = {"name": "dropped", "tasks": TASKS}
    with pytest.raises(httpx.TransportError):
        dp.raw("POST", "/api/2.2/jobs/create", json=body, headers={"X-Mock-Fault": "drop-before-commit"})
    assert "jobs" not in dp.raw("GET", "/api/2.2/jobs/list").json()
    with pytest.raises(httpx.TransportError):
        dp.raw("POST", "/api/2.2/jobs/create", json=body, headers={"X-Mock-Fault": "drop-after-commit"})
    assert [j["settings"]["name"] for j in dp.raw("GET", "/api/2.2/jobs/list").json()["jobs"]] == ["dropped"]
    statuses = [e["status"] for e in dp.journal("/api/2.2/jobs/create")]
    assert statuses == [None, None]


def test_run_now_retry_with_a_token_after_a_lost_response_makes_one_run(dp: RunningMock) -> None:
    job_id = dp.raw("POST", "/api/2.2/jobs/create", json={"name": "x", "tasks": TASKS}).json()["job_id"]
    request = {"job_id": job_id, "idempotency_token": "retry-me"}
    with pytest.raises(httpx.TransportError):
        dp.raw("POST", "/api/2.2/jobs/run-now", json=request, headers={"X-Mock-Fault": "drop-after-commit"})
    retried = dp.raw("POST", "/api/2.2/jobs/run-now", json=request)
    assert retried.status_code == 200
    runs = dp.raw("GET", "/api/2.2/jobs/runs/list", params={"job_id": job_id}).json()["runs"]
    assert [r["run_id"] for r in runs] == [retried.json()["run_id"]]
    assert [e["replayed"] for e in dp.journal("/api/2.2/jobs/run-now")] == [False, True]
