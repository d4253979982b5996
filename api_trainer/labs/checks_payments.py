"""Checks for labs on the payments mock: duplicates after a dropped connection, 429s, Stripe-Version.

Objects are per API key on this mock, so these checks read state with the learner's own key (``--key``).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import LabError
from ._model import LabClient, LabResult, verdict
from ._registry import lab_check

_MAX_PAGES = 100
_PI = "/v1/payment_intents"


def _payment_intents(client: LabClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(_MAX_PAGES):
        body = client.json("GET", _PI, params={"limit": 100, **({"starting_after": after} if after else {})})
        data = body.get("data") or []
        found.extend(data)
        if not body.get("has_more") or not data:
            break
        after = str(data[-1]["id"])
    return found


def _amount(params: Mapping[str, Any]) -> int:
    amount = params.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise LabError("[lab.params] amount: this check needs the lab's amount (an integer)")
    return amount


@lab_check(
    "pay-one-intent-after-drop",
    api="payments",
    summary="one PaymentIntent for the amount although the connection dropped after commit; the retry replayed",
    params=("amount",),
)
def one_intent_after_drop(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    amount = _amount(params)
    journal = [e for e in client.journal() if e.get("method") == "POST" and e.get("path") == _PI]
    intents = [pi for pi in _payment_intents(client) if pi.get("amount") == amount]
    observations = [
        f"{len(journal)} POST {_PI} request(s)",
        f"{len(intents)} PaymentIntent(s) for amount {amount}",
    ]
    reasons: list[str] = []
    dropped = [e for e in journal if e.get("fault") == "drop-after-commit" and e.get("status") is None]
    if not dropped:
        reasons.append("the journal shows no dropped create: run your script against this lab's mock")
        return verdict(reasons, observations)
    drop = dropped[0]
    sent = (
        f"Idempotency-Key {drop['idempotency_key']!r}"
        if drop.get("idempotency_key")
        else "no Idempotency-Key"
    )
    observations.append(f"the create with {sent} was dropped after commit")
    retries = journal[journal.index(drop) + 1 :]
    if len(intents) > 1:
        keyless = any(not e.get("idempotency_key") for e in [drop, *retries])
        why = "carried no Idempotency-Key" if keyless else "used a new Idempotency-Key"
        reasons.append(
            f"{len(intents)} PaymentIntents exist for amount {amount}; the retry after the dropped connection {why}"
        )
    elif not intents:
        reasons.append(f"no PaymentIntent exists for amount {amount}: create one for exactly that amount")
    if not retries:
        reasons.append(
            "nothing was retried after the dropped connection: the client never learned the outcome"
        )
    elif drop.get("idempotency_key") is None or not any(
        e.get("idempotency_key") == drop.get("idempotency_key") and e.get("replayed") for e in retries
    ):
        if len(intents) <= 1:
            reasons.append("no retry reused the dropped request's Idempotency-Key, so none was replayed")
    else:
        observations.append("a retry with the same key was replayed (Idempotent-Replayed: true)")
    return verdict(reasons, observations)


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@lab_check(
    "pay-retry-429s",
    api="payments",
    summary="a lock_timeout retried with the same key, a rate_limit retried only after backing off",
    params=("amount", "min_backoff"),
)
def retry_429s(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    amount = _amount(params)
    min_backoff = float(params.get("min_backoff", 1.0))
    journal = [e for e in client.journal() if e.get("method") == "POST"]
    reasons: list[str] = []
    observations: list[str] = []
    for fault, how in (("lock-timeout", "lock_timeout"), ("rate-limit", "rate_limit")):
        hits = [e for e in journal if e.get("fault") == fault and e.get("status") == 429]
        if not hits:
            reasons.append(f"no request met the injected 429 {how}: run your script against this lab's mock")
            continue
        hit = hits[0]
        later = journal[journal.index(hit) + 1 :]
        retry = next((e for e in later if e.get("path") == hit.get("path")), None)
        if retry is None:
            reasons.append(f"the 429 {how} on POST {hit.get('path')} was never retried")
            continue
        gap = _seconds(str(retry["time"])) - _seconds(str(hit["time"]))
        observations.append(
            f"{how} on POST {hit.get('path')}: retried after {gap:.2f} s, status {retry.get('status')}"
        )
        if not hit.get("idempotency_key") or retry.get("idempotency_key") != hit.get("idempotency_key"):
            reasons.append(f"the retry after the 429 {how} did not reuse the same Idempotency-Key")
        if fault == "rate-limit" and gap < min_backoff:
            reasons.append(
                f"you retried the 429 rate_limit after {gap:.2f} s: back off (at least {min_backoff:g} s, growing) "
                "before retrying a rate limit"
            )
    intents = [pi for pi in _payment_intents(client) if pi.get("amount") == amount]
    observations.append(f"{len(intents)} PaymentIntent(s) for amount {amount}")
    if len(intents) != 1:
        reasons.append(f"{len(intents)} PaymentIntents exist for amount {amount}; the lab needs exactly one")
    return verdict(reasons, observations)


_RETRIEVE = re.compile(r"^/v1/payment_intents/(pi_[A-Za-z0-9]+)$")


@lab_check(
    "pay-version-field",
    api="payments",
    summary="one PaymentIntent read under two Stripe-Version values, and the moved field named in the answer",
    params=("versions", "fields"),
    needs_answer=True,
)
def version_field(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    versions = [str(v) for v in params.get("versions") or []]
    fields = [str(f) for f in params.get("fields") or []]
    if len(versions) < 2 or not fields:
        raise LabError("[lab.params] versions (two or more) and fields are required by pay-version-field")
    seen: dict[str, set[str]] = {}
    for e in client.journal():
        m = _RETRIEVE.match(str(e.get("path", "")))
        if e.get("method") == "GET" and m and e.get("status") == 200 and e.get("requested_version"):
            seen.setdefault(m.group(1), set()).add(str(e["requested_version"]))
    observations = [f"{pi}: read with Stripe-Version {', '.join(sorted(v))}" for pi, v in seen.items()]
    reasons: list[str] = []
    if not any(set(versions) <= v for v in seen.values()):
        reasons.append(
            f"no PaymentIntent was retrieved with each of Stripe-Version {' and '.join(versions)}: send the header "
            "on GET /v1/payment_intents/{id}"
        )
    answer = client.answer_text().lower()
    missing = [f for f in fields if not re.search(rf"(?<![a-z_]){re.escape(f.lower())}(?![a-z_])", answer)]
    if missing:
        reasons.append(
            f"your answer does not name {', '.join(repr(f) for f in missing)}: which field moved, and to where?"
        )
    return verdict(reasons, observations)


_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _forged_event() -> str:
    event = {
        "id": "evt_forged_by_lab_check",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {"id": "pi_forged", "object": "payment_intent", "amount": 100, "status": "succeeded"}
        },
    }
    return json.dumps(event)


@lab_check(
    "pay-webhook-signature",
    api="payments",
    summary="genuine signed deliveries answered 2xx, forged or unsigned posts to the same endpoint answered 4xx",
)
def webhook_signature(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    endpoints = client.json("GET", "/v1/webhook_endpoints", params={"limit": 100}).get("data") or []
    observations = [f"{len(endpoints)} webhook endpoint(s) registered"]
    if not endpoints:
        return verdict(
            ["no webhook endpoint is registered: POST /v1/webhook_endpoints with your receiver's url"],
            observations,
        )
    ids = {str(e["id"]): str(e.get("url", "")) for e in endpoints}
    deliveries = [
        d for d in client.json("GET", "/_mock/webhooks").get("data") or [] if d.get("endpoint") in ids
    ]
    accepted = [
        d for d in deliveries if any(200 <= (a.get("status") or 0) < 300 for a in d.get("attempts") or [])
    ]
    observations.append(f"{len(deliveries)} signed delivery(ies) to them, {len(accepted)} answered 2xx")
    reasons: list[str] = []
    if not accepted:
        reasons.append(
            "no genuine, signed delivery was answered 2xx: trigger an event (create a PaymentIntent) and accept it"
        )
    target = ids[str(accepted[0]["endpoint"])] if accepted else next(iter(ids.values()))
    if urlsplit(target).hostname not in _LOOPBACK:
        reasons.append(f"{target}: the check only probes receivers on this machine (127.0.0.1 or localhost)")
        return verdict(reasons, observations)
    now = int(time.time())
    probes = {
        "a forged event with a wrong Stripe-Signature": {
            "Stripe-Signature": f"t={now},v1={secrets.token_hex(32)}"
        },
        "an event with no Stripe-Signature": {},
    }
    for what, headers in probes.items():
        try:
            response = httpx.post(
                target,
                content=_forged_event(),
                headers={"Content-Type": "application/json", **headers},
                timeout=10,
            )
        except httpx.HTTPError as exc:
            reasons.append(
                f"your receiver at {target} did not answer {what} ({type(exc).__name__}); keep it running"
            )
            continue
        observations.append(f"{what}: your receiver answered {response.status_code}")
        if not 400 <= response.status_code < 500:
            reasons.append(
                f"your receiver accepted {what} with {response.status_code}: verify the signature on the raw "
                "body with the endpoint's secret and answer 400"
            )
    return verdict(reasons, observations)
