"""Signed webhook deliveries to a local receiver, verified by stripe.Webhook.construct_event."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from .conftest import RunningMock


class Receiver:
    """A local webhook endpoint that answers with scripted statuses and records what it got."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[bytes, str]] = []
        self.arrived = threading.Semaphore(0)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((body, self.headers["Stripe-Signature"]))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.arrived.release()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait(self, count: int) -> None:
        for _ in range(count):
            assert self.arrived.acquire(timeout=15), "no webhook delivery arrived within 15 s"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made: list[Receiver] = []

    def build(statuses: list[int]) -> Receiver:
        r = Receiver(statuses)
        r.thread.start()
        made.append(r)
        return r

    yield build  # type: ignore[misc]
    for r in made:
        r.server.shutdown()
        r.server.server_close()


def test_a_delivery_verifies_with_construct_event(payments: RunningMock, receiver: Any) -> None:
    hook = receiver([])
    client = payments.client()
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": hook.url, "enabled_events": ["customer.created"]}
    )
    assert endpoint.secret.startswith("whsec_")
    customer = client.v1.customers.create(params={"email": "hook@example.com"})
    hook.wait(1)
    payload, signature = hook.received[0]
    assert signature.startswith("t=") and ",v1=" in signature
    event = stripe.Webhook.construct_event(payload, signature, endpoint.secret)
    assert event.type == "customer.created" and event.data.object.id == customer.id
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature, "whsec_wrong")
    assert client.v1.events.retrieve(event.id).type == "customer.created"


def test_a_failed_delivery_is_retried_when_the_mock_clock_moves(payments: RunningMock, receiver: Any) -> None:
    hook = receiver([500])
    client = payments.client()
    endpoint = client.v1.webhook_endpoints.create(params={"url": hook.url, "enabled_events": ["*"]})
    client.v1.customers.create(params={"email": "retry@example.com"})
    hook.wait(1)
    delivery: dict[str, Any] = {}
    for _ in range(500):  # bounded: the mock records the attempt just after the receiver answers
        [delivery] = payments.http.get("/_mock/webhooks").json()["data"]
        if delivery["next_attempt"] is not None:
            break
        threading.Event().wait(0.01)
    assert delivery["next_attempt"] is not None and [a["status"] for a in delivery["attempts"]] == [500]
    payments.http.post("/_mock/clock", json={"advance_seconds": 61})
    hook.wait(1)
    (first, _), (second, signature) = hook.received
    assert first == second
    stripe.Webhook.construct_event(second, signature, endpoint.secret)


def _wait_for_retry(payments: RunningMock) -> dict[str, Any]:
    delivery: dict[str, Any] = {}
    for _ in range(500):  # bounded: the mock records the attempt just after the receiver answers
        [delivery] = payments.http.get("/_mock/webhooks").json()["data"]
        if delivery["next_attempt"] is not None:
            return delivery
        threading.Event().wait(0.01)
    raise AssertionError(f"no retry was scheduled: {delivery}")


def test_a_restart_on_the_same_state_file_delivers_the_pending_retry(
    payments_with: Any, receiver: Any, tmp_path: Any
) -> None:
    hook = receiver([500])
    state = tmp_path / "state.sqlite"
    with payments_with(state=state) as first:
        client = first.client()
        endpoint = client.v1.webhook_endpoints.create(params={"url": hook.url, "enabled_events": ["*"]})
        client.v1.customers.create(params={"email": "restart@example.com"})
        hook.wait(1)
        pending = _wait_for_retry(first)
        assert [a["status"] for a in pending["attempts"]] == [500] and pending["in_progress"] is False
    with payments_with(state=state) as second:
        [resumed] = second.http.get("/_mock/webhooks").json()["data"]
        assert resumed["next_attempt"] == pending["next_attempt"] and resumed["done"] is False
        second.http.post("/_mock/clock", json={"advance_seconds": 61})
        hook.wait(1)
        for _ in range(500):  # bounded: the attempt is recorded just after the receiver answers
            [finished] = second.http.get("/_mock/webhooks").json()["data"]
            if finished["done"]:
                break
            threading.Event().wait(0.01)
    assert [a["status"] for a in finished["attempts"]] == [500, 200]
    assert finished["in_progress"] is False and finished["next_attempt"] is None
    (_, _), (payload, signature) = hook.received
    stripe.Webhook.construct_event(payload, signature, endpoint.secret)


def test_an_endpoint_pinned_to_2020_gets_events_in_that_version(payments: RunningMock, receiver: Any) -> None:
    hook = receiver([])
    client = payments.client()
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": hook.url, "enabled_events": ["payment_intent.created"], "api_version": "2020-08-27"}
    )
    client.v1.payment_intents.create(params={"amount": 1500, "currency": "usd"})
    hook.wait(1)
    payload, signature = hook.received[0]
    event = stripe.Webhook.construct_event(payload, signature, endpoint.secret)
    assert event.api_version == "2020-08-27"
    assert "charges" in event.data.object  # the 2020 shape of a PaymentIntent
