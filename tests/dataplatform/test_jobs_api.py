"""Jobs through the official databricks-sdk: create, get, list over pages, update, delete, missing jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import NotFound, ResourceDoesNotExist
from databricks.sdk.service import jobs

if TYPE_CHECKING:
    from conftest import RunningMock


def _tasks() -> list[jobs.Task]:
    return [
        jobs.Task(task_key="extract", notebook_task=jobs.NotebookTask(notebook_path="/etl/extract")),
        jobs.Task(
            task_key="load",
            depends_on=[jobs.TaskDependency(task_key="extract")],
            notebook_task=jobs.NotebookTask(notebook_path="/etl/load"),
        ),
    ]


def test_create_get_update_delete_a_multi_task_job(workspace: WorkspaceClient) -> None:
    created = workspace.jobs.create(name="nightly-etl", tasks=_tasks(), max_concurrent_runs=2)
    job = workspace.jobs.get(created.job_id)
    assert job.settings is not None and job.settings.tasks is not None
    assert job.settings.name == "nightly-etl"
    assert [t.task_key for t in job.settings.tasks] == ["extract", "load"]
    assert job.settings.tasks[1].depends_on == [jobs.TaskDependency(task_key="extract")]
    assert job.settings.format == jobs.Format.MULTI_TASK
    assert job.creator_user_name == "trainer@example.com"

    workspace.jobs.update(created.job_id, new_settings=jobs.JobSettings(name="nightly-etl-v2"))
    updated = workspace.jobs.get(created.job_id)
    assert updated.settings is not None and updated.settings.tasks is not None
    assert updated.settings.name == "nightly-etl-v2"
    assert len(updated.settings.tasks) == 2  # a partial update keeps what it does not name
    assert updated.settings.max_concurrent_runs == 2

    workspace.jobs.reset(created.job_id, new_settings=jobs.JobSettings(name="reset", tasks=_tasks()[:1]))
    reset = workspace.jobs.get(created.job_id)
    assert reset.settings is not None and reset.settings.tasks is not None
    assert (reset.settings.name, len(reset.settings.tasks)) == ("reset", 1)

    workspace.jobs.delete(created.job_id)
    with pytest.raises(ResourceDoesNotExist, match=f"Job {created.job_id} does not exist"):
        workspace.jobs.get(created.job_id)


def test_missing_job_is_the_sdks_not_found_error(workspace: WorkspaceClient, dp: RunningMock) -> None:
    with pytest.raises(NotFound) as raised:
        workspace.jobs.get(424242)
    assert isinstance(raised.value, ResourceDoesNotExist)
    # On the wire it is the real API's 400 INVALID_PARAMETER_VALUE, which the SDK maps to not-found.
    response = dp.raw("GET", "/api/2.2/jobs/get", params={"job_id": 424242})
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert response.json()["message"] == "Job 424242 does not exist."
    assert isinstance(response.json()["details"], list)


def test_list_follows_next_page_token_over_several_pages(workspace: WorkspaceClient, dp: RunningMock) -> None:
    created = [workspace.jobs.create(name=f"job-{i}", tasks=_tasks()).job_id for i in range(5)]
    listed = [job.job_id for job in workspace.jobs.list(limit=2)]
    assert listed == created[::-1]  # newest first
    pages = dp.journal("/api/2.2/jobs/list")
    assert len(pages) == 3
    assert "page_token=" not in pages[0]["query"] and "page_token=" in pages[1]["query"]

    by_name = list(workspace.jobs.list(name="JOB-3"))
    assert [job.job_id for job in by_name] == [created[3]]
    first = dp.raw("GET", "/api/2.2/jobs/list", params={"limit": 2}).json()
    assert first["has_more"] is True and "tasks" not in first["jobs"][0]["settings"]
    expanded = dp.raw("GET", "/api/2.2/jobs/list", params={"limit": 2, "expand_tasks": "true"}).json()
    assert len(expanded["jobs"][0]["settings"]["tasks"]) == 2


def test_current_user_me_answers_a_test_user(workspace: WorkspaceClient) -> None:
    me = workspace.current_user.me()
    assert me.user_name == "trainer@example.com" and me.active is True
