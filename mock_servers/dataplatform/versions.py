"""What differs between Jobs API 2.0, 2.1 and 2.2 (reference B2), in one place.

Jobs are stored once, in the newest (multi-task) shape, with ``format`` ``SINGLE_TASK`` or ``MULTI_TASK``;
each version reads requests into that shape and renders stored jobs out of it:

* **2.0** accepts the old single-task format (task fields such as ``notebook_task``, ``new_cluster``,
  ``libraries`` on the job settings themselves) and the multi-task format; a single-task job reads back in
  the single-task shape (no ``tasks``).
* **2.1** rejects the single-task format in requests and answers every job in the multi-task shape.
* **2.2** is 2.1 plus queueing on by default for jobs it creates and 100-element pages of the long arrays
  (``tasks``, ``job_clusters``, ``parameters``, ``environments``) in ``jobs/get`` and ``runs/get``, with
  ``next_page_token`` to the next slice.

Assumption (the reference is silent): a 2.0 single-task job's one task gets ``task_key`` = the job name
reduced to letters, digits, ``-`` and ``_`` (``"main"`` when that is empty).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from .errors import invalid_parameter

__all__ = [
    "PAGED_ARRAY_LIMIT",
    "SINGLE_TASK_FIELDS",
    "VERSIONS",
    "decode_page_token",
    "encode_page_token",
    "page_arrays",
    "read_settings",
    "reject_single_task",
    "render_settings",
]

VERSIONS = ("2.0", "2.1", "2.2")
PAGED_ARRAY_LIMIT = 100
TASK_TYPES = (
    "notebook_task",
    "spark_jar_task",
    "spark_python_task",
    "spark_submit_task",
    "pipeline_task",
    "python_wheel_task",
    "sql_task",
    "dbt_task",
    "run_job_task",
    "condition_task",
    "for_each_task",
)
# Settings that sit on a 2.0 single-task job and move into the task in the multi-task format.
SINGLE_TASK_FIELDS = (
    *TASK_TYPES,
    "new_cluster",
    "existing_cluster_id",
    "libraries",
    "max_retries",
    "min_retry_interval_millis",
    "retry_on_timeout",
)
_TASK_KEY = re.compile(r"[\w\-]{1,100}")


def read_settings(
    version: str, settings: dict[str, Any], *, created_via: str | None = None
) -> dict[str, Any]:
    """Request settings -> the stored multi-task shape, checked. ``created_via`` is set on create only."""
    settings = dict(settings)
    single = [name for name in SINGLE_TASK_FIELDS if name in settings]
    if single and version != "2.0":
        raise invalid_parameter(
            f"Jobs API {version} requires the multi-task format: move {', '.join(single)} into settings.tasks[] "
            "(the single-task format is only accepted by /api/2.0)."
        )
    if single:
        if settings.get("tasks"):
            raise invalid_parameter(
                f"A job cannot have both tasks and single-task fields ({', '.join(single)})."
            )
        name = re.sub(r"[^\w\-]", "_", str(settings.get("name") or "")).strip("_")[:100] or "main"
        task: dict[str, Any] = {"task_key": name}
        for field in single:
            task[field] = settings.pop(field)
        settings["tasks"] = [task]
        settings["format"] = "SINGLE_TASK"
    else:
        settings["format"] = "MULTI_TASK"
    check_tasks(settings.get("tasks") or [])
    if created_via == "2.2" and "queue" not in settings:
        settings["queue"] = {"enabled": True}
    settings.setdefault("max_concurrent_runs", 1)
    return settings


def check_tasks(tasks: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for index, task in enumerate(tasks):
        key = task.get("task_key")
        if not isinstance(key, str) or not _TASK_KEY.fullmatch(key):
            raise invalid_parameter(
                f"tasks[{index}].task_key is required: 1-100 letters, digits, '-' or '_', got {key!r}."
            )
        if key in seen:
            raise invalid_parameter(f"Task key '{key}' is used more than once.")
        seen.add(key)
        if not any(kind in task for kind in TASK_TYPES):
            raise invalid_parameter(f"Task '{key}' must define one task type, for example notebook_task.")
    for task in tasks:
        for dependency in task.get("depends_on") or []:
            if dependency.get("task_key") not in seen:
                raise invalid_parameter(
                    f"Task '{task['task_key']}' depends on '{dependency.get('task_key')}', which is not a task of this job."
                )


def render_settings(version: str, settings: dict[str, Any]) -> dict[str, Any]:
    rendered = dict(settings)
    if version == "2.0" and settings.get("format") == "SINGLE_TASK" and len(settings.get("tasks") or []) == 1:
        task = dict(settings["tasks"][0])
        task.pop("task_key", None)
        task.pop("depends_on", None)
        del rendered["tasks"]
        rendered.update(task)
    return rendered


def encode_page_token(number: int, kind: str = "page") -> str:
    """An opaque token for page (or list offset) ``number``."""
    return base64.urlsafe_b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


def decode_page_token(token: str | None, kind: str = "page", what: str = "page_token") -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        found, _, number = text.partition(":")
        if found == kind and number.isdigit():
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise invalid_parameter(f"{what} {token!r} is not a token this API returned.")


def page_arrays(
    holder: dict[str, Any], names: tuple[str, ...], page: int
) -> tuple[dict[str, Any], str | None]:
    """2.2 paging: slice each long array of ``holder`` to page ``page``; return the next page's token.

    Every paged array is present (empty when exhausted) once paging is involved, because the SDK's merge
    loop extends each of them unconditionally.
    """
    sliced = dict(holder)
    start, stop = page * PAGED_ARRAY_LIMIT, (page + 1) * PAGED_ARRAY_LIMIT
    more = any(len(holder.get(name) or []) > stop for name in names)
    paging = more or page > 0
    for name in names:
        values = holder.get(name)
        if values is not None or paging:
            sliced[name] = list(values or [])[start:stop]
    return sliced, encode_page_token(page + 1) if more else None


_SETTINGS_OPERATIONS = {
    "JobsCreate": None,
    "RunsSubmit": None,
    "JobsReset": "new_settings",
    "JobsUpdate": "new_settings",
}


def reject_single_task(version: str, operation_id: str | None, params: dict[str, Any]) -> None:
    """2.1 and 2.2 reject the 2.0 single-task format, with a message that says what to change.

    Runs before spec validation, which would otherwise only call ``notebook_task`` an unknown field.
    """
    if version == "2.0" or operation_id not in _SETTINGS_OPERATIONS:
        return
    where = _SETTINGS_OPERATIONS[operation_id]
    settings = params.get(where) if where else params
    if isinstance(settings, dict):
        read_settings(version, {k: v for k, v in settings.items() if k in SINGLE_TASK_FIELDS})
