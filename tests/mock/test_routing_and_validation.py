"""Spec-driven routing and validation, on the bundled payments spec (no server)."""

from __future__ import annotations

from api_trainer.mock import Router, operation_schema, parse_form, validate_params
from api_trainer.specs import load_spec

SPEC = load_spec("payments@2022-11-15")
ROUTER = Router(SPEC)


def test_routes_come_from_the_spec_templates() -> None:
    match = ROUTER.match("POST", "/v1/payment_intents/pi_123/confirm")
    assert match is not None and match.template == "/v1/payment_intents/{intent}/confirm"
    assert match.path_params == {"intent": "pi_123"}
    assert ROUTER.match("POST", "/v1/customers") is not None
    assert ROUTER.match("PATCH", "/v1/customers") is None and ROUTER.match("GET", "/v1/nope") is None
    assert ROUTER.allowed_methods("/v1/customers/cus_1") == {"GET", "POST", "DELETE"}


def check(method: str, path: str, raw: str) -> tuple[dict[str, object], list[tuple[str, str]]]:
    match = ROUTER.match(method, path)
    assert match is not None
    result = validate_params(SPEC, operation_schema(SPEC, match.operation), parse_form(raw))
    return result.params, [(p.kind, p.param) for p in result.problems]


def test_values_are_coerced_to_the_schema_types() -> None:
    params, problems = check(
        "POST",
        "/v1/payment_intents",
        "amount=2000&currency=usd&confirm=true&metadata[k]=v&expand[0]=latest_charge",
    )
    assert problems == []
    assert params == {
        "amount": 2000,
        "currency": "usd",
        "confirm": True,
        "metadata": {"k": "v"},
        "expand": ["latest_charge"],
    }


def test_problems_are_structured() -> None:
    assert check("POST", "/v1/payment_intents", "currency=usd")[1] == [("missing", "amount")]
    assert check("POST", "/v1/payment_intents", "amount=x&currency=usd")[1] == [("type", "amount")]
    assert check("POST", "/v1/payment_intents", "amount=1&currency=usd&bogus=1")[1] == [("unknown", "bogus")]
    assert check("POST", "/v1/payment_intents", "amount=1&currency=usd&capture_method=x")[1] == [
        ("enum", "capture_method")
    ]
    assert check("GET", "/v1/customers", "limit=101")[1] == [("range", "limit")]
    assert check("POST", "/v1/customers", "metadata=")[1] == []  # the empty string unsets metadata
