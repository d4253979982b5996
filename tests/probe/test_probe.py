"""The probe against a real payments mock, and its retry policy on its own."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock

from api_trainer.mock import BackgroundServer
from api_trainer.probe import ProbeRequest, StripePolicy, policy_for, run_probe

KEY = "sk_test_probe_0001"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    mock = PaymentsMock(PaymentsConfig())
    with BackgroundServer(mock.app).running() as server:
        yield server.base_url


@pytest.fixture
def sleeps() -> list[float]:
    return []


def probe(base_url: str, sleeps: list[float], path: str, **kwargs: Any) -> Any:
    method = kwargs.pop("method", "POST")
    request = ProbeRequest(method=method, url=base_url + path, key=KEY, **kwargs)
    return run_probe(request, policy_for("payments"), sleep=sleeps.append)


def test_drop_after_commit_then_replay_with_the_same_key(base_url: str, sleeps: list[float]) -> None:
    result = probe(
        base_url,
        sleeps,
        "/v1/customers",
        data=(("email", "a@b.co"),),
        idempotency_key="probe-1",
        fault="drop-after-commit",
    )
    first, second = result.attempts
    assert first.status is None and first.retry and first.reason == "connection error: retried"
    assert first.fault == "drop-after-commit" and second.fault is None
    assert second.status == 200 and second.replayed and second.idempotency_key == "probe-1"
    assert result.ok and result.body["object"] == "customer"
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 0.5


def test_5xx_is_retried_429_is_not_400_stops(base_url: str, sleeps: list[float]) -> None:
    retried = probe(base_url, sleeps, "/v1/customers", fault="status-503")
    assert [a.status for a in retried.attempts] == [503, 200]
    limited = probe(base_url, sleeps, "/v1/customers", fault="rate-limit")
    assert [a.status for a in limited.attempts] == [429] and not limited.ok
    assert "not retried" in limited.final.reason
    locked = probe(base_url, sleeps, "/v1/customers", fault="lock-timeout")
    assert [a.status for a in locked.attempts] == [429, 200]
    assert locked.attempts[0].reason == "Stripe-Should-Retry: true"
    bad = probe(base_url, sleeps, "/v1/customers", data=(("colour", "red"),))
    assert [a.status for a in bad.attempts] == [400] and bad.body["error"]["code"] == "parameter_unknown"


def test_retries_run_out(sleeps: list[float]) -> None:
    def always_500(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": {"type": "api_error"}}, headers={"Request-Id": "req_x"})

    request = ProbeRequest(
        "POST", "http://mock.invalid/v1/customers", key=KEY, idempotency_key="k", retries=3
    )
    result = run_probe(
        request, StripePolicy(), transport=httpx.MockTransport(always_500), sleep=sleeps.append
    )
    assert [a.retry for a in result.attempts] == [True, True, True, False]
    assert result.final.reason.endswith("no retries left (3)")
    assert len(sleeps) == 3 and all(0.5 <= s <= 2.0 for s in sleeps)


@pytest.mark.parametrize(
    ("status", "headers", "retry"),
    [
        (500, {"Stripe-Should-Retry": "false"}, False),
        (400, {"Stripe-Should-Retry": "true"}, True),
        (409, {}, True),
        (502, {}, True),
        (429, {}, False),
        (402, {}, False),
        (200, {}, False),
    ],
)
def test_stripe_policy_table(status: int, headers: dict[str, str], retry: bool) -> None:
    response = httpx.Response(status, headers=headers)
    assert StripePolicy().decide(response, None).retry is retry


def test_wait_grows_and_caps_at_five_seconds() -> None:
    policy = StripePolicy()
    waits = [policy.wait_seconds(n, None) for n in range(1, 8)]
    assert all(w >= 0.5 for w in waits) and max(waits) <= 5.0 and waits[6] >= 2.5


def test_cli_timeline_and_exit_codes(base_url: str, run_cli: Callable[..., Any]) -> None:
    ok = run_cli(
        "probe",
        "POST",
        "/v1/customers",
        "-d",
        "email=c@d.co",
        "-d",
        "metadata[tier]=gold",
        "--base-url",
        base_url,
        "--key",
        KEY,
        "--idempotency-key",
        "cli-1",
    )
    assert ok.exit_code == 0, ok.stderr
    assert "stripe-python" in ok.stdout and "cli-1" in ok.stdout and '"tier": "gold"' in ok.stdout
    declined = run_cli(
        "probe",
        "POST",
        "/v1/payment_intents",
        "-d",
        "amount=2000",
        "-d",
        "currency=usd",
        "-d",
        "payment_method=pm_card_chargeDeclined",
        "-d",
        "confirm=true",
        "-d",
        "automatic_payment_methods[enabled]=true",
        "-d",
        "automatic_payment_methods[allow_redirects]=never",
        "--base-url",
        base_url,
        "--key",
        KEY,
        "--json",
    )
    assert declined.exit_code == 1
    body = json.loads(declined.stdout)
    assert body["status"] == 402 and body["body"]["error"]["decline_code"] == "generic_decline"
    assert body["request"]["key"] == "...0001"
    assert len(body["attempts"]) == 1 and body["attempts"][0]["retry"] is False


def test_cli_bad_usage_is_exit_2(run_cli: Callable[..., Any]) -> None:
    for args in (
        ["PATCH", "/v1/customers"],
        ["GET", "v1/customers"],
        ["POST", "/v1/x", "-d", "novalue"],
        ["POST", "/v1/x", "--auto-key", "--idempotency-key", "k"],
        ["GET", "/v1/x", "--api", "nope"],
    ):
        result = run_cli("probe", *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_cli_no_server_is_a_finding_not_a_crash(run_cli: Callable[..., Any]) -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = run_cli(
        "probe", "GET", "/v1/customers", "--base-url", f"http://127.0.0.1:{port}", "--retries", "0"
    )
    assert result.exit_code == 1 and "no answer" in result.stdout and "Traceback" not in result.stderr
