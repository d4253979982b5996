"""``api-trainer probe --api dataplatform``: one request retried by the databricks-sdk's rules, as a timeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import RunningMock


def _probe(run_cli: Callable[..., Any], dp: RunningMock, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli(
        "probe", *args, "--api", "dataplatform", "--base-url", dp.base_url, "--token", "dapi-probe", "--json"
    )
    return result.exit_code, json.loads(result.stdout)


def test_429_is_retried_after_retry_after(run_cli: Callable[..., Any], dp: RunningMock) -> None:
    code, result = _probe(run_cli, dp, "GET", "/api/2.2/jobs/list", "--fault", "rate-limit;retry_after=1")
    assert code == 0 and result["policy"] == "databricks-sdk"
    assert [a["status"] for a in result["attempts"]] == [429, 200]
    assert "Retry-After (1 s)" in result["attempts"][0]["reason"]
    assert [e["status"] for e in dp.journal("/api/2.2/jobs/list")] == [429, 200]


def test_a_plain_500_is_not_retried(run_cli: Callable[..., Any], dp: RunningMock) -> None:
    code, result = _probe(run_cli, dp, "GET", "/api/2.2/jobs/list", "--fault", "status-500")
    assert code == 1
    assert [a["status"] for a in result["attempts"]] == [500]
    assert result["attempts"][0]["retry"] is False and "only 429 and 503" in result["attempts"][0]["reason"]


def test_post_sends_json_and_a_lost_answer_is_retried_onto_the_same_run(
    run_cli: Callable[..., Any], dp: RunningMock
) -> None:
    tasks = json.dumps([{"task_key": "a", "notebook_task": {"notebook_path": "/a"}}])
    code, created = _probe(
        run_cli, dp, "POST", "/api/2.2/jobs/create", "-d", "name=probed", "-d", f"tasks={tasks}"
    )
    assert code == 0, created
    job_id = created["body"]["job_id"]
    code, result = _probe(
        run_cli,
        dp,
        "POST",
        "/api/2.2/jobs/run-now",
        "-d",
        f"job_id={job_id}",
        "-d",
        "idempotency_token=probe-1",
        "--fault",
        "drop-after-commit",
    )
    assert code == 0
    assert [a["status"] for a in result["attempts"]] == [None, 200]
    runs = dp.raw("GET", "/api/2.2/jobs/runs/list", params={"job_id": job_id}).json()["runs"]
    assert [r["run_id"] for r in runs] == [result["body"]["run_id"]]
