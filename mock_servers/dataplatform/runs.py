"""Runs: run-now, runs submit, get, list, cancel, get-output, delete; queueing and idempotency tokens.

* ``idempotency_token`` (at most 64 characters) on run-now and runs submit: a repeated token answers the
  existing run's id (HTTP 200, no new run); a token whose run was deleted is an error, as documented. The
  token check and the new run commit in one store transaction, so two concurrent requests with one token
  still make one run.
* Concurrency: a job runs at most ``max_concurrent_runs`` (default 1) runs at once. A run started beyond
  that is ``QUEUED`` when queueing is on (the 2.2 default for jobs created through 2.2, or
  ``queue.enabled`` on the job or the request), and otherwise ``SKIPPED`` at once. Queued runs leave the
  queue in order at the simulated moment a slot frees (computed, not ticked: see :mod:`.lifecycle`).
* Run ids and task-run ids share one counter; ``runs/get-output`` takes a task run id (or the id of a run
  with exactly one task, which the mock resolves to that task).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from api_trainer.mock import Store

from .errors import invalid_parameter, invalid_state
from .jobs import ACCOUNT, USER_NAME, JobsService, as_bool, as_int
from .lifecycle import plan_task, run_end, run_phase
from .runviews import render_output, render_run
from .versions import check_tasks, decode_page_token, encode_page_token, page_arrays, read_settings

__all__ = ["MAX_TOKEN_LENGTH", "RunsService"]

MAX_TOKEN_LENGTH = 64
ACTIVE = frozenset({"QUEUED", "PENDING", "RUNNING", "TERMINATING"})
RUN_ARRAYS = ("tasks", "job_clusters", "job_parameters", "repair_history")
LIST_LIMIT_MAX = 25
LIST_LIMIT_DEFAULT = 20


def _ordered(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks in dependency order (stable otherwise); a cycle is a bad request."""
    by_key = {task["task_key"]: task for task in tasks}
    done: list[dict[str, Any]] = []
    placed: set[str] = set()
    remaining = list(tasks)
    while remaining:
        ready = [t for t in remaining if all(d.get("task_key") in placed for d in t.get("depends_on") or [])]
        if not ready:
            keys = ", ".join(t["task_key"] for t in remaining)
            raise invalid_parameter(f"The task dependencies form a cycle among: {keys}.")
        for task in ready:
            done.append(by_key[task["task_key"]])
            placed.add(task["task_key"])
        remaining = [t for t in remaining if t["task_key"] not in placed]
    return done


