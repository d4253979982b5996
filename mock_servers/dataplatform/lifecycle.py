"""The run lifecycle as a pure function of the simulated clock.

A stored run holds only facts (when it was created, when it left the queue, when it was cancelled, its
tasks with their durations and planned failures); :func:`run_phase` computes what a client sees at time
``now``. Nothing ticks in the background, so ``--time-scale`` and ``POST /_mock/clock`` move every run at
once and a restart from a ``--state`` file continues where the clock is.

Timeline of a run that starts at ``start``::

    QUEUED ──(slot frees)──► PENDING (PENDING_SECONDS) ──► RUNNING (tasks one after another,
    in dependency order) ──► TERMINATING (TERMINATING_SECONDS) ──► TERMINATED + result_state

Documented mock behaviour:

* A task runs for :data:`DEFAULT_TASK_SECONDS` simulated seconds unless a parameter ``mock_duration``
  (``"10"``, ``"10s"``, ``"500ms"``, ``"2m"``, ``"1h"``) says otherwise.
* A task with a parameter ``mock_fail`` (its value is the reason) ends ``FAILED`` with that reason as the
  run's error; tasks that depend on it end ``UPSTREAM_FAILED`` without running, and the run ``FAILED``.
* Parameters are read from the task's own ``notebook_task.base_parameters``,
  ``python_wheel_task.named_parameters``, ``sql_task.parameters`` or ``run_job_task.job_parameters``, and
  from the run's parameters (job parameter defaults, ``job_parameters`` or ``notebook_params`` of run-now),
  which apply to every task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_TASK_SECONDS",
    "PENDING_SECONDS",
    "TERMINATING_SECONDS",
    "RunPhase",
    "TaskPhase",
    "parse_duration",
    "plan_task",
    "run_end",
    "run_phase",
]

DEFAULT_TASK_SECONDS = 3.0
PENDING_SECONDS = 1.0
TERMINATING_SECONDS = 0.5
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h)?")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_PARAMETER_HOMES = (
    ("notebook_task", "base_parameters"),
    ("python_wheel_task", "named_parameters"),
    ("sql_task", "parameters"),
    ("run_job_task", "job_parameters"),
)


def parse_duration(text: str) -> float | None:
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def plan_task(task: dict[str, Any], run_parameters: dict[str, str]) -> tuple[float, str | None]:
    """(simulated duration in seconds, failure reason or None) for one task of a run."""
    parameters = dict(run_parameters)
    for home, key in _PARAMETER_HOMES:
        found = (task.get(home) or {}).get(key)
        if isinstance(found, dict):
            parameters.update({str(k): str(v) for k, v in found.items()})
    duration = DEFAULT_TASK_SECONDS
    if "mock_duration" in parameters:
        parsed = parse_duration(parameters["mock_duration"])
        duration = parsed if parsed is not None else duration
    reason = parameters.get("mock_fail")
    return duration, (reason or "mock_fail was set") if reason is not None else None


@dataclass(frozen=True)
class TaskPhase:
    life_cycle_state: str
    result_state: str | None
    start: float | None
    end: float | None
    message: str


@dataclass(frozen=True)
class RunPhase:
    life_cycle_state: str
    result_state: str | None
    message: str
    start: float | None  # left the queue (None while QUEUED)
    running_from: float | None
    running_until: float | None
    end: float | None  # TERMINATED from here on
    tasks: dict[str, TaskPhase]
    error: str | None  # the reason of the first failed task


def _task_windows(run: dict[str, Any]) -> dict[str, tuple[float, float, str | None, bool]]:
    """task_key -> (start offset, end offset, failure, skipped) relative to the RUNNING phase."""
    windows: dict[str, tuple[float, float, str | None, bool]] = {}
    failed: set[str] = set()
    cursor = 0.0
    for task in run["tasks"]:
        upstream = [d.get("task_key") for d in task.get("depends_on") or []]
        if any(key in failed for key in upstream):
            failed.add(task["task_key"])
            windows[task["task_key"]] = (cursor, cursor, None, True)
            continue
        windows[task["task_key"]] = (cursor, cursor + task["duration"], task.get("fail_reason"), False)
        if task.get("fail_reason") is not None:
            failed.add(task["task_key"])
        cursor += task["duration"]
    return windows


def run_end(run: dict[str, Any]) -> float | None:
    """When the run reaches TERMINATED, or None while it is still queued."""
    return run_phase(run, float("inf")).end


def run_phase(run: dict[str, Any], now: float) -> RunPhase:
    start: float | None = run.get("start_at")
    cancel_at: float | None = run.get("cancel_at")
    if run.get("skipped"):
        message = run.get("skip_message", "Skipped.")
        return RunPhase("SKIPPED", None, message, None, None, None, run["created"], {}, None)
    if start is None:
        if cancel_at is not None and cancel_at <= now:
            gone = {t["task_key"]: TaskPhase("TERMINATED", "CANCELED", None, None, "") for t in run["tasks"]}
            return RunPhase(
                "TERMINATED",
                "CANCELED",
                "Run cancelled while queued.",
                None,
                None,
                None,
                cancel_at,
                gone,
                None,
            )
        return RunPhase(
            "QUEUED", None, "Waiting for a free slot (max_concurrent_runs).", None, None, None, None, {}, None
        )
    windows = _task_windows(run)
    running_from = start + PENDING_SECONDS
    running_until = running_from + max((end for _, end, _, _ in windows.values()), default=0.0)
    cancelled = cancel_at is not None and cancel_at < running_until
    stop = min(cancel_at, running_until) if cancelled and cancel_at is not None else running_until
    stop = max(stop, start)
    end = stop + TERMINATING_SECONDS
    tasks: dict[str, TaskPhase] = {}
    error: str | None = None
    for key, (offset, finish, failure, skipped) in windows.items():
        t_start, t_end = running_from + offset, running_from + finish
        if skipped:
            tasks[key] = TaskPhase("SKIPPED", "UPSTREAM_FAILED", None, None, "An upstream task failed.")
        elif cancelled and t_end > stop:
            if now >= stop:
                began = t_start if t_start < stop else None
                tasks[key] = TaskPhase("TERMINATED", "CANCELED", began, stop, "Run cancelled.")
            else:
                tasks[key] = _live_task(now, t_start, t_end)
        elif now >= t_end:
            result = "FAILED" if failure is not None else "SUCCESS"
            tasks[key] = TaskPhase("TERMINATED", result, t_start, t_end, failure or "")
            if failure is not None and error is None:
                error = failure
        else:
            tasks[key] = _live_task(now, t_start, t_end)
    if now < running_from and not (cancelled and now >= stop):
        return RunPhase("PENDING", None, "Waiting for cluster.", start, None, None, None, tasks, None)
    if now < stop:
        return RunPhase("RUNNING", None, "", start, running_from, None, None, tasks, None)
    result = "CANCELED" if cancelled else ("FAILED" if error is not None else "SUCCESS")
    message = {"CANCELED": "Run cancelled.", "FAILED": error or "", "SUCCESS": ""}[result]
    life = "TERMINATING" if now < end else "TERMINATED"
    return RunPhase(life, result, message, start, running_from, stop, end, tasks, error)


def _live_task(now: float, t_start: float, t_end: float) -> TaskPhase:
    if now < t_start:
        return TaskPhase("PENDING", None, None, None, "Waiting for upstream tasks.")
    return TaskPhase("RUNNING", None, t_start, None, "")
