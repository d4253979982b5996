"""stripe-python's own test suite against the payments mock: the share of its payments tests that pass.

Run: ``python benchmarks/bench_stripe_python_suite.py PATH [--python PY] [--all]``. PATH is a copy of the
stripe-python repository at a release whose API version is close to the shipped Stripe spec (v6.7.0 pins
2023-08-16, the spec's version); without it the script prints one line and exits 0 (CI has no network).
``--python`` is an interpreter that has the suite's own test dependencies (pytest, pytest-mock, requests,
typing_extensions); by default a virtual environment is made for them under the system temp folder (pip,
PyPI). The suite imports stripe-python from PATH, not the installed one.

The suite was written against stripe-mock, which answers any id with a fixture; the payments mock answers
Stripe's 404 for an id that names nothing. So the suite talks to a small local proxy in front of the mock
that maps each invented id it sends (``cus_123``, ``ch_123``, ``ba_123`` under a customer, ...) to an object
it creates through the mock's public API the first time the id is used in a test, and maps the real ids back
in the answers. A small pytest plugin tells the proxy when a test starts (its ids then name new objects), and
a state-changing action on a PaymentIntent or PaymentMethod (capture, confirm, cancel, attach, detach) goes to
one created in the state that action needs: stripe-mock's fixtures are in every state at once, a stateful
mock's objects in one. An id of another resource (``sub_123``) is created through its collection's create
operation with the parameters Stripe's spec requires, generated from their schemas; a list the suite reads
while it is empty gets one object that way (stripe-mock's lists always hold a fixture). The proxy also
answers the suite's stripe-mock version check (``Stripe-Mock-Version: master``). Tests selected: the ``tests/api_resources`` files of the payments
resources and their sub-resources, and the generated examples of the same resources; ``--all`` runs the
whole suite instead. The figure printed is passed / run, with the failures listed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock
from api_trainer.mock_servers.payments.spec_served import StripeSpec
from fastapi import FastAPI, Request
from fastapi.responses import Response

from api_trainer.mock import BackgroundServer
from api_trainer.mock._generate import Generator
from api_trainer.mock._resources import json_schema_of

KEY = "sk_test_123"  # the suite's own key
RESOURCE_FILES = [
    "test_customer.py",
    "test_customer_balance_transaction.py",
    "test_charge.py",
    "test_refund.py",
    "test_payment_intent.py",
    "test_payment_method.py",
    "test_webhook_endpoint.py",
    "test_event.py",
    "test_source.py",
    "test_card.py",
    "test_bank_account.py",
    "test_tax_id.py",
]
EXAMPLE_PREFIXES = (
    "customer_",
    "charge_",
    "refund_",
    "paymentintent_",
    "paymentmethod_",
    "webhookendpoint_",
    "event_",
)
INVENTED = re.compile(r"^(cus|ch|pi|pm|re|we|evt|ba|card|src|txi|cbtxn)_[A-Za-z0-9]+$")
STATEFUL_ACTIONS = {"capture", "confirm", "cancel", "detach", "attach"}
NESTED = {
    "ba": "sources",
    "card": "sources",
    "src": "sources",
    "txi": "tax_ids",
    "cbtxn": "balance_transactions",
}


class IdProxy:
    """Forwards to the mock; invented ids become real objects created on first use."""

    def __init__(self, upstream: str, stripe_spec: StripeSpec | None = None) -> None:
        self.stripe = stripe_spec
        self.literal = (
            {part for op in stripe_spec.spec.operations() for part in op.path.split("/") if "{" not in part}
            if stripe_spec is not None
            else set()
        )
        self.http = httpx.AsyncClient(base_url=upstream, auth=(KEY, ""), timeout=30)
        self.real: dict[str, str] = {}  # invented -> real
        self.lock = asyncio.Lock()
        self.app = FastAPI()
        self.app.add_api_route("/{path:path}", self.forward, methods=["GET", "POST", "DELETE"])

    async def forward(self, request: Request) -> Response:
        if request.url.path == "/":
            return Response("stripe-mock stand-in", headers={"Stripe-Mock-Version": "master"})
        if request.url.path == "/_proxy/forget":  # a new test: its invented ids name new objects
            self.real.clear()
            return Response(status_code=204)
        async with self.lock:
            parent: str | None = None
            segments: list[str] = []
            parts = request.url.path.split("/")
            for index, segment in enumerate(parts):
                if INVENTED.match(segment) and not segment.startswith("pm_card"):
                    action = parts[index + 1] if index + 1 < len(parts) else ""
                    segment = await self.ensure(segment, parent, action)
                    parent = segment if segment.startswith("cus_") else parent
                elif self.other_id(segment, index):
                    segment = await self.ensure_other(segment, "/".join(segments))
                segments.append(segment)
            query = [
                (k, await self.value(v)) for k, v in parse_qsl(request.url.query, keep_blank_values=True)
            ]
            body = await request.body()
            if body and request.headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"
            ):
                pairs = parse_qsl(body.decode(), keep_blank_values=True)
                body = urlencode([(k, await self.value(v)) for k, v in pairs]).encode()
            headers = {
                k: v
                for k, v in request.headers.items()
                if k.lower() in ("stripe-version", "idempotency-key", "content-type")
            }
            path = "/".join(segments)
            answer = await self.http.request(
                request.method, path, params=query, content=body, headers=headers
            )
            if request.method == "GET" and _empty_list(answer) and await self.create_in(path) is not None:
                # stripe-mock's lists always hold a fixture; here the test's list gets one real object
                answer = await self.http.request("GET", path, params=query, headers=headers)
            text = answer.text
            for invented, real in self.real.items():
                text = text.replace(real, invented)
            keep = {
                k: v
                for k, v in answer.headers.items()
                if k.lower() in ("request-id", "stripe-version", "idempotent-replayed")
            }
            return Response(text, status_code=answer.status_code, headers=keep, media_type="application/json")

    async def value(self, value: str) -> str:
        if INVENTED.match(value) and not value.startswith("pm_card") and value.split("_")[0] not in NESTED:
            return await self.ensure(value, None)
        return value

    async def ensure(self, invented: str, customer: str | None, action: str = "") -> str:
        real = self.real.get(invented)
        prefix = invented.split("_")[0]
        # A state-changing action on a PaymentIntent or PaymentMethod gets an object in the state it needs
        # (stripe-mock's fixtures are in every state at once; a stateful mock's objects are in one).
        if real is None or (prefix in ("pi", "pm") and action in STATEFUL_ACTIONS):
            real = self.real[invented] = await self.create(prefix, customer, action)
        return real

    def other_id(self, segment: str, index: int) -> bool:
        """An invented id of a resource without a recipe (``sub_123``, a coupon's ``25OFF``): past
        ``/v1/<collection>``, spelt like no literal segment of any Stripe path, not an id the mock handed out."""
        return index > 2 and segment not in self.literal and segment not in self.real.values()

    async def ensure_other(self, invented: str, collection: str) -> str:
        if invented not in self.real:
            created = await self.create_in(collection)
            if created is None:
                return invented
            self.real[invented] = created
        return self.real[invented]

    async def create_in(self, collection: str) -> str | None:
        """Create one through the collection's create operation with the spec's required parameters."""
        match = self.stripe.match("POST", collection) if self.stripe is not None else None
        if self.stripe is None or match is None:
            return None
        schema = json_schema_of(self.stripe.spec, match.operation.node.get("requestBody"))
        generator = Generator(self.stripe.spec, random.Random(0), direction="request", keep=lambda _: False)
        params = generator.value(schema) if schema is not None else {}
        answer = await self.http.post(
            collection,
            content=urlencode(form_pairs(params or {}, "")),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        created = answer.json().get("id") if answer.status_code == 200 else None
        return created if isinstance(created, str) else None

    async def seed(self) -> None:
        """One object of each kind, so that the suite's first list calls find something."""
        for prefix in ("cus", "ch", "re", "we"):
            await self.create(prefix, None)

    async def post(self, path: str, **data: Any) -> dict[str, Any]:
        answer = await self.http.post(path, data=data)
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result

    async def create(self, prefix: str, customer: str | None, action: str = "") -> str:
        if prefix == "cus":
            created = str((await self.post("/v1/customers", email="suite@example.com"))["id"])
            await self.post("/v1/payment_methods/pm_card_visa/attach", customer=created)
            return created
        if prefix == "src" and customer is None:
            return str((await self.post("/v1/sources", type="card"))["id"])
        if prefix in NESTED:
            if customer is None:
                customer = await self.create("cus", None)
            data = {
                "ba": {"source": "btok_us"},
                "card": {"source": "tok_visa"},
                "src": {"source": "src_visa"},
                "txi": {"type": "eu_vat", "value": "DE123456789"},
                "cbtxn": {"amount": "-500", "currency": "usd"},
            }[prefix]
            return str((await self.post(f"/v1/customers/{customer}/{NESTED[prefix]}", **data))["id"])
        if prefix == "pi":
            # the state the requested action needs: capture wants requires_capture, others requires_confirmation
            extra = {"capture_method": "manual", "confirm": "true"} if action == "capture" else {}
            intent = await self.post(
                "/v1/payment_intents",
                amount="2000",
                currency="usd",
                payment_method="pm_card_visa",
                **{"payment_method_types[]": "card"},
                **extra,
            )
            return str(intent["id"])
        if prefix == "pm" and action == "detach":
            owner = await self.create("cus", None)
            return str((await self.post("/v1/payment_methods/pm_card_visa/attach", customer=owner))["id"])
        if prefix in ("ch", "pm", "re"):
            intent = await self.post(
                "/v1/payment_intents",
                amount="2000",
                currency="usd",
                confirm="true",
                payment_method="pm_card_visa",
                **{"payment_method_types[]": "card"},
            )
            if prefix == "pm":
                return str(intent["payment_method"])
            if prefix == "ch":
                return str(intent["latest_charge"])
            return str((await self.post("/v1/refunds", charge=intent["latest_charge"], amount="100"))["id"])
        if prefix == "we":
            endpoint = await self.post(
                "/v1/webhook_endpoints", url="https://example.com/hook", **{"enabled_events[]": "*"}
            )
            return str(endpoint["id"])
        await self.create("cus", None)  # evt: any action emits one
        events = (await self.http.get("/v1/events", params={"limit": 1})).json()["data"]
        return str(events[0]["id"])


def _empty_list(answer: httpx.Response) -> bool:
    if answer.status_code != 200 or not answer.headers.get("content-type", "").startswith("application/json"):
        return False
    body = answer.json()
    return isinstance(body, dict) and body.get("object") == "list" and body.get("data") == []


def form_pairs(value: Any, prefix: str) -> list[tuple[str, str]]:
    """Nested values as Stripe's bracketed form pairs (``items[0][price]=...``)."""
    if isinstance(value, dict):
        return [
            pair for k, v in value.items() for pair in form_pairs(v, f"{prefix}[{k}]" if prefix else str(k))
        ]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in form_pairs(v, f"{prefix}[{i}]")]
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, "" if value is None else str(value))]


