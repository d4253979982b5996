"""Runs through the official databricks-sdk: the lifecycle to SUCCESS and FAILED, cancel, idempotency, queueing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import BadRequest, NotFound
from databricks.sdk.service import jobs

if TYPE_CHECKING:
    from conftest import RunningMock


def _notebook(key: str, **parameters: str) -> jobs.Task:
    return jobs.Task(
        task_key=key,
        notebook_task=jobs.NotebookTask(notebook_path=f"/jobs/{key}", base_parameters=parameters),
    )


def test_run_now_result_polls_until_terminated_success(workspace: WorkspaceClient, dp: RunningMock) -> None:
    job = workspace.jobs.create(name="ok", tasks=[_notebook("only")])
    run = workspace.jobs.run_now(job_id=job.job_id).result()
    assert run.state is not None and run.status is not None
    assert run.state.life_cycle_state == jobs.RunLifeCycleState.TERMINATED
    assert run.state.result_state == jobs.RunResultState.SUCCESS
    assert run.status.state == jobs.RunLifecycleStateV2State.TERMINATED
    assert run.status.termination_details is not None
    assert run.status.termination_details.code == jobs.TerminationCodeCode.SUCCESS
    assert run.tasks is not None and run.tasks[0].state is not None
    assert run.tasks[0].state.result_state == jobs.RunResultState.SUCCESS
    # The waiter polled runs/get at least once; the run went through RUNNING-or-later states on the clock.
    assert len(dp.journal("/api/2.2/jobs/runs/get")) >= 1
    assert run.execution_duration == 3000  # the documented default task duration, in simulated ms


def test_failed_task_ends_failed_and_get_run_output_says_why(
    workspace: WorkspaceClient, dp: RunningMock
) -> None:
    job = workspace.jobs.create(
        name="fails",
        tasks=[
            _notebook("ingest", mock_fail="disk quota exceeded on /mnt/raw"),
            jobs.Task(
                task_key="report",
                depends_on=[jobs.TaskDependency(task_key="ingest")],
                notebook_task=jobs.NotebookTask(notebook_path="/jobs/report"),
            ),
        ],
    )
    waiter = workspace.jobs.run_now(job_id=job.job_id)
    dp.advance(60)  # let simulated time pass so the waiter's first poll already sees the end
    run = waiter.result()
    assert run.state is not None and run.state.result_state == jobs.RunResultState.FAILED
    assert run.tasks is not None
    states = {t.task_key: t.state.result_state for t in run.tasks if t.state is not None}
    assert states == {"ingest": jobs.RunResultState.FAILED, "report": jobs.RunResultState.UPSTREAM_FAILED}
    ingest = next(t for t in run.tasks if t.task_key == "ingest")
    assert ingest.run_id is not None
    output = workspace.jobs.get_run_output(ingest.run_id)
    assert output.error == "disk quota exceeded on /mnt/raw"
    assert output.error_trace is not None and "ingest" in output.error_trace
    with pytest.raises(BadRequest, match="multiple tasks"):
        workspace.jobs.get_run_output(run.run_id)


def test_runs_submit_and_cancel(workspace: WorkspaceClient, dp: RunningMock) -> None:
    submitted = workspace.jobs.submit(run_name="one-off", tasks=[_notebook("slow", mock_duration="1h")])
    run_id = submitted.run_id
    before = workspace.jobs.get_run(run_id)
    assert before.state is not None
    assert before.state.life_cycle_state in (jobs.RunLifeCycleState.PENDING, jobs.RunLifeCycleState.RUNNING)
    assert before.run_type == jobs.RunType.SUBMIT_RUN
    cancelled = workspace.jobs.cancel_run(run_id).result()
    assert cancelled.state is not None
    assert cancelled.state.life_cycle_state == jobs.RunLifeCycleState.TERMINATED
    assert cancelled.state.result_state == jobs.RunResultState.CANCELED
    assert cancelled.state.user_cancelled_or_timedout is True
    workspace.jobs.delete_run(run_id)
    with pytest.raises(NotFound, match=f"Run {run_id} does not exist"):
        workspace.jobs.get_run(run_id)


def test_same_idempotency_token_twice_gives_one_run(workspace: WorkspaceClient, dp: RunningMock) -> None:
    job = workspace.jobs.create(name="idem", tasks=[_notebook("t")])
    first = workspace.jobs.run_now(job_id=job.job_id, idempotency_token="nightly-2024-05-01")
    second = workspace.jobs.run_now(job_id=job.job_id, idempotency_token="nightly-2024-05-01")
    assert first.run_id == second.run_id
    assert len(list(workspace.jobs.list_runs(job_id=job.job_id))) == 1
    entries = dp.journal("/api/2.2/jobs/run-now")
    assert [e["idempotency_key"] for e in entries] == ["nightly-2024-05-01"] * 2
    assert [e["replayed"] for e in entries] == [False, True]
    other = workspace.jobs.run_now(job_id=job.job_id, idempotency_token="nightly-2024-05-02")
    assert other.run_id != first.run_id

    submitted = [
        workspace.jobs.submit(tasks=[_notebook("s")], idempotency_token="adhoc-1").run_id for _ in range(2)
    ]
    assert submitted[0] == submitted[1]


def test_token_over_64_characters_is_rejected(workspace: WorkspaceClient) -> None:
    job = workspace.jobs.create(name="idem", tasks=[_notebook("t")])
    with pytest.raises(BadRequest, match="64 characters"):
        workspace.jobs.run_now(job_id=job.job_id, idempotency_token="x" * 65)
    assert list(workspace.jobs.list_runs(job_id=job.job_id)) == []


def test_concurrency_limit_queues_in_2_2_and_skips_without_queueing(
    workspace: WorkspaceClient, dp: RunningMock
) -> None:
    queued_job = workspace.jobs.create(name="queued", tasks=[_notebook("t", mock_duration="10m")])
    first = workspace.jobs.run_now(job_id=queued_job.job_id).run_id
    second = workspace.jobs.run_now(job_id=queued_job.job_id).run_id
    state = workspace.jobs.get_run(second).state
    assert state is not None and state.life_cycle_state == jobs.RunLifeCycleState.QUEUED
    dp.advance(11 * 60)  # the first run ends; the queued one takes its slot at that simulated moment
    assert workspace.jobs.get_run(first).state.result_state == jobs.RunResultState.SUCCESS  # type: ignore[union-attr]
    after = workspace.jobs.get_run(second).state
    assert after is not None and after.life_cycle_state == jobs.RunLifeCycleState.RUNNING

    skipping = workspace.jobs.create(
        name="no-queue", tasks=[_notebook("t", mock_duration="10m")], queue=jobs.QueueSettings(enabled=False)
    )
    workspace.jobs.run_now(job_id=skipping.job_id)
    skipped = workspace.jobs.run_now(job_id=skipping.job_id).result()
    assert skipped.state is not None and skipped.state.life_cycle_state == jobs.RunLifeCycleState.SKIPPED
    assert skipped.state.result_state == jobs.RunResultState.MAXIMUM_CONCURRENT_RUNS_REACHED


def test_runs_carry_original_attempt_run_id(workspace: WorkspaceClient, dp: RunningMock) -> None:
    job = workspace.jobs.create(name="attempts", tasks=[_notebook("only")])
    run_id = workspace.jobs.run_now(job_id=job.job_id).run_id
    run = workspace.jobs.get_run(run_id)
    assert run.original_attempt_run_id == run_id
    listed = next(iter(workspace.jobs.list_runs(job_id=job.job_id)))
    assert listed.original_attempt_run_id == run_id
    raw = dp.raw("GET", f"/api/2.2/jobs/runs/get?run_id={run_id}").json()
    assert "original_attempt_number" not in raw


def test_get_output_of_a_one_task_parent_run_is_400(workspace: WorkspaceClient, dp: RunningMock) -> None:
    job = workspace.jobs.create(name="one-task", tasks=[_notebook("only")])
    waiter = workspace.jobs.run_now(job_id=job.job_id)
    dp.advance(60)
    run = waiter.result()
    with pytest.raises(BadRequest, match="multiple tasks"):
        workspace.jobs.get_run_output(run.run_id)
    assert run.tasks is not None and run.tasks[0].run_id is not None
    assert workspace.jobs.get_run_output(run.tasks[0].run_id).metadata is not None