class RunsService:
    def __init__(self, store: Store, clock: Callable[[], float], jobs: JobsService) -> None:
        self._store = store
        self._clock = clock
        self._jobs = jobs

    # --- creating runs ----------------------------------------------------------------------------

    def run_now(self, version: str, body: Mapping[str, Any]) -> dict[str, Any]:
        job = self._jobs.load(body.get("job_id"))
        settings = job["settings"]
        parameters = {
            str(p["name"]): str(p.get("default", ""))
            for p in settings.get("parameters") or []
            if isinstance(p, dict) and "name" in p
        }
        for field in ("job_parameters", "notebook_params"):
            supplied = body.get(field) or {}
            if not isinstance(supplied, dict):
                raise invalid_parameter(f"{field} must be an object of name: value strings.")
            parameters.update({str(k): str(v) for k, v in supplied.items()})
        tasks = settings.get("tasks") or []
        only = body.get("only")
        if only:
            tasks = [t for t in tasks if t["task_key"] in set(only)]
        queue = (body.get("queue") or settings.get("queue") or {}).get("enabled", False)
        with self._store.transaction():
            existing = self._by_token(body.get("idempotency_token"))
            if existing is not None:
                return {"run_id": existing["run_id"], "number_in_job": existing["run_id"]}
            run = self._create(
                job_id=job["job_id"],
                run_type="JOB_RUN",
                run_name=str(settings.get("name") or "Untitled"),
                run_format=str(settings.get("format", "MULTI_TASK")),
                tasks=tasks,
                parameters=parameters,
                queue=bool(queue),
                max_concurrent=int(settings.get("max_concurrent_runs") or 1),
                token=body.get("idempotency_token"),
            )
        return {"run_id": run["run_id"], "number_in_job": run["run_id"]}

    def submit(self, version: str, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = {
            k: v for k, v in body.items() if k not in ("idempotency_token", "run_name", "access_control_list")
        }
        settings = read_settings(version, fields)
        check_tasks(settings.get("tasks") or [])
        if not settings.get("tasks"):
            raise invalid_parameter("tasks is required: a one-time run needs at least one task.")
        with self._store.transaction():
            existing = self._by_token(body.get("idempotency_token"))
            if existing is not None:
                return {"run_id": existing["run_id"]}
            run = self._create(
                job_id=None,
                run_type="SUBMIT_RUN",
                run_name=str(body.get("run_name") or "Untitled"),
                run_format=str(settings["format"]),
                tasks=settings["tasks"],
                parameters={},
                queue=False,
                max_concurrent=0,
                token=body.get("idempotency_token"),
            )
        return {"run_id": run["run_id"]}

    def _by_token(self, token: Any) -> dict[str, Any] | None:
        if token is None:
            return None
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise invalid_parameter(
                f"idempotency_token must be a string of at most {MAX_TOKEN_LENGTH} characters"
                f" (got {len(str(token))})."
            )
        record = self._store.get(ACCOUNT, "run-token", f"token-{token}")
        if record is None:
            return None
        if record.get("deleted"):
            raise invalid_parameter(
                f"The run with idempotency_token '{token}' was deleted; use a new idempotency_token."
            )
        return record

    def _create(
        self,
        *,
        job_id: int | None,
        run_type: str,
        run_name: str,
        run_format: str,
        tasks: list[dict[str, Any]],
        parameters: dict[str, str],
        queue: bool,
        max_concurrent: int,
        token: str | None,
    ) -> dict[str, Any]:
        now = self._clock()
        run_id = self._store.next_number("run_id")
        planned = []
        for task in _ordered(tasks):
            duration, failure = plan_task(task, parameters)
            task_run_id = self._store.next_number("run_id")
            planned.append(
                {
                    "task_key": task["task_key"],
                    "run_id": task_run_id,
                    "depends_on": task.get("depends_on") or [],
                    "duration": duration,
                    "fail_reason": failure,
                    "settings": task,
                }
            )
        run: dict[str, Any] = {
            "id": f"run-{run_id}",
            "run_id": run_id,
            "job_id": job_id,
            "run_name": run_name,
            "run_type": run_type,
            "format": run_format,
            "creator_user_name": USER_NAME,
            "created": now,
            "start_at": now,
            "cancel_at": None,
            "tasks": planned,
            "parameters": parameters,
            "idempotency_token": token,
        }
        if job_id is not None and max_concurrent > 0:
            others = self._promote(job_id, now)
            active = sum(1 for other in others if run_phase(other, now).life_cycle_state in ACTIVE)
            if active >= max_concurrent:
                if queue:
                    run["start_at"] = None
                else:
                    run["skipped"] = True
                    run["skip_message"] = (
                        f"Skipping this run because the limit of {max_concurrent} maximum concurrent runs has"
                        " been reached."
                    )
            run["max_concurrent"] = max_concurrent
        self._store.put(ACCOUNT, "run", run)
        for task in planned:
            self._store.put(ACCOUNT, "task-run", {"id": f"task-{task['run_id']}", "parent": run_id})
        if token is not None:
            self._store.put(ACCOUNT, "run-token", {"id": f"token-{token}", "run_id": run_id})
        return run

    def _promote(self, job_id: int, now: float) -> list[dict[str, Any]]:
        """Move queued runs of ``job_id`` out of the queue at the moment a slot freed; return all its runs."""
        runs = sorted(
            (r for r in self._store.all(ACCOUNT, "run") if r.get("job_id") == job_id),
            key=lambda r: r["run_id"],
        )
        for run in runs:
            if run.get("start_at") is not None or run.get("skipped") or run.get("cancel_at") is not None:
                continue
            limit = int(run.get("max_concurrent") or 1)
            started = [r for r in runs if r.get("start_at") is not None and r is not run]
            ends = sorted(end for r in started if (end := run_end(r)) is not None and end > run["created"])
            moment = run["created"] if len(ends) < limit else ends[len(ends) - limit]
            if moment > now:
                break
            run["start_at"] = moment
            self._store.put(ACCOUNT, "run", run)
        return runs

    # --- reading runs -----------------------------------------------------------------------------

    def load(self, run_id: Any) -> dict[str, Any]:
        number = as_int(run_id, "run_id", required=True)
        run = self._store.get(ACCOUNT, "run", f"run-{number}")
        if run is None:
            raise invalid_parameter(f"Run {number} does not exist.")
        if run.get("job_id") is not None and run.get("start_at") is None:
            self._promote(run["job_id"], self._clock())
            run = self._store.get(ACCOUNT, "run", f"run-{number}") or run
        return run

    def get(self, version: str, query: Mapping[str, Any]) -> dict[str, Any]:
        rendered = render_run(version, self.load(query.get("run_id")), self._clock())
        if version == "2.2":
            page = decode_page_token(query.get("page_token"))
            rendered, token = page_arrays(rendered, RUN_ARRAYS, page)
            if token:
                rendered["next_page_token"] = token
        return rendered

    def list(self, version: str, query: Mapping[str, Any]) -> dict[str, Any]:
        now = self._clock()
        limit = as_int(query.get("limit"), "limit")
        limit = LIST_LIMIT_DEFAULT if limit is None else (LIST_LIMIT_MAX if limit == 0 else limit)
        if not 1 <= limit <= LIST_LIMIT_MAX:
            raise invalid_parameter(
                f"limit must be between 1 and {LIST_LIMIT_MAX} (0 means the maximum), got {limit}."
            )
        active_only, completed_only = (
            as_bool(query.get("active_only", False)),
            as_bool(query.get("completed_only", False)),
        )
        if active_only and completed_only:
            raise invalid_parameter("active_only and completed_only cannot both be true.")
        job_id = as_int(query.get("job_id"), "job_id")
        if job_id is not None:
            self._jobs.load(job_id)
            self._promote(job_id, now)
        runs = sorted(
            self._store.all(ACCOUNT, "run"), key=lambda r: (r["created"], r["run_id"]), reverse=True
        )
        if job_id is not None:
            runs = [r for r in runs if r.get("job_id") == job_id]
        if query.get("run_type"):
            runs = [r for r in runs if r["run_type"] == query["run_type"]]
        if active_only or completed_only:
            runs = [r for r in runs if (run_phase(r, now).life_cycle_state in ACTIVE) == active_only]
        offset = as_int(query.get("offset"), "offset") or 0
        if query.get("page_token"):
            offset = decode_page_token(str(query["page_token"]), kind="offset")
        expand = as_bool(query.get("expand_tasks", False))
        chosen = runs[offset : offset + limit]
        body: dict[str, Any] = {"runs": [render_run(version, r, now, with_tasks=expand) for r in chosen]}
        body["has_more"] = offset + limit < len(runs)
        if body["has_more"]:
            body["next_page_token"] = encode_page_token(offset + limit, kind="offset")
        if offset > 0:
            body["prev_page_token"] = encode_page_token(max(0, offset - limit), kind="offset")
        if not body["runs"]:
            del body["runs"]
        return body

    def get_output(self, version: str, query: Mapping[str, Any]) -> dict[str, Any]:
        number = as_int(query.get("run_id"), "run_id", required=True)
        index = self._store.get(ACCOUNT, "task-run", f"task-{number}")
        run = self.load(index["parent"] if index else number)
        if index is None:
            # Jobs 2.1+ answers runs in the multi-task format, where output belongs to task runs: a parent
            # run id is 400 INVALID_PARAMETER_VALUE even with one task (Jobs API 2.1 updates: "runs/get-output
            # must be called with the task run id"; the Databricks JS SDK and REST docs agree). Only a 2.0
            # single-task run answers for its one task.
            single = version == "2.0" and run["format"] == "SINGLE_TASK" and len(run["tasks"]) == 1
            if not single:
                raise invalid_parameter(
                    "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the"
                    " output of each individual task run instead."
                )
            task = run["tasks"][0]
        else:
            task = next(t for t in run["tasks"] if t["run_id"] == number)
        return render_output(version, run, task, self._clock())

    # --- changing runs ----------------------------------------------------------------------------

    def cancel(self, body: Mapping[str, Any]) -> dict[str, Any]:
        run = self.load(body.get("run_id"))
        now = self._clock()
        if run_phase(run, now).life_cycle_state in ACTIVE and run.get("cancel_at") is None:
            run["cancel_at"] = now
            self._store.put(ACCOUNT, "run", run)
        return {}

    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        run = self.load(body.get("run_id"))
        if run_phase(run, self._clock()).life_cycle_state in ACTIVE:
            raise invalid_state(f"Run {run['run_id']} is active and cannot be deleted; cancel it first.")
        with self._store.transaction():
            self._store.delete(ACCOUNT, "run", run["id"])
            for task in run["tasks"]:
                self._store.delete(ACCOUNT, "task-run", f"task-{task['run_id']}")
            token = run.get("idempotency_token")
            if token:
                self._store.put(
                    ACCOUNT, "run-token", {"id": f"token-{token}", "run_id": run["run_id"], "deleted": True}
                )
        return {}
