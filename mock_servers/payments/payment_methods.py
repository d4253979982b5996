"""Payment methods: Stripe's magic test ids (``pm_card_visa``) become real, stored PaymentMethods."""

from __future__ import annotations

from typing import Any

from .cards import test_card
from .context import Ctx
from .errors import StripeError, invalid, no_such
from .listing import list_objects


def materialise(ctx: Ctx, payment_method_id: str, *, param: str = "payment_method") -> dict[str, Any]:
    """The stored PaymentMethod a request names: an existing ``pm_...``, or a fresh one for a test id."""
    found = ctx.get("payment_method", payment_method_id)
    if found is not None:
        return found
    card = test_card(payment_method_id)
    if card is None:
        raise no_such("payment_method", payment_method_id, param=param, in_path=False)
    method: dict[str, Any] = {
        "id": ctx.new_id("payment_method"),
        "object": "payment_method",
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "card": {
            "brand": card.brand,
            "checks": {"address_line1_check": None, "address_postal_code_check": None, "cvc_check": "pass"},
            "country": "US",
            "exp_month": 12,
            "exp_year": 2034,
            "funding": card.funding,
            "last4": card.last4,
        },
        "created": ctx.now(),
        "customer": None,
        "livemode": False,
        "metadata": {},
        "type": "card",
        "_test_card": payment_method_id,
    }
    ctx.put("payment_method", method)
    return method


def attach(ctx: Ctx, payment_method_id: str, customer: dict[str, Any], *, param: str) -> dict[str, Any]:
    from .customers import card_error_for_attach

    error = card_error_for_attach(ctx, payment_method_id)
    if error is not None:
        raise error
    method = materialise(ctx, payment_method_id, param=param)
    if method.get("customer") not in (None, customer["id"]):
        raise invalid(
            "The payment method you provided has already been attached to a customer.",
            code="payment_method_unexpected_state",
            param=param,
        )
    method["customer"] = customer["id"]
    ctx.put("payment_method", method)
    ctx.emit("payment_method.attached", "payment_method", method)
    return method


def retrieve(ctx: Ctx) -> dict[str, Any]:
    found = ctx.get("payment_method", ctx.path[0])
    if found is None:
        if test_card(ctx.path[0]) is None:
            raise no_such("payment_method", ctx.path[0])
        found = materialise(ctx, ctx.path[0])
    return ctx.render("payment_method", found)


def attach_route(ctx: Ctx) -> dict[str, Any]:
    customer = ctx.require("customer", ctx.params["customer"], param="customer", in_path=False)
    if ctx.get("payment_method", ctx.path[0]) is None and test_card(ctx.path[0]) is None:
        raise no_such("payment_method", ctx.path[0])
    return ctx.render("payment_method", attach(ctx, ctx.path[0], customer, param="payment_method"))


def detach(ctx: Ctx) -> dict[str, Any]:
    method = ctx.require("payment_method", ctx.path[0])
    if method.get("customer") is None:
        raise StripeError(
            400,
            "invalid_request_error",
            "The payment method you provided is not attached to a customer so detachment is impossible.",
            code="payment_method_unexpected_state",
        )
    method["customer"] = None
    ctx.put("payment_method", method)
    ctx.emit("payment_method.detached", "payment_method", method)
    return ctx.render("payment_method", method)


def list_methods(ctx: Ctx) -> dict[str, Any]:
    customer = ctx.params.get("customer")
    kind = ctx.params.get("type")
    return list_objects(
        ctx,
        "payment_method",
        "/v1/payment_methods",
        lambda m: (
            (customer is None or m.get("customer") == customer) and (kind is None or m.get("type") == kind)
        ),
    )
