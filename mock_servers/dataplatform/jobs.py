"""Jobs: create, get, list, update, reset, delete, in every Jobs API version (shapes in :mod:`.versions`).

Jobs are stored in the engine's SQLite store (so ``--state`` keeps them) as documents of kind ``job``.
A missing job is 400 ``INVALID_PARAMETER_VALUE`` "Job N does not exist.": that is what the real API sends
and what the databricks-sdk turns into ``ResourceDoesNotExist``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from api_trainer.mock import Store

from .errors import invalid_parameter
from .versions import decode_page_token, encode_page_token, page_arrays, read_settings, render_settings

__all__ = ["ACCOUNT", "USER_NAME", "JobsService", "as_bool", "as_int"]

ACCOUNT = "workspace"
USER_NAME = "trainer@example.com"
JOB_ARRAYS = ("tasks", "job_clusters", "parameters", "environments")
LIST_LIMIT_MAX = 100
LIST_LIMIT_DEFAULT = 20
_ARRAY_KEYS = {"tasks": "task_key", "job_clusters": "job_cluster_key"}


def as_int(value: Any, name: str, *, required: bool = False) -> int | None:
    """A query or body field that must be an integer (query strings arrive as text)."""
    if value is None or value == "":
        if required:
            raise invalid_parameter(f"{name} is required.")
        return None
    if isinstance(value, bool):
        raise invalid_parameter(f"{name} must be an integer, got {value!r}.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_parameter(f"{name} must be an integer, got {value!r}.") from None


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).lower() == "true"


class JobsService:
    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self._store = store
        self._clock = clock

    # --- storage ----------------------------------------------------------------------------------

    def load(self, job_id: Any) -> dict[str, Any]:
        number = as_int(job_id, "job_id", required=True)
        job = self._store.get(ACCOUNT, "job", f"job-{number}")
        if job is None:
            raise invalid_parameter(f"Job {number} does not exist.")
        return job

    def all_jobs(self) -> list[dict[str, Any]]:
        """Newest first: the SDK documents ``offset`` as "relative to the most recently created job"."""
        return sorted(self._store.all(ACCOUNT, "job"), key=lambda job: job["job_id"], reverse=True)

    # --- operations -------------------------------------------------------------------------------

    def create(self, version: str, body: Mapping[str, Any]) -> dict[str, Any]:
        settings = {key: value for key, value in body.items() if key not in ("access_control_list",)}
        if not settings.get("name"):
            settings["name"] = "Untitled"
        stored = read_settings(version, settings, created_via=version)
        job_id = self._store.next_number("job_id")
        job = {
            "id": f"job-{job_id}",
            "job_id": job_id,
            "creator_user_name": USER_NAME,
            "run_as_user_name": USER_NAME,
            "created_time": int(self._clock() * 1000),
            "created_via": version,
            "settings": stored,
        }
        self._store.put(ACCOUNT, "job", job)
        return {"job_id": job_id}

    def get(self, version: str, query: Mapping[str, Any]) -> dict[str, Any]:
        job = self.load(query.get("job_id"))
        rendered = self.render(version, job)
        if version == "2.2":
            page = decode_page_token(query.get("page_token"))
            rendered["settings"], token = page_arrays(rendered["settings"], JOB_ARRAYS, page)
            if token:
                rendered["next_page_token"] = token
        return rendered

    def list(self, version: str, query: Mapping[str, Any]) -> dict[str, Any]:
        limit = as_int(query.get("limit"), "limit")
        limit = LIST_LIMIT_DEFAULT if limit is None else limit
        if not 1 <= limit <= LIST_LIMIT_MAX:
            raise invalid_parameter(f"limit must be between 1 and {LIST_LIMIT_MAX}, got {limit}.")
        offset = as_int(query.get("offset"), "offset") or 0
        if query.get("page_token"):
            offset = decode_page_token(str(query["page_token"]), kind="offset")
        jobs = self.all_jobs()
        name = query.get("name")
        if name:
            jobs = [job for job in jobs if str(job["settings"].get("name", "")).lower() == str(name).lower()]
        expand = as_bool(query.get("expand_tasks", False))
        chosen = jobs[offset : offset + limit]
        body: dict[str, Any] = {"jobs": [self._summary(version, job, expand) for job in chosen]}
        body["has_more"] = offset + limit < len(jobs)
        if body["has_more"]:
            body["next_page_token"] = encode_page_token(offset + limit, kind="offset")
        if offset > 0:
            body["prev_page_token"] = encode_page_token(max(0, offset - limit), kind="offset")
        if not body["jobs"]:
            del body["jobs"]  # the real API omits empty arrays
        return body

    def update(self, version: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Partial update: top-level fields are replaced; ``tasks`` and ``job_clusters`` merge by key."""
        job = self.load(body.get("job_id"))
        current = render_settings(version, job["settings"])
        current.pop("format", None)
        for field, value in (body.get("new_settings") or {}).items():
            key_name = _ARRAY_KEYS.get(field)
            if key_name and isinstance(value, list) and isinstance(current.get(field), list):
                replaced = {item.get(key_name): item for item in value if isinstance(item, dict)}
                kept = [item for item in current[field] if item.get(key_name) not in replaced]
                current[field] = kept + list(replaced.values())
            else:
                current[field] = value
        for field in body.get("fields_to_remove") or []:
            current.pop(str(field), None)
        job["settings"] = read_settings(version, current)
        self._store.put(ACCOUNT, "job", job)
        return {}

    def reset(self, version: str, body: Mapping[str, Any]) -> dict[str, Any]:
        job = self.load(body.get("job_id"))
        new_settings = body.get("new_settings")
        if not isinstance(new_settings, dict):
            raise invalid_parameter("new_settings is required.")
        job["settings"] = read_settings(version, new_settings)
        self._store.put(ACCOUNT, "job", job)
        return {}

    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        job = self.load(body.get("job_id"))
        self._store.delete(ACCOUNT, "job", job["id"])
        return {}

    # --- rendering --------------------------------------------------------------------------------

    @staticmethod
    def render(version: str, job: dict[str, Any]) -> dict[str, Any]:
        return {
            "job_id": job["job_id"],
            "creator_user_name": job["creator_user_name"],
            "run_as_user_name": job["run_as_user_name"],
            "created_time": job["created_time"],
            "settings": render_settings(version, job["settings"]),
        }

    def _summary(self, version: str, job: dict[str, Any], expand: bool) -> dict[str, Any]:
        rendered = self.render(version, job)
        settings = rendered["settings"]
        if not expand:
            for name in ("tasks", "job_clusters"):
                settings.pop(name, None)
        elif version == "2.2":
            sliced, token = page_arrays(settings, JOB_ARRAYS, 0)
            if token:
                rendered["settings"] = sliced
                rendered["has_more"] = True
        return rendered
