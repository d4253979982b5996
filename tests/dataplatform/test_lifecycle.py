"""The run lifecycle as a pure function of simulated time: the timeline a learner sees when polling."""

from __future__ import annotations

from typing import Any

from api_trainer.mock_servers.dataplatform.lifecycle import (
    DEFAULT_TASK_SECONDS,
    PENDING_SECONDS,
    TERMINATING_SECONDS,
    plan_task,
    run_phase,
)


def _run(
    *tasks: dict[str, Any], start: float | None = 100.0, cancel_at: float | None = None
) -> dict[str, Any]:
    return {"created": 100.0, "start_at": start, "cancel_at": cancel_at, "tasks": list(tasks)}


def _task(
    key: str, duration: float = DEFAULT_TASK_SECONDS, fail: str | None = None, after: str | None = None
) -> dict[str, Any]:
    depends = [{"task_key": after}] if after else []
    return {"task_key": key, "duration": duration, "fail_reason": fail, "depends_on": depends}


def test_a_run_goes_pending_running_terminating_terminated() -> None:
    run = _run(_task("a"), _task("b", after="a"))
    running_from = 100.0 + PENDING_SECONDS
    stop = running_from + 2 * DEFAULT_TASK_SECONDS
    timeline = [
        (100.0, "PENDING", None),
        (running_from + 0.1, "RUNNING", None),
        (stop + TERMINATING_SECONDS / 2, "TERMINATING", "SUCCESS"),
        (stop + TERMINATING_SECONDS, "TERMINATED", "SUCCESS"),
    ]
    for now, life, result in timeline:
        phase = run_phase(run, now)
        assert (phase.life_cycle_state, phase.result_state) == (life, result), now
    middle = run_phase(run, running_from + DEFAULT_TASK_SECONDS + 0.1)
    assert middle.tasks["a"].result_state == "SUCCESS" and middle.tasks["b"].life_cycle_state == "RUNNING"


def test_a_failed_task_fails_the_run_and_skips_its_dependants() -> None:
    run = _run(_task("a", fail="boom"), _task("b", after="a"), _task("c"))
    phase = run_phase(run, 1_000.0)
    assert (phase.life_cycle_state, phase.result_state, phase.error) == ("TERMINATED", "FAILED", "boom")
    assert phase.tasks["b"].result_state == "UPSTREAM_FAILED"
    assert phase.tasks["c"].result_state == "SUCCESS"  # independent of the failed task


def test_cancel_while_running_and_while_queued() -> None:
    running = run_phase(_run(_task("a", duration=60), cancel_at=110.0), 200.0)
    assert (running.life_cycle_state, running.result_state) == ("TERMINATED", "CANCELED")
    assert running.tasks["a"].result_state == "CANCELED"
    assert run_phase(_run(_task("a"), start=None), 500.0).life_cycle_state == "QUEUED"
    queued = run_phase(_run(_task("a"), start=None, cancel_at=120.0), 500.0)
    assert (queued.life_cycle_state, queued.result_state) == ("TERMINATED", "CANCELED")


def test_task_parameters_set_duration_and_failure() -> None:
    task = {
        "task_key": "t",
        "notebook_task": {"notebook_path": "/t", "base_parameters": {"mock_duration": "2m"}},
    }
    assert plan_task(task, {}) == (120.0, None)
    assert plan_task(task, {"mock_fail": "bad input file"}) == (120.0, "bad input file")
    assert plan_task({"task_key": "t"}, {"mock_duration": "500ms"}) == (0.5, None)
