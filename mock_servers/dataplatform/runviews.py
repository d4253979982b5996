"""Rendering stored runs as the Jobs API shows them at a moment of the simulated clock.

Both the classic ``state`` object (``life_cycle_state``, ``result_state``, ``state_message``) and the newer
``status`` object (``state``, ``termination_details``, ``queue_details``) are filled from one
:class:`~.lifecycle.RunPhase`, so they can never disagree. ``result_state`` appears once the run is
``TERMINATED`` (or ``SKIPPED``).
"""

from __future__ import annotations

from typing import Any

from .lifecycle import RunPhase, TaskPhase, run_phase
from .versions import TASK_TYPES

__all__ = ["render_output", "render_run", "render_task_run"]

_CLUSTER_FIELDS = ("existing_cluster_id", "new_cluster", "job_cluster_key", "libraries")
_TERMINATION = {
    "SUCCESS": ("SUCCESS", "SUCCESS", "Run completed successfully."),
    "FAILED": ("RUN_EXECUTION_ERROR", "CLIENT_ERROR", "Task failed."),
    "CANCELED": ("USER_CANCELED", "SUCCESS", "Run was cancelled by the user."),
    "MAXIMUM_CONCURRENT_RUNS_REACHED": ("SKIPPED", "CLIENT_ERROR", "Skipped: max_concurrent_runs reached."),
    "UPSTREAM_FAILED": ("SKIPPED", "CLIENT_ERROR", "An upstream task failed."),
}


def _ms(seconds: float | None) -> int:
    return 0 if seconds is None else int(seconds * 1000)


def _state(life: str, result: str | None, message: str, cancelled: bool) -> dict[str, Any]:
    state: dict[str, Any] = {
        "life_cycle_state": life,
        "state_message": message,
        "user_cancelled_or_timedout": cancelled,
    }
    if result is not None and life in ("TERMINATED", "SKIPPED"):
        state["result_state"] = result
    return state


def _status(life: str, result: str | None, message: str) -> dict[str, Any]:
    status: dict[str, Any] = {"state": "TERMINATED" if life == "SKIPPED" else life}
    if life == "QUEUED":
        status["queue_details"] = {"code": "ACTIVE_RUNS_LIMIT_REACHED", "message": message}
    if life in ("TERMINATED", "SKIPPED") and result is not None:
        code, kind, default = _TERMINATION.get(result, ("SUCCESS", "SUCCESS", ""))
        status["termination_details"] = {"code": code, "type": kind, "message": message or default}
    return status


def _durations(
    start: float | None, running_from: float | None, stop: float | None, end: float | None, now: float
) -> dict[str, int]:
    if start is None:
        return {"setup_duration": 0, "execution_duration": 0, "cleanup_duration": 0}
    setup = min(now, running_from if running_from is not None else now) - start
    execution = 0.0 if running_from is None else min(now, stop if stop is not None else now) - running_from
    cleanup = 0.0 if stop is None or end is None else min(now, end) - stop
    return {
        "setup_duration": _ms(max(setup, 0.0)),
        "execution_duration": _ms(max(execution, 0.0)),
        "cleanup_duration": _ms(max(cleanup, 0.0)),
    }


def render_task_run(
    run: dict[str, Any], task: dict[str, Any], phase: TaskPhase, cancelled: bool
) -> dict[str, Any]:
    settings = task["settings"]
    rendered: dict[str, Any] = {
        "run_id": task["run_id"],
        "task_key": task["task_key"],
        "attempt_number": 0,
        "state": _state(phase.life_cycle_state, phase.result_state, phase.message, cancelled),
        "status": _status(phase.life_cycle_state, phase.result_state, phase.message),
        "start_time": _ms(phase.start),
        "end_time": _ms(phase.end),
        "run_page_url": f"/#job/{run.get('job_id') or 0}/run/{task['run_id']}",
    }
    if phase.start is not None:
        rendered["execution_duration"] = _ms((phase.end or phase.start) - phase.start)
        rendered["setup_duration"] = 0
        rendered["cleanup_duration"] = 0
    for field in (*TASK_TYPES, *_CLUSTER_FIELDS, "depends_on", "description", "timeout_seconds"):
        if field in settings:
            rendered[field] = settings[field]
    return rendered


