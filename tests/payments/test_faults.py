"""Fault injection: the drop lesson, retries by the SDK, the retry storm, the three ways to ask."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe

from .conftest import KEY, RunningMock

PI = {"amount": "2000", "currency": "usd"}


def test_drop_after_commit_with_the_sdk_key_makes_exactly_one_payment(payments: RunningMock) -> None:
    payments.add_fault(
        {"match": {"method": "POST", "path": "/v1/payment_intents"}, "fault": "drop-after-commit", "times": 1}
    )
    intent = payments.client(retries=2).v1.payment_intents.create(params={"amount": 2000, "currency": "usd"})
    listed = payments.client().v1.payment_intents.list().data
    assert [i.id for i in listed] == [intent.id]
    posts = [e for e in payments.journal("/v1/payment_intents") if e["method"] == "POST"]
    assert [(e["status"], e["fault"], e["replayed"]) for e in posts] == [
        (None, "drop-after-commit", False),
        (200, None, True),
    ]
    assert posts[0]["idempotency_key"] == posts[1]["idempotency_key"] is not None


def test_drop_after_commit_and_a_retry_without_a_key_makes_two_payments(payments: RunningMock) -> None:
    payments.add_fault(
        {"match": {"method": "POST", "path": "/v1/payment_intents"}, "fault": "drop-after-commit", "times": 1}
    )
    with pytest.raises(httpx.TransportError):
        payments.http.post("/v1/payment_intents", data=PI)
    retry = payments.http.post("/v1/payment_intents", data=PI)
    assert retry.status_code == 200
    assert len(payments.http.get("/v1/payment_intents").json()["data"]) == 2  # charged twice: the lesson


def test_stripe_python_sees_a_connection_error(payments: RunningMock) -> None:
    payments.add_fault({"match": {"method": "POST", "path": "/v1/customers"}, "fault": "drop-before-commit"})
    with pytest.raises(stripe.APIConnectionError):
        payments.client(retries=0).v1.customers.create(params={"email": "a@b.co"})
    assert payments.http.get("/v1/customers").status_code == 200
    assert payments.journal("/v1/customers")[0]["status"] is None


def test_lock_timeout_is_retried_rate_limit_is_not(payments: RunningMock) -> None:
    payments.add_fault(
        {"match": {"method": "POST", "path": "/v1/customers"}, "fault": "lock-timeout", "times": 1}
    )
    customer = payments.client().v1.customers.create(params={"email": "a@b.co"})
    statuses = [e["status"] for e in payments.journal("/v1/customers")]
    assert statuses == [429, 200] and customer.id.startswith("cus_")
    payments.http.delete("/_mock/requests")
    payments.add_fault(
        {"match": {"path": "/v1/customers/*"}, "fault": "rate-limit", "params": {"retry_after": 2}}
    )
    with pytest.raises(stripe.RateLimitError) as caught:
        payments.client().v1.customers.retrieve(customer.id)
    assert caught.value.error is not None and caught.value.error.code == "rate_limit"
    assert [e["status"] for e in payments.journal()] == [429]  # not retried


def test_header_fault_wins_over_rules_and_rules_are_listed(payments: RunningMock) -> None:
    rule = payments.add_fault({"match": {"path": "/v1/**"}, "fault": "status-503", "probability": 1.0})
    assert payments.http.get("/_mock/faults").json()["data"][0]["id"] == rule["id"]
    assert payments.http.get("/v1/customers").status_code == 503
    header = payments.http.get("/v1/customers", headers={"X-Mock-Fault": "status-500"})
    assert header.status_code == 500 and header.json()["error"]["type"] == "api_error"
    assert payments.http.delete(f"/_mock/faults/{rule['id']}").status_code == 200
    assert payments.http.get("/v1/customers").status_code == 200
    assert [e["fault"] for e in payments.journal()] == ["status-503", "status-500", None]


def test_faults_file_at_startup(payments_with: Any, tmp_path: Path) -> None:
    rules = tmp_path / "faults.yaml"
    rules.write_text("- match: {method: GET, path: /v1/customers}\n  fault: status-500\n  times: 1\n")
    with payments_with(faults_file=rules) as mock:
        assert mock.http.get("/v1/customers").status_code == 500
        assert mock.http.get("/v1/customers").status_code == 200


def test_retry_storm_over_ten_keys_ends_with_ten_objects(payments: RunningMock) -> None:
    """200 logical requests, 20 at a time, 30% dropped after commit, retried with their key until answered."""
    payments.add_fault(
        {
            "match": {"method": "POST", "path": "/v1/customers"},
            "fault": "drop-after-commit",
            "probability": 0.3,
        }
    )
    keys = [f"storm-{n}" for n in range(10)]

    http = payments.http  # one pooled client shared by the 20 threads, as an app server would

    def one(n: int) -> tuple[str, str, int]:
        key = keys[n % 10]
        for attempt in range(1, 31):  # bounded; 0.3**30 makes running out effectively impossible
            try:
                response = http.post(
                    "/v1/customers", data={"email": f"{key}@example.com"}, headers={"Idempotency-Key": key}
                )
            except httpx.TransportError:
                continue
            if response.status_code == 409:  # the same key still in flight on another thread
                continue
            assert response.status_code == 200, response.text
            return key, response.json()["id"], attempt
        raise AssertionError(f"{key}: no answer after 30 attempts")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(200)))
    assert payments.mock.runtime.store.count(KEY, "customer") == 10
    by_key: dict[str, set[str]] = {}
    for key, customer_id, _ in results:
        by_key.setdefault(key, set()).add(customer_id)
    assert all(len(ids) == 1 for ids in by_key.values()) and len(by_key) == 10
    journal = payments.journal("/v1/customers")
    assert sum(e["status"] is None for e in journal) > 0  # drops really happened
    assert len(journal) <= 200 * 30


def test_bad_fault_rules_get_a_stripe_shaped_400_naming_the_field(payments: RunningMock) -> None:
    for rule, field in [
        ({"fault": "meteor"}, "fault"),
        ({"fault": "delay", "match": {"path": "no-slash"}}, "match.path"),
        ({"fault": "delay", "probability": 2}, "probability"),
        ({"fault": "delay", "params": {"seconds": 3}}, "params.seconds"),
    ]:
        response = payments.http.post("/_mock/faults", json=rule)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error" and error["param"] == field
    bad_header = payments.http.get("/v1/customers", headers={"X-Mock-Fault": "meteor"})
    assert bad_header.status_code == 400 and bad_header.json()["error"]["param"] == "X-Mock-Fault"
    assert json.loads(payments.http.get("/_mock/faults").content) == {"data": []}


def test_reset_wipes_everything(payments: RunningMock) -> None:
    payments.client().v1.customers.create(params={"email": "a@b.co"})
    payments.add_fault({"fault": "delay", "params": {"ms": 1}})
    assert payments.http.post("/_mock/reset").status_code == 200
    assert payments.http.get("/v1/customers").json()["data"] == []
    assert payments.http.get("/_mock/faults").json()["data"] == []
    assert [e["method"] for e in payments.journal()] == ["GET"]


def test_rate_limit_answers_429_before_the_idempotency_layer(payments_with: Any) -> None:
    with payments_with(rate_limit=0.001) as mock:  # a bucket of one request that does not refill in the test
        first = mock.http.post("/v1/customers", data={"email": "a@b.co"}, headers={"Idempotency-Key": "rl-1"})
        limited = mock.http.post(
            "/v1/customers", data={"email": "a@b.co"}, headers={"Idempotency-Key": "rl-2"}
        )
        assert first.status_code == 200
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limit"
        with mock.mock.runtime.store.transaction() as db:
            keys = [row[0] for row in db.execute("SELECT key FROM idempotency")]
        assert keys == ["rl-1"]  # the rate-limited request left nothing under its key
        assert [e["status"] for e in mock.journal()] == [200, 429]
