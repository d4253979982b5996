"""Bad input gets Stripe-shaped 4xx answers, never a 500, and every answer carries a Request-Id."""

from __future__ import annotations

import httpx
import pytest

from .conftest import RunningMock


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "code", "param"),
    [
        ("POST", "/v1/customers", "colour=red", {}, 400, "parameter_unknown", "colour"),
        (
            "POST",
            "/v1/customers",
            "metadata[a]=1&address[line1]=x&nickname[x]=1",
            {},
            400,
            "parameter_unknown",
            "nickname",
        ),
        ("POST", "/v1/payment_intents", "currency=usd", {}, 400, "parameter_missing", "amount"),
        (
            "POST",
            "/v1/payment_intents",
            "amount=lots&currency=usd",
            {},
            400,
            "parameter_invalid_integer",
            "amount",
        ),
        ("POST", "/v1/payment_intents", "amount=10&currency=usd", {}, 400, "amount_too_small", "amount"),
        (
            "POST",
            "/v1/payment_intents",
            "amount=100&currency=usd&capture_method=later",
            {},
            400,
            None,
            "capture_method",
        ),
        (
            "POST",
            "/v1/payment_intents",
            "amount=100&currency=usd&confirm=maybe",
            {},
            400,
            "parameter_invalid_boolean",
            "confirm",
        ),
        ("GET", "/v1/customers?limit=0", "", {}, 400, "parameter_invalid_integer", "limit"),
        ("GET", "/v1/customers?limit=101", "", {}, 400, "parameter_invalid_integer", "limit"),
        ("GET", "/v1/customers?starting_after=cus_a&ending_before=cus_b", "", {}, 400, None, "ending_before"),
        ("GET", "/v1/customers?starting_after=cus_nope", "", {}, 400, "resource_missing", "starting_after"),
        ("GET", "/v1/customers/cus_nope", "", {}, 404, "resource_missing", "id"),
        ("GET", "/v1/payment_intents/pi_nope", "", {}, 404, "resource_missing", "id"),
        (
            "POST",
            "/v1/payment_intents",
            "amount=900&currency=usd&customer=cus_nope",
            {},
            400,
            "resource_missing",
            "customer",
        ),
        ("GET", "/v1/customers", "", {"Stripe-Version": "2019-02-19"}, 400, None, None),
        ("GET", "/v1/customers", "", {"Stripe-Version": "2019-2-19"}, 400, None, None),
        ("GET", "/v1/customers", "", {"Stripe-Version": "latest"}, 400, None, None),
        ("POST", "/v1/customers", "email=%zz&name[=x", {}, 400, None, "name["),
        ("POST", "/v1/customers", "email=a&email[x]=b", {}, 400, None, "email[x]"),
        ("GET", "/v1/customers?expand[]=nickname", "", {}, 400, None, "expand"),
        ("POST", "/v1/payment_intents", "amount=2000&currency=xyz", {}, 400, None, "currency"),
        (
            "POST",
            "/v1/payment_intents",
            "amount=2_000&currency=usd",
            {},
            400,
            "parameter_invalid_integer",
            "amount",
        ),
        (
            "POST",
            "/v1/payment_intents",
            "amount=+2000&currency=usd",
            {},
            400,
            "parameter_invalid_integer",
            "amount",
        ),
        (
            "POST",
            "/v1/payment_intents",
            "amount=%202000&currency=usd",
            {},
            400,
            "parameter_invalid_integer",
            "amount",
        ),
        (
            "POST",
            "/v1/payment_intents",
            "amount=%EF%BC%92%EF%BC%90%EF%BC%90%EF%BC%90&currency=usd",  # full-width digits
            {},
            400,
            "parameter_invalid_integer",
            "amount",
        ),
        ("GET", "/v1/customers?expand[]=description", "", {}, 400, None, "expand"),
        (
            "GET",
            "/v1/customers/search?query=nickname:%22x%22",
            "",
            {},
            400,
            "parameter_invalid_string",
            "query",
        ),
        ("GET", "/v1/customers/search?query=email", "", {}, 400, "parameter_invalid_string", "query"),
        ("POST", "/v1/customers", "0=null", {}, 400, "parameter_unknown", "0"),
        ("GET", "/v1/nothing_here", "", {}, 404, None, None),
        ("PUT", "/v1/customers", "", {}, 404, None, None),
    ],
)
def test_bad_input(
    payments: RunningMock,
    method: str,
    path: str,
    body: str,
    headers: dict[str, str],
    status: int,
    code: str | None,
    param: str | None,
) -> None:
    response = payments.http.request(
        method,
        path,
        content=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert response.status_code == status, response.text
    assert response.headers["Request-Id"].startswith("req_")
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["message"]
    assert error.get("code") == code
    assert error.get("param") == param
    assert response.headers["Stripe-Should-Retry"] == "false"


def test_unknown_version_message_names_the_value(payments: RunningMock) -> None:
    response = payments.http.get("/v1/customers", headers={"Stripe-Version": "2019-02-19"})
    assert response.json()["error"]["message"] == "Invalid Stripe API version: 2019-02-19"


def test_newer_versions_are_served_by_the_newest_bundled_one_at_or_before_them(payments: RunningMock) -> None:
    for asked, used in [
        ("2026-10-28.endive", "2023-08-16"),
        ("2022-12-01", "2022-11-15"),
        ("2020-08-27", "2020-08-27"),
    ]:
        response = payments.http.get("/v1/customers", headers={"Stripe-Version": asked})
        assert response.status_code == 200 and response.headers["Stripe-Version"] == used
    entry = payments.journal()[0]
    assert (entry["requested_version"], entry["version"]) == ("2026-10-28.endive", "2023-08-16")


@pytest.mark.parametrize(
    ("authorization", "message_start"),
    [
        (None, "You did not provide an API key"),
        ("Bearer sk_live_abcdefghijkl1234", "Invalid API Key provided: sk_live_****1234"),
        ("Bearer pk_test_abc", "Invalid API Key provided"),
        ("Token sk_test_abc", "You did not provide an API key"),
        ("Basic !!!", "Invalid API Key provided"),
    ],
)
def test_bad_credentials_get_401(
    payments: RunningMock, authorization: str | None, message_start: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(f"{payments.base_url}/v1/customers", headers=headers)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["message"].startswith(message_start)
    assert response.headers["Request-Id"].startswith("req_")


def test_control_routes_need_no_auth_and_are_not_journalled(payments: RunningMock) -> None:
    assert httpx.get(f"{payments.base_url}/_mock/clock").status_code == 200
    assert httpx.get(f"{payments.base_url}/_mock/requests").json() == {"data": []}


def test_journal_entry_fields(payments: RunningMock) -> None:
    payments.http.post(
        "/v1/customers?expand[]=default_source",
        data={"email": "a@b.co"},
        headers={"Idempotency-Key": "j-1", "Stripe-Version": "2022-11-15"},
    )
    [entry] = payments.journal()
    assert set(entry) == {
        "time",
        "method",
        "path",
        "query",
        "status",
        "fault",
        "idempotency_key",
        "replayed",
        "request_id",
        "api_key",
        "requested_version",
        "version",
        "served",
    }
    assert entry["served"] == "handler"  # the stateful handler, not the spec
    assert entry["path"] == "/v1/customers" and entry["query"] == "expand[]=default_source"
    assert entry["status"] == 200 and entry["api_key"] == "1234" and entry["idempotency_key"] == "j-1"
    assert entry["version"] == entry["requested_version"] == "2022-11-15" and entry["time"].endswith("Z")


def test_an_unknown_currency_gets_stripes_message(payments: RunningMock) -> None:
    response = payments.http.post("/v1/payment_intents", data={"amount": "2000", "currency": "xyz"})
    message = response.json()["error"]["message"]
    assert message.startswith("Invalid currency: xyz. Stripe currently supports these currencies: usd, aed,")
    assert payments.http.get("/v1/payment_intents").json()["data"] == []
    jpy = payments.http.post("/v1/payment_intents", data={"amount": "2000", "currency": "JPY"})
    assert jpy.status_code == 200 and jpy.json()["currency"] == "jpy"


@pytest.mark.parametrize(
    "body",
    [
        "metadata" + "[a]" * 40 + "=1",  # form keys nested 40 levels
        "expand" + "[]" * 500 + "=x",
    ],
)
def test_deep_form_nesting_is_a_400_not_a_500(payments: RunningMock, body: str) -> None:
    response = payments.http.post(
        "/v1/customers", content=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400, response.text
    assert "nested deeper than 32 levels" in response.json()["error"]["message"]
