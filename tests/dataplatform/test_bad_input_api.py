"""Bad input answers 4xx in the Databricks error shape, never a 500 and never a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from api_trainer.mock_servers.dataplatform.warehouses import DEFAULT_WAREHOUSE_ID

if TYPE_CHECKING:
    from conftest import RunningMock

TASKS = [{"task_key": "a", "notebook_task": {"notebook_path": "/a"}}]
CASES: list[tuple[str, str, str, dict[str, Any], int, str, str]] = [
    # (id, method, path, request kwargs, status, error_code, a part of the message)
    (
        "job_id not an integer",
        "GET",
        "/api/2.2/jobs/get",
        {"params": {"job_id": "abc"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "job_id",
    ),
    (
        "wrong field type",
        "POST",
        "/api/2.2/jobs/create",
        {"json": {"name": "x", "max_concurrent_runs": "many", "tasks": TASKS}},
        400,
        "INVALID_PARAMETER_VALUE",
        "max_concurrent_runs",
    ),
    (
        "tasks not a list",
        "POST",
        "/api/2.2/jobs/create",
        {"json": {"name": "x", "tasks": "a"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "tasks",
    ),
    (
        "unknown field",
        "POST",
        "/api/2.2/jobs/create",
        {"json": {"name": "x", "colour": "red", "tasks": TASKS}},
        400,
        "INVALID_PARAMETER_VALUE",
        "colour",
    ),
    (
        "missing job_id",
        "POST",
        "/api/2.2/jobs/run-now",
        {"json": {}},
        400,
        "INVALID_PARAMETER_VALUE",
        "job_id",
    ),
    (
        "missing statement",
        "POST",
        "/api/2.0/sql/statements",
        {"json": {"warehouse_id": DEFAULT_WAREHOUSE_ID}},
        400,
        "INVALID_PARAMETER_VALUE",
        "statement",
    ),
    (
        "duplicate task keys",
        "POST",
        "/api/2.2/jobs/create",
        {"json": {"name": "x", "tasks": TASKS * 2}},
        400,
        "INVALID_PARAMETER_VALUE",
        "more than once",
    ),
    (
        "unknown dependency",
        "POST",
        "/api/2.2/jobs/create",
        {"json": {"name": "x", "tasks": [{**TASKS[0], "depends_on": [{"task_key": "zz"}]}]}},
        400,
        "INVALID_PARAMETER_VALUE",
        "zz",
    ),
    (
        "token over 64 characters",
        "POST",
        "/api/2.2/jobs/runs/submit",
        {"json": {"tasks": TASKS, "idempotency_token": "t" * 65}},
        400,
        "INVALID_PARAMETER_VALUE",
        "64",
    ),
    (
        "wait_timeout too short",
        "POST",
        "/api/2.0/sql/statements",
        {"json": {"statement": "SELECT 1", "warehouse_id": DEFAULT_WAREHOUSE_ID, "wait_timeout": "3s"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "wait_timeout",
    ),
    (
        "wait_timeout not seconds",
        "POST",
        "/api/2.0/sql/statements",
        {"json": {"statement": "SELECT 1", "warehouse_id": DEFAULT_WAREHOUSE_ID, "wait_timeout": "10"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "wait_timeout",
    ),
    (
        "unknown warehouse",
        "POST",
        "/api/2.0/sql/statements",
        {"json": {"statement": "SELECT 1", "warehouse_id": "nope"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "Warehouse nope does not exist",
    ),
    (
        "unknown warehouse get",
        "GET",
        "/api/2.0/sql/warehouses/nope",
        {},
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "nope",
    ),
    (
        "external links",
        "POST",
        "/api/2.0/sql/statements",
        {
            "json": {
                "statement": "SELECT 1",
                "warehouse_id": DEFAULT_WAREHOUSE_ID,
                "disposition": "EXTERNAL_LINKS",
            }
        },
        501,
        "NOT_IMPLEMENTED",
        "EXTERNAL_LINKS",
    ),
    (
        "CSV inline",
        "POST",
        "/api/2.0/sql/statements",
        {"json": {"statement": "SELECT 1", "warehouse_id": DEFAULT_WAREHOUSE_ID, "format": "CSV"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "CSV",
    ),
    (
        "unknown statement",
        "GET",
        "/api/2.0/sql/statements/00000000-0000-4000-8000-000000000000",
        {},
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "not found",
    ),
    (
        "chunk out of range",
        "GET",
        "/api/2.0/sql/statements/00000000-0000-4000-8000-000000000000/result/chunks/x",
        {},
        400,
        "INVALID_PARAMETER_VALUE",
        "chunk_index",
    ),
    (
        "missing run",
        "GET",
        "/api/2.2/jobs/runs/get",
        {"params": {"run_id": 99999}},
        400,
        "INVALID_PARAMETER_VALUE",
        "Run 99999 does not exist.",
    ),
    (
        "runs list limit",
        "GET",
        "/api/2.2/jobs/runs/list",
        {"params": {"limit": 26}},
        400,
        "INVALID_PARAMETER_VALUE",
        "limit",
    ),
    (
        "bad page token",
        "GET",
        "/api/2.2/jobs/list",
        {"params": {"page_token": "garbage"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "page_token",
    ),
    (
        "not JSON",
        "POST",
        "/api/2.2/jobs/create",
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        400,
        "MALFORMED_REQUEST",
        "JSON",
    ),
    ("unknown endpoint", "GET", "/api/2.2/jobs/nothing-here", {}, 404, "ENDPOINT_NOT_FOUND", "nothing-here"),
    (
        "bad fault header",
        "GET",
        "/api/2.2/jobs/list",
        {"headers": {"X-Mock-Fault": "meteor-strike"}},
        400,
        "INVALID_PARAMETER_VALUE",
        "meteor-strike",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code", "fragment"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_input_gets_the_databricks_error_shape(
    dp: RunningMock, method: str, path: str, kwargs: dict[str, Any], status: int, code: str, fragment: str
) -> None:
    response = dp.raw(method, path, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error_code", "message", "details"}
    assert body["error_code"] == code
    assert fragment in body["message"]
    assert "\n" not in body["message"]


def test_auth_is_required_and_must_be_a_pat(dp: RunningMock) -> None:
    import httpx

    missing = httpx.get(dp.base_url + "/api/2.2/jobs/list", timeout=10)
    assert missing.status_code == 401 and missing.json()["error_code"] == "UNAUTHENTICATED"
    wrong = httpx.get(
        dp.base_url + "/api/2.2/jobs/list", headers={"Authorization": "Bearer sk_test_1"}, timeout=10
    )
    assert wrong.status_code == 403 and wrong.json()["error_code"] == "PERMISSION_DENIED"
    metadata = httpx.get(dp.base_url + "/.well-known/databricks-config", timeout=10)
    assert metadata.status_code == 404  # unauthenticated, and at once: the SDK asks while it is constructed


@pytest.mark.parametrize("levels", [40, 5000])
def test_deeply_nested_json_is_a_400_not_a_500(dp: RunningMock, levels: int) -> None:
    body = '{"name": "deep", "tags": ' + '{"a": ' * levels + "1" + "}" * levels + "}"
    response = dp.raw(
        "POST", "/api/2.2/jobs/create", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == "MALFORMED_REQUEST"
    assert "nested deeper than 32 levels" in response.json()["message"]


def test_json_null_in_a_string_field_is_a_400_never_the_string_none(dp: RunningMock) -> None:
    created = dp.raw("POST", "/api/2.2/jobs/create", json={"name": None, "tasks": TASKS})
    assert created.status_code == 400, created.text
    assert created.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "name" in created.json()["message"]
    assert dp.raw("GET", "/api/2.2/jobs/list").json().get("jobs") in (None, [])
