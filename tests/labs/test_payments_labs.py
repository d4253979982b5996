"""Payments labs done right (the official stripe client, or careful raw HTTP) and done wrong, checked for real."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import stripe

from .conftest import RunningLab

PI = "/v1/payment_intents"
# Since 2023-08-16 (the mock's default version) confirming needs a return_url unless redirects are off.
NO_REDIRECTS: stripe.params.PaymentIntentCreateParamsAutomaticPaymentMethods = {
    "enabled": True,
    "allow_redirects": "never",
}
_AMOUNT_4300 = {
    "amount": "4300",
    "currency": "usd",
    "payment_method": "pm_card_visa",
    "automatic_payment_methods[enabled]": "true",
    "automatic_payment_methods[allow_redirects]": "never",
}


def _stripe(lab: RunningLab, retries: int) -> stripe.StripeClient:
    return stripe.StripeClient(lab.key, base_addresses={"api": lab.base_url}, max_network_retries=retries)


def test_drop_after_commit_with_stripe_retries_passes(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-drop-after-commit")
    client = _stripe(lab, retries=2)
    intent = client.v1.payment_intents.create(
        params={"amount": 4200, "currency": "usd", "payment_method": "pm_card_visa"}
    )
    assert intent.amount == 4200
    report = lab.check()
    assert report.passed, report.result.reasons
    assert any("replayed" in o for o in report.result.observations)


def test_drop_after_commit_with_keyless_raw_retry_fails(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-drop-after-commit")
    headers = {"Authorization": f"Bearer {lab.key}"}
    body = {"amount": "4200", "currency": "usd", "payment_method": "pm_card_visa"}
    with httpx.Client(base_url=lab.base_url, headers=headers, timeout=10) as http:
        for _attempt in range(3):  # a naive retry loop: no Idempotency-Key
            try:
                http.post(PI, data=body).raise_for_status()
                break
            except httpx.TransportError:
                continue
    report = lab.check()
    assert not report.passed
    assert any(
        "2 PaymentIntents exist for amount 4200" in r and "carried no Idempotency-Key" in r
        for r in report.result.reasons
    ), report.result.reasons


def test_drop_after_commit_without_any_retry_fails(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-drop-after-commit")
    with pytest.raises(stripe.APIConnectionError):
        _stripe(lab, retries=0).v1.payment_intents.create(params={"amount": 4200, "currency": "usd"})
    report = lab.check()
    assert not report.passed
    assert any("nothing was retried" in r for r in report.result.reasons)


def _create_and_confirm(lab: RunningLab, backoff: float) -> None:
    """Retry each 429 once with the same key: the lock_timeout at once, the rate_limit after ``backoff``."""
    headers = {"Authorization": f"Bearer {lab.key}"}
    with httpx.Client(base_url=lab.base_url, headers=headers, timeout=10) as http:

        def post(path: str, data: dict[str, str], key: str) -> httpx.Response:
            for _attempt in range(3):
                response = http.post(path, data=data, headers={"Idempotency-Key": key})
                if response.status_code != 429:
                    return response
                if response.json()["error"]["code"] == "rate_limit":
                    time.sleep(backoff)  # the learner's backoff, not test synchronisation
            return response

        created = post(PI, _AMOUNT_4300, "order-1")
        assert created.status_code == 200, created.text
        confirmed = post(f"{PI}/{created.json()['id']}/confirm", {}, "order-1-confirm")
        assert confirmed.status_code == 200, confirmed.text


def test_rate_limit_retried_after_backoff_passes(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-rate-limit-vs-lock-timeout")
    _create_and_confirm(lab, backoff=1.1)
    report = lab.check()
    assert report.passed, report.result.reasons


def test_rate_limit_hammered_fails(start_lab: Callable[[str], RunningLab]) -> None:
    lab = start_lab("lab-rate-limit-vs-lock-timeout")
    _create_and_confirm(lab, backoff=0.0)
    report = lab.check()
    assert not report.passed
    assert any("retried the 429 rate_limit after" in r and "back off" in r for r in report.result.reasons)


def _read_under_two_versions(lab: RunningLab) -> None:
    client = _stripe(lab, retries=0)
    intent = client.v1.payment_intents.create(
        params={
            "amount": 1500,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "automatic_payment_methods": NO_REDIRECTS,
        }
    )
    headers = {"Authorization": f"Bearer {lab.key}"}
    shapes = {}
    for version in ("2020-08-27", "2022-11-15"):
        response = httpx.get(
            f"{lab.base_url}{PI}/{intent.id}", headers={**headers, "Stripe-Version": version}, timeout=10
        )
        shapes[version] = response.json()
    assert "charges" in shapes["2020-08-27"] and "latest_charge" not in shapes["2020-08-27"]
    assert "latest_charge" in shapes["2022-11-15"] and "charges" not in shapes["2022-11-15"]


def test_version_field_named_passes(start_lab: Callable[[str], RunningLab], tmp_path: Path) -> None:
    lab = start_lab("lab-stripe-version-field")
    _read_under_two_versions(lab)
    answer = tmp_path / "answer.txt"
    answer.write_text("charges (a list) was removed in 2022-11-15; latest_charge holds the charge id now.\n")
    report = lab.check(answer)
    assert report.passed, report.result.reasons


def test_version_field_wrong_answer_and_one_version_fails(
    start_lab: Callable[[str], RunningLab], tmp_path: Path
) -> None:
    lab = start_lab("lab-stripe-version-field")
    client = _stripe(lab, retries=0)
    intent = client.v1.payment_intents.create(params={"amount": 1500, "currency": "usd"})
    client.v1.payment_intents.retrieve(intent.id)
    answer = tmp_path / "answer.txt"
    answer.write_text("The amount field moved.\n")
    report = lab.check(answer)
    assert not report.passed
    assert any("Stripe-Version 2020-08-27 and 2022-11-15" in r for r in report.result.reasons)
    assert any("'charges', 'latest_charge'" in r for r in report.result.reasons)
