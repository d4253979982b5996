"""The webhook lab with a real receiver on 127.0.0.1: one that verifies signatures passes, a trusting one fails."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import stripe

from .conftest import RunningLab


class _Receiver:
    def __init__(self, verify: bool) -> None:
        self.secret = ""
        self.genuine = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = 200
                try:
                    stripe.Webhook.construct_event(
                        body, self.headers.get("Stripe-Signature", ""), receiver.secret
                    )
                    receiver.genuine.set()
                except (stripe.SignatureVerificationError, ValueError):
                    status = 400 if verify else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def receiver() -> Iterator[Callable[[bool], _Receiver]]:
    started: list[_Receiver] = []

    def start(verify: bool) -> _Receiver:
        r = _Receiver(verify)
        r.thread.start()
        started.append(r)
        return r

    yield start
    for r in started:
        r.server.shutdown()
        r.server.server_close()


def _deliver_one(lab: RunningLab, r: _Receiver) -> None:
    headers = {"Authorization": f"Bearer {lab.key}"}
    with httpx.Client(base_url=lab.base_url, headers=headers, timeout=10) as http:
        endpoint = http.post("/v1/webhook_endpoints", data={"url": r.url, "enabled_events[]": "*"}).json()
        r.secret = endpoint["secret"]
        http.post("/v1/payment_intents", data={"amount": "900", "currency": "usd"}).raise_for_status()
        assert r.genuine.wait(timeout=30), "no signed delivery reached the receiver"
        for _ in range(500):  # bounded: the mock records the attempt right after the receiver answers
            deliveries = http.get("/_mock/webhooks").json()["data"]
            if any(a.get("status") == 200 for d in deliveries for a in d["attempts"]):
                return
            threading.Event().wait(0.01)
    pytest.fail("the mock never recorded the 200 delivery")


def test_verifying_receiver_passes(
    start_lab: Callable[[str], RunningLab], receiver: Callable[[bool], _Receiver]
) -> None:
    lab = start_lab("lab-webhook-signature")
    _deliver_one(lab, receiver(True))
    report = lab.check()
    assert report.passed, report.result.reasons
    assert any("wrong Stripe-Signature: your receiver answered 400" in o for o in report.result.observations)


def test_trusting_receiver_fails(
    start_lab: Callable[[str], RunningLab], receiver: Callable[[bool], _Receiver]
) -> None:
    lab = start_lab("lab-webhook-signature")
    _deliver_one(lab, receiver(False))
    report = lab.check()
    assert not report.passed
    assert any(
        "accepted a forged event with a wrong Stripe-Signature with 200" in r for r in report.result.reasons
    )
    assert any("accepted an event with no Stripe-Signature with 200" in r for r in report.result.reasons)


def test_no_endpoint_fails(start_lab: Callable[[str], RunningLab]) -> None:
    report = start_lab("lab-webhook-signature").check()
    assert not report.passed
    assert report.result.reasons[0].startswith("no webhook endpoint is registered")