def render_run(version: str, run: dict[str, Any], now: float, *, with_tasks: bool = True) -> dict[str, Any]:
    phase: RunPhase = run_phase(run, now)
    cancelled = run.get("cancel_at") is not None and phase.result_state == "CANCELED"
    life = phase.life_cycle_state
    result = "MAXIMUM_CONCURRENT_RUNS_REACHED" if life == "SKIPPED" else phase.result_state
    rendered: dict[str, Any] = {
        "run_id": run["run_id"],
        "number_in_job": run["run_id"],
        # databricks-sdk service/jobs.py Run.original_attempt_run_id: "the run_id of the original attempt;
        # otherwise, it is the same as the run_id" (the API field; there is no original_attempt_number).
        "original_attempt_run_id": run["run_id"],
        "creator_user_name": run["creator_user_name"],
        "run_name": run["run_name"],
        "run_type": run["run_type"],
        "format": run["format"],
        "trigger": "ONE_TIME",
        "state": _state(life, result, phase.message, cancelled),
        "status": _status(life, result, phase.message),
        "start_time": _ms(run["created"]),
        "end_time": _ms(phase.end) if phase.end is not None and now >= phase.end else 0,
        "run_page_url": f"/#job/{run.get('job_id') or 0}/run/{run['run_id']}",
        "job_parameters": [
            {"name": name, "value": value} for name, value in sorted(run.get("parameters", {}).items())
        ],
    }
    if run.get("job_id") is not None:
        rendered["job_id"] = run["job_id"]
    if run.get("idempotency_token"):
        rendered["idempotency_token"] = run["idempotency_token"]
    queue_end = phase.start if phase.start is not None else (phase.end or now)
    rendered["queue_duration"] = _ms(max(0.0, min(now, queue_end) - run["created"]))
    rendered.update(_durations(phase.start, phase.running_from, phase.running_until, phase.end, now))
    if phase.start is not None:
        rendered["run_duration"] = _ms(min(now, phase.end or now) - phase.start)
    tasks = [
        render_task_run(run, task, phase.tasks[task["task_key"]], cancelled)
        for task in run["tasks"]
        if task["task_key"] in phase.tasks
    ] or [render_task_run(run, task, _waiting(life), cancelled) for task in run["tasks"]]
    if version == "2.0" and run["format"] == "SINGLE_TASK" and len(run["tasks"]) == 1:
        settings = run["tasks"][0]["settings"]
        rendered["task"] = {k: v for k, v in settings.items() if k in TASK_TYPES}
        rendered["cluster_spec"] = {k: v for k, v in settings.items() if k in _CLUSTER_FIELDS}
    elif with_tasks:
        rendered["tasks"] = tasks
    return rendered


def _waiting(life: str) -> TaskPhase:
    if life == "SKIPPED":
        return TaskPhase("SKIPPED", None, None, None, "Skipped.")
    if life == "TERMINATED":
        return TaskPhase("TERMINATED", "CANCELED", None, None, "Run cancelled.")
    return TaskPhase("QUEUED" if life == "QUEUED" else "PENDING", None, None, None, "")


def render_output(version: str, run: dict[str, Any], task: dict[str, Any], now: float) -> dict[str, Any]:
    """``runs/get-output`` for one task run: its metadata, and its output or error once finished."""
    phase = run_phase(run, now).tasks.get(task["task_key"]) or _waiting(run_phase(run, now).life_cycle_state)
    metadata = render_run(version, run, now, with_tasks=False)
    metadata.update(render_task_run(run, task, phase, False))
    body: dict[str, Any] = {"metadata": metadata}
    if phase.result_state == "FAILED":
        reason = task.get("fail_reason") or "Task failed."
        body["error"] = reason
        body["error_trace"] = f"MockTaskFailure: {reason}\n    at task '{task['task_key']}' (mock_fail)"
    elif phase.result_state == "SUCCESS" and "notebook_task" in task["settings"]:
        body["notebook_output"] = {
            "result": f"{task['task_key']} finished after {task['duration']:g} simulated seconds",
            "truncated": False,
        }
    elif phase.result_state == "SUCCESS":
        body["logs"] = f"{task['task_key']} finished after {task['duration']:g} simulated seconds\n"
        body["logs_truncated"] = False
    return body
