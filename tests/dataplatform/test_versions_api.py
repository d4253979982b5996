"""One job read through Jobs API 2.0, 2.1 and 2.2: the documented shape differences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from databricks.sdk import WorkspaceClient

if TYPE_CHECKING:
    from conftest import RunningMock

SINGLE_TASK = {
    "name": "legacy-report",
    "existing_cluster_id": "0923-164208-meows279",
    "notebook_task": {"notebook_path": "/Shared/report"},
    "max_retries": 2,
}


def _get(dp: RunningMock, version: str, job_id: int, **params: Any) -> dict[str, Any]:
    response = dp.raw("GET", f"/api/{version}/jobs/get", params={"job_id": job_id, **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_single_task_job_created_with_2_0_reads_back_per_version(dp: RunningMock) -> None:
    created = dp.raw("POST", "/api/2.0/jobs/create", json=SINGLE_TASK)
    assert created.status_code == 200, created.text
    job_id = created.json()["job_id"]

    v20 = _get(dp, "2.0", job_id)["settings"]
    assert v20["notebook_task"] == {"notebook_path": "/Shared/report"}
    assert v20["existing_cluster_id"] == "0923-164208-meows279" and v20["max_retries"] == 2
    assert "tasks" not in v20

    for version in ("2.1", "2.2"):
        settings = _get(dp, version, job_id)["settings"]
        assert "notebook_task" not in settings and "existing_cluster_id" not in settings
        assert settings["format"] == "SINGLE_TASK"
        [task] = settings["tasks"]
        assert task["notebook_task"] == {"notebook_path": "/Shared/report"}
        assert task["existing_cluster_id"] == "0923-164208-meows279"
        assert "queue" not in settings  # created through 2.0: no queueing


def test_2_1_and_2_2_reject_the_single_task_format(dp: RunningMock) -> None:
    for version in ("2.1", "2.2"):
        response = dp.raw("POST", f"/api/{version}/jobs/create", json=SINGLE_TASK)
        assert response.status_code == 400
        body = response.json()
        assert body["error_code"] == "INVALID_PARAMETER_VALUE"
        assert "multi-task format" in body["message"] and "notebook_task" in body["message"]
        assert set(body) == {"error_code", "message", "details"}


def test_2_2_queues_by_default_and_2_1_does_not(dp: RunningMock) -> None:
    multi = {"name": "m", "tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "/a"}}]}
    via_21 = dp.raw("POST", "/api/2.1/jobs/create", json=multi).json()["job_id"]
    via_22 = dp.raw("POST", "/api/2.2/jobs/create", json=multi).json()["job_id"]
    assert "queue" not in _get(dp, "2.2", via_21)["settings"]
    assert _get(dp, "2.2", via_22)["settings"]["queue"] == {"enabled": True}


def test_2_2_pages_long_task_arrays_and_the_sdk_merges_them(
    dp: RunningMock, workspace: WorkspaceClient
) -> None:
    tasks = [{"task_key": f"t{i:03d}", "notebook_task": {"notebook_path": f"/n/{i}"}} for i in range(150)]
    job_id = dp.raw("POST", "/api/2.2/jobs/create", json={"name": "wide", "tasks": tasks}).json()["job_id"]

    first = _get(dp, "2.2", job_id)
    assert len(first["settings"]["tasks"]) == 100 and first.get("next_page_token")
    second = _get(dp, "2.2", job_id, page_token=first["next_page_token"])
    assert [t["task_key"] for t in second["settings"]["tasks"]] == [f"t{i:03d}" for i in range(100, 150)]
    assert "next_page_token" not in second
    assert len(_get(dp, "2.1", job_id)["settings"]["tasks"]) == 150  # 2.1 answers everything at once

    job = workspace.jobs.get(job_id)
    assert job.settings is not None and job.settings.tasks is not None
    assert [t.task_key for t in job.settings.tasks] == [t["task_key"] for t in tasks]
    assert len(dp.journal("/api/2.2/jobs/get")) == 4  # two raw pages, then the SDK's two


def test_journal_records_the_version_from_the_path(dp: RunningMock) -> None:
    for version in ("2.0", "2.1", "2.2"):
        dp.raw("GET", f"/api/{version}/jobs/list")
    assert [e["version"] for e in dp.journal() if e["path"].endswith("/jobs/list")] == ["2.0", "2.1", "2.2"]


def test_a_single_task_run_reads_back_per_version(dp: RunningMock) -> None:
    job_id = dp.raw("POST", "/api/2.0/jobs/create", json=SINGLE_TASK).json()["job_id"]
    run_id = dp.raw("POST", "/api/2.0/jobs/run-now", json={"job_id": job_id}).json()["run_id"]
    v20 = dp.raw("GET", "/api/2.0/jobs/runs/get", params={"run_id": run_id}).json()
    assert v20["task"] == {"notebook_task": {"notebook_path": "/Shared/report"}}
    assert v20["cluster_spec"] == {"existing_cluster_id": "0923-164208-meows279"}
    assert "tasks" not in v20
    v22 = dp.raw("GET", "/api/2.2/jobs/runs/get", params={"run_id": run_id}).json()
    assert "task" not in v22 and [t["task_key"] for t in v22["tasks"]] == ["legacy-report"]
    assert v22["state"]["life_cycle_state"] in ("PENDING", "RUNNING", "TERMINATING", "TERMINATED")
    assert v22["status"]["state"] == v22["state"]["life_cycle_state"]


def test_2_2_pages_long_run_task_arrays_and_the_sdk_merges_them(
    dp: RunningMock, workspace: WorkspaceClient
) -> None:
    tasks = [{"task_key": f"t{i:03d}", "notebook_task": {"notebook_path": f"/n/{i}"}} for i in range(120)]
    run_id = dp.raw("POST", "/api/2.2/jobs/runs/submit", json={"run_name": "wide", "tasks": tasks}).json()[
        "run_id"
    ]
    first = dp.raw("GET", "/api/2.2/jobs/runs/get", params={"run_id": run_id}).json()
    assert len(first["tasks"]) == 100 and first["next_page_token"]
    assert (
        first["job_parameters"] == [] and first["job_clusters"] == []
    )  # present, so the SDK can extend them
    run = workspace.jobs.get_run(run_id)
    assert run.tasks is not None and len(run.tasks) == 120
    assert len({t.run_id for t in run.tasks}) == 120  # every task run has its own id