PLUGIN = """
import os
import urllib.request


def pytest_runtest_setup(item):
    request = urllib.request.Request(os.environ["API_TRAINER_PROXY"] + "/_proxy/forget", method="POST")
    urllib.request.urlopen(request, timeout=10).read()
"""


async def seed(upstream: str) -> None:
    await IdProxy(upstream).seed()


def suite_python(given: str | None) -> str:
    if given:
        return given
    venv = Path(tempfile.gettempdir()) / "api-trainer-stripe-suite-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"making a virtual environment for the suite's test dependencies in {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        deps = ["pytest", "pytest-mock", "requests", "typing_extensions", "setuptools"]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *deps], check=True)
    return str(python)


def select_tests(checkout: Path, everything: bool) -> list[str]:
    if everything:
        return ["tests"]
    chosen = [
        f"tests/api_resources/{name}"
        for name in RESOURCE_FILES
        if (checkout / "tests/api_resources" / name).exists()
    ]
    examples = checkout / "tests" / "test_generated_examples.py"
    names = re.findall(r"def (test_\w+)\(", examples.read_text()) if examples.exists() else []
    chosen += [
        f"tests/test_generated_examples.py::TestGeneratedExamples::{n}"
        for n in names
        if n[5:].startswith(EXAMPLE_PREFIXES)
    ]
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=os.environ.get("STRIPE_PYTHON_DIR"))
    parser.add_argument("--python", help="interpreter with pytest, pytest-mock and requests")
    parser.add_argument("--all", action="store_true", help="run the whole suite, not only the payments tests")
    parser.add_argument("--show", action="store_true", help="print pytest's own output too")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression (narrow the run)")
    options = parser.parse_args()
    checkout = Path(options.path) if options.path else None
    if checkout is None or not (checkout / "tests" / "conftest.py").exists():
        print(
            f"skipped: no stripe-python checkout at {checkout or '(none given: PATH or STRIPE_PYTHON_DIR)'}"
        )
        return 0
    release = (checkout / "VERSION").read_text().strip() if (checkout / "VERSION").exists() else "?"
    pinned = re.search(r"20\d\d-\d\d-\d\d", (checkout / "stripe" / "api_version.py").read_text())
    print(f"stripe-python {release} (API version {pinned.group(0) if pinned else '?'}) from {checkout}")
    python = suite_python(options.python)
    tests = select_tests(checkout, options.all)
    mock = PaymentsMock(PaymentsConfig(seed=1))
    with BackgroundServer(mock.app).running() as upstream:
        proxy = IdProxy(upstream.base_url, mock.stripe)
        with BackgroundServer(proxy.app).running() as front:
            asyncio.run(seed(upstream.base_url))
            with tempfile.TemporaryDirectory() as plugin_dir:
                (Path(plugin_dir) / "api_trainer_suite_plugin.py").write_text(PLUGIN)
                env = {
                    **os.environ,
                    "STRIPE_MOCK_PORT": str(front.port),
                    "PYTHONDONTWRITEBYTECODE": "1",
                    "PYTHONPATH": plugin_dir,
                    "API_TRAINER_PROXY": front.base_url,
                }
                command = [
                    python,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-p",
                    "api_trainer_suite_plugin",
                ]
                command += ["-o", "addopts=", "-rf", *tests] + (
                    ["-k", options.keyword] if options.keyword else []
                )
                run = subprocess.run(
                    command, cwd=checkout, env=env, capture_output=True, text=True, timeout=1800, check=False
                )
        journal = httpx.get(upstream.base_url + "/_mock/requests").json()["data"]
    summary = re.findall(
        r"(\d+) (passed|failed|error|errors|skipped)", run.stdout.splitlines()[-1] if run.stdout else ""
    )
    counts = Counter({kind.rstrip("s"): int(n) for n, kind in summary})
    failed = [line[len("FAILED ") :] for line in run.stdout.splitlines() if line.startswith("FAILED ")]
    ran = counts["passed"] + counts["failed"] + counts["error"]
    if ran == 0:
        print(run.stdout[-3000:], run.stderr[-3000:])
        return 1
    if options.show:
        print(run.stdout[-20000:])
    served = Counter(str(e.get("served")) for e in journal)
    print(f"tests run: {ran} ({'whole suite' if options.all else 'payments resources and their examples'})")
    for line in failed:
        print(f"  failed: {line}")
    print(f"mock requests: {sum(served.values())} ({json.dumps(dict(served))})")
    share = counts["passed"] / ran
    print(
        f"passed: {counts['passed']} of {ran} = {share:.1%} (goal >= 95%: {'met' if share >= 0.95 else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
