"""Idempotency as Stripe does it, seen through the SDK and raw HTTP."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
import stripe

from .conftest import KEY, RunningMock


def test_same_key_twice_replays_the_same_object(payments: RunningMock) -> None:
    client = payments.client()
    first = client.v1.customers.create(
        params={"email": "a@example.com"}, options={"idempotency_key": "order-1"}
    )
    second = client.v1.customers.create(
        params={"email": "a@example.com"}, options={"idempotency_key": "order-1"}
    )
    assert second.id == first.id
    h1, h2 = first.last_response.headers, second.last_response.headers
    assert "Idempotent-Replayed" not in h1 and h2["Idempotent-Replayed"] == "true"
    assert h2["Original-Request"] == h1["Request-Id"] != h2["Request-Id"]
    assert len(client.v1.customers.list().data) == 1
    replays = [e["replayed"] for e in payments.journal("/v1/customers") if e["method"] == "POST"]
    assert replays == [False, True]


def test_same_key_other_parameters_is_an_idempotency_error(payments: RunningMock) -> None:
    client = payments.client()
    client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "k-1"})
    with pytest.raises(stripe.IdempotencyError) as caught:
        client.v1.customers.create(params={"email": "b@example.com"}, options={"idempotency_key": "k-1"})
    assert caught.value.http_status == 400 and "k-1" in caught.value.user_message
    other_endpoint = payments.http.post(
        "/v1/payment_intents", data={"amount": "900", "currency": "usd"}, headers={"Idempotency-Key": "k-1"}
    )
    assert other_endpoint.status_code == 400 and other_endpoint.json()["error"]["type"] == "idempotency_error"
    assert "same endpoint" in other_endpoint.json()["error"]["message"]


def test_a_declined_payment_is_stored_and_replayed(payments: RunningMock) -> None:
    params = {
        "amount": "2000",
        "currency": "usd",
        "payment_method": "pm_card_chargeDeclined",
        "confirm": "true",
        "automatic_payment_methods[enabled]": "true",
        "automatic_payment_methods[allow_redirects]": "never",
    }
    first = payments.http.post("/v1/payment_intents", data=params, headers={"Idempotency-Key": "decline-1"})
    again = payments.http.post("/v1/payment_intents", data=params, headers={"Idempotency-Key": "decline-1"})
    assert first.status_code == again.status_code == 402
    assert again.headers["Idempotent-Replayed"] == "true" and again.content == first.content
    assert len(payments.http.get("/v1/charges").json()["data"]) == 1  # the card was tried once


def test_an_injected_500_is_not_stored_so_the_retry_runs(payments: RunningMock) -> None:
    headers = {"Idempotency-Key": "k-500"}
    failed = payments.http.post(
        "/v1/customers", data={"email": "x@y.z"}, headers={**headers, "X-Mock-Fault": "status-500"}
    )
    assert failed.status_code == 500 and failed.headers["Request-Id"].startswith("req_")
    assert "Stripe-Should-Retry" not in failed.headers
    retried = payments.http.post("/v1/customers", data={"email": "x@y.z"}, headers=headers)
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried.headers
    assert len(payments.http.get("/v1/customers").json()["data"]) == 1


def test_auth_and_validation_failures_are_not_stored(payments: RunningMock) -> None:
    headers = {"Idempotency-Key": "k-val"}
    bad = payments.http.post("/v1/customers", data={"colour": "red"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "parameter_unknown"
    unauth = httpx.post(f"{payments.base_url}/v1/customers", data={"email": "a"}, headers=headers)
    assert unauth.status_code == 401
    good = payments.http.post("/v1/customers", data={"email": "a@b.co"}, headers=headers)
    assert good.status_code == 200 and "Idempotent-Replayed" not in good.headers


def test_a_key_in_flight_gives_409(payments: RunningMock) -> None:
    headers = {"Idempotency-Key": "slow-1", "Authorization": f"Bearer {KEY}"}
    results: dict[str, Any] = {}

    def slow() -> None:
        results["first"] = httpx.post(
            f"{payments.base_url}/v1/customers",
            data={"email": "s@example.com"},
            headers={**headers, "X-Mock-Fault": "delay;ms=3000"},
            timeout=30,
        )

    thread = threading.Thread(target=slow)
    thread.start()
    store = payments.mock.runtime.store
    in_flight = threading.Event()
    for _ in range(3000):  # bounded: until the first request holds the key, at most ~30 s
        with store.transaction() as db:
            if db.execute(
                "SELECT 1 FROM idempotency WHERE key = 'slow-1' AND state = 'in_flight'"
            ).fetchone():
                break
        in_flight.wait(0.01)
    conflict = payments.http.post("/v1/customers", data={"email": "s@example.com"}, headers=headers)
    thread.join(timeout=30)
    assert conflict.status_code == 409
    error = conflict.json()["error"]
    assert error["code"] == "idempotency_key_in_use" and error["type"] == "invalid_request_error"
    assert "Stripe-Should-Retry" not in conflict.headers
    assert results["first"].status_code == 200
    after = payments.http.post("/v1/customers", data={"email": "s@example.com"}, headers=headers)
    assert (
        after.headers["Idempotent-Replayed"] == "true" and after.json()["id"] == results["first"].json()["id"]
    )


def test_keys_are_pruned_after_24_hours_on_the_mock_clock(payments: RunningMock) -> None:
    headers = {"Idempotency-Key": "old-key"}
    first = payments.http.post("/v1/customers", data={"email": "a@b.co"}, headers=headers).json()
    assert payments.http.post("/_mock/clock", json={"advance_seconds": 23 * 3600}).status_code == 200
    assert (
        payments.http.post("/v1/customers", data={"email": "a@b.co"}, headers=headers).json()["id"]
        == first["id"]
    )
    payments.http.post("/_mock/clock", json={"advance_seconds": 3600 + 1})
    fresh = payments.http.post("/v1/customers", data={"email": "other@b.co"}, headers=headers)
    assert fresh.status_code == 200 and fresh.json()["id"] != first["id"]


def test_keys_longer_than_255_characters_are_refused(payments: RunningMock) -> None:
    ok = payments.http.post("/v1/customers", data={"email": "a@b.co"}, headers={"Idempotency-Key": "k" * 255})
    long = payments.http.post(
        "/v1/customers", data={"email": "a@b.co"}, headers={"Idempotency-Key": "k" * 256}
    )
    assert ok.status_code == 200 and long.status_code == 400
