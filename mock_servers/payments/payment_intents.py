"""PaymentIntents and the charges and refunds they make.

State machine (api-semantics A5, Stripe's docs)::

    requires_payment_method --(payment_method)--> requires_confirmation --confirm--> succeeded
          ^   \\_________________________confirm with a payment_method_______________/  |  \\
          |                                                                           |   requires_capture --capture--> succeeded
          +------ card declined (402; last_payment_error set) <-----------------------+   requires_action (3DS test cards)
    any state but succeeded --cancel--> canceled

Every change emits one event (``payment_intent.created``, ``.succeeded``, ``.payment_failed``,
``.amount_capturable_updated``, ``.canceled``, ``charge.succeeded``/``.failed``/``.captured``/``.refunded``,
``refund.created``).
"""

from __future__ import annotations

import secrets
from typing import Any

from .cards import test_card
from .context import Ctx
from .currencies import invalid_currency_message, supported_currencies
from .customers import apply_metadata
from .details import payment_method_from_data, payment_method_options, shipping
from .errors import StripeError, invalid, unexpected_state
from .listing import list_objects
from .payment_methods import materialise
from .versions import V2023, at_least

_CANCELABLE = {"requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"}


def _check_amount(amount: int, param: str = "amount") -> None:
    # Stripe's minimum is per currency (50 cents in USD); the mock applies 50 minor units to all currencies.
    if amount < 50:
        raise invalid("Amount must be at least $0.50 usd", code="amount_too_small", param=param)
    if amount > 99_999_999:
        raise invalid("Amount must be no more than $999,999.99", code="amount_too_large", param=param)


def _check_currency(currency: str) -> str:
    if currency.lower() not in supported_currencies():
        raise invalid(invalid_currency_message(currency), param="currency")
    return currency.lower()


def create(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    _check_amount(p["amount"])
    currency = _check_currency(p["currency"])
    customer = p.get("customer")
    if customer:
        ctx.require("customer", customer, param="customer", in_path=False)
    apm = p.get("automatic_payment_methods")
    types = p.get("payment_method_types")
    if apm is None and types is None and at_least(ctx.version, V2023):
        # 2023-08-16: automatic payment methods are on when payment_method_types is omitted.
        apm = {"enabled": True, "allow_redirects": "always"}
    if isinstance(apm, dict):
        enabled = str(apm.get("enabled", "true")).lower() == "true"
        apm = (
            {"enabled": enabled, "allow_redirects": apm.get("allow_redirects", "always")} if enabled else None
        )
    intent: dict[str, Any] = {
        "id": ctx.new_id("payment_intent"),
        "object": "payment_intent",
        "amount": p["amount"],
        "amount_capturable": 0,
        "amount_received": 0,
        "application_fee_amount": p.get("application_fee_amount"),
        "automatic_payment_methods": apm,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": p.get("capture_method", "automatic"),
        "client_secret": None,
        "confirmation_method": p.get("confirmation_method", "automatic"),
        "created": ctx.now(),
        "currency": currency,
        "customer": customer or None,
        "description": p.get("description"),
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": apply_metadata({}, p.get("metadata")),
        "next_action": None,
        "on_behalf_of": p.get("on_behalf_of"),
        "payment_method": None,
        "payment_method_options": payment_method_options(
            None, p.get("payment_method_options"), list(types) if types else ["card"]
        ),
        "payment_method_types": list(types) if types else ["card"],
        "receipt_email": p.get("receipt_email"),
        "setup_future_usage": p.get("setup_future_usage"),
        "shipping": shipping(p.get("shipping")),
        "statement_descriptor": p.get("statement_descriptor"),
        "status": "requires_payment_method",
        "transfer_data": dict(p["transfer_data"]) if isinstance(p.get("transfer_data"), dict) else None,
        "transfer_group": p.get("transfer_group"),
        "_charge_ids": [],
        "_return_url": p.get("return_url"),
    }
    intent["client_secret"] = f"{intent['id']}_secret_{secrets.token_urlsafe(18)}"
    if p.get("payment_method"):
        intent["payment_method"] = materialise(ctx, p["payment_method"])["id"]
        intent["status"] = "requires_confirmation"
    elif isinstance(p.get("payment_method_data"), dict):
        intent["payment_method"] = payment_method_from_data(ctx, p["payment_method_data"])
        intent["status"] = "requires_confirmation"
    ctx.put("payment_intent", intent)
    ctx.emit("payment_intent.created", "payment_intent", intent)
    if p.get("confirm"):
        # payment_method_data has made its PaymentMethod above; confirming must not make a second one.
        return _confirm(ctx, intent, {k: v for k, v in p.items() if k != "payment_method_data"})
    return ctx.render("payment_intent", intent)


def retrieve(ctx: Ctx) -> dict[str, Any]:
    return ctx.render("payment_intent", ctx.require("payment_intent", ctx.path[0]))


def update(ctx: Ctx) -> dict[str, Any]:
    intent = ctx.require("payment_intent", ctx.path[0])
    p = ctx.params
    if intent["status"] in ("succeeded", "canceled", "processing"):
        raise unexpected_state(
            f"This PaymentIntent's status is {intent['status']}; it can no longer be updated.", param=None
        )
    if "amount" in p:
        _check_amount(p["amount"])
        intent["amount"] = p["amount"]
    if "currency" in p:
        intent["currency"] = _check_currency(p["currency"])
    if p.get("customer"):
        ctx.require("customer", p["customer"], param="customer", in_path=False)
        intent["customer"] = p["customer"]
    for name in (
        "description",
        "receipt_email",
        "setup_future_usage",
        "statement_descriptor",
        "capture_method",
    ):
        if name in p:
            intent[name] = p[name] if p[name] != "" else None
    if "payment_method_types" in p:
        intent["payment_method_types"] = list(p["payment_method_types"])
    _apply_details(ctx, intent, p)
    if "transfer_group" in p:
        intent["transfer_group"] = p["transfer_group"] or None
    if "metadata" in p:
        intent["metadata"] = apply_metadata(intent["metadata"], p["metadata"])
    if p.get("payment_method"):
        intent["payment_method"] = materialise(ctx, p["payment_method"])["id"]
        if intent["status"] == "requires_payment_method":
            intent["status"] = "requires_confirmation"
    ctx.put("payment_intent", intent)
    return ctx.render("payment_intent", intent)


def _apply_details(ctx: Ctx, intent: dict[str, Any], p: dict[str, Any]) -> None:
    """``shipping``, ``payment_method_options``, ``payment_method_data`` and the Connect amounts on update,
    confirm and capture."""
    if "application_fee_amount" in p:
        intent["application_fee_amount"] = (
            p["application_fee_amount"] if p["application_fee_amount"] != "" else None
        )
    if isinstance(p.get("transfer_data"), dict):
        intent["transfer_data"] = (intent.get("transfer_data") or {}) | dict(p["transfer_data"])
    if "shipping" in p:
        intent["shipping"] = shipping(p["shipping"])
    if "payment_method_options" in p:
        intent["payment_method_options"] = payment_method_options(
            intent.get("payment_method_options"), p["payment_method_options"], intent["payment_method_types"]
        )
    if isinstance(p.get("payment_method_data"), dict) and not p.get("payment_method"):
        intent["payment_method"] = payment_method_from_data(ctx, p["payment_method_data"])
        if intent["status"] == "requires_payment_method":
            intent["status"] = "requires_confirmation"


def confirm(ctx: Ctx) -> dict[str, Any]:
    intent = ctx.require("payment_intent", ctx.path[0])
    return _confirm(ctx, intent, ctx.params)


def _confirm(ctx: Ctx, intent: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    if intent["status"] not in ("requires_payment_method", "requires_confirmation", "requires_action"):
        raise unexpected_state(
            f"You cannot confirm this PaymentIntent because it has a status of {intent['status']}. Only a "
            "PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, "
            "requires_payment_method, requires_action.",
        )
    if p.get("payment_method"):
        intent["payment_method"] = materialise(ctx, p["payment_method"])["id"]
    _apply_details(ctx, intent, p)
    if "capture_method" in p:
        intent["capture_method"] = p["capture_method"]
    if p.get("return_url"):
        intent["_return_url"] = p["return_url"]
    if not intent["payment_method"]:
        raise unexpected_state(
            "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the "
            "PaymentIntent with cus_..., specify a payment method attached to this customer along with the "
            "customer ID.",
            param="payment_method",
        )
    apm = intent.get("automatic_payment_methods")
    off_session = p.get("off_session") not in (None, False, "false")
    if (
        at_least(ctx.version, V2023)
        and isinstance(apm, dict)
        and apm.get("enabled")
        and apm.get("allow_redirects") != "never"
        and not intent.get("_return_url")
        and not off_session
    ):
        raise invalid(
            "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some "
            "of these payment methods might redirect your customer off of your page, you must provide a "
            "`return_url`. If you don't want to accept redirect-based payment methods, set "
            "`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to "
            "`never` when creating Setup Intents and Payment Intents.",
            param="return_url",
        )
    method = ctx.require("payment_method", intent["payment_method"], param="payment_method", in_path=False)
    card = test_card(str(method.get("_test_card", "")))
    if card is not None and card.requires_action and intent["status"] != "requires_action":
        if p.get("error_on_requires_action") or off_session:
            return _decline(
                ctx,
                intent,
                method,
                "authentication_required",
                None,
                "Your card was declined. This transaction requires authentication.",
            )
        intent["status"] = "requires_action"
        intent["next_action"] = {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {
                "type": "three_d_secure_redirect",
                "stripe_js": "https://hooks.stripe.com/3d_secure",
            },
        }
        ctx.put("payment_intent", intent)
        ctx.emit("payment_intent.requires_action", "payment_intent", intent)
        return ctx.render("payment_intent", intent)
    if card is not None and card.decline is not None:
        d = card.decline
        return _decline(ctx, intent, method, d.code, d.decline_code, d.message)
    charge = _charge(ctx, intent, method, status="succeeded")
    intent["next_action"] = None
    intent["last_payment_error"] = None
    if intent["capture_method"] == "manual":
        intent["status"] = "requires_capture"
        intent["amount_capturable"] = intent["amount"]
        event = "payment_intent.amount_capturable_updated"
    else:
        intent["status"] = "succeeded"
        intent["amount_received"] = intent["amount"]
        event = "payment_intent.succeeded"
    ctx.put("payment_intent", intent)
    ctx.emit("charge.succeeded", "charge", charge)
    ctx.emit(event, "payment_intent", intent)
    return ctx.render("payment_intent", intent)


def _charge(
    ctx: Ctx, intent: dict[str, Any], method: dict[str, Any], *, status: str, **extra: Any
) -> dict[str, Any]:
    captured = status == "succeeded" and intent["capture_method"] != "manual"
    charge: dict[str, Any] = {
        "id": ctx.new_id("charge"),
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"] if captured else 0,
        "amount_refunded": 0,
        "balance_transaction": None,
        "billing_details": method.get("billing_details"),
        "calculated_statement_descriptor": "API-TRAINER",
        "captured": captured,
        "created": ctx.now(),
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "disputed": False,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": {},
        "outcome": {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
        "paid": status == "succeeded",
        "payment_intent": intent["id"],
        "payment_method": method["id"],
        "payment_method_details": {"card": method.get("card"), "type": "card"},
        "receipt_email": intent.get("receipt_email"),
        "receipt_url": None,
        "refunded": False,
        "status": status,
        "_refund_ids": [],
    }
    charge.update(extra)
    ctx.put("charge", charge)
    intent["latest_charge"] = charge["id"]
    intent["_charge_ids"] = [*intent.get("_charge_ids", []), charge["id"]]
    return charge


def _decline(
    ctx: Ctx,
    intent: dict[str, Any],
    method: dict[str, Any],
    code: str,
    decline_code: str | None,
    message: str,
) -> dict[str, Any]:
    """Record the failed attempt (a failed charge, ``last_payment_error``), then answer 402.

    The writes are kept: the pipeline commits what a handler wrote before a StripeError, and stores the
    402 under the idempotency key, as Stripe stores results of execution.
    """
    charge = None
    if code != "authentication_required":
        charge = _charge(
            ctx,
            intent,
            method,
            status="failed",
            failure_code=code,
            failure_message=message,
            outcome={
                "network_status": "declined_by_network",
                "reason": decline_code or code,
                "risk_level": "normal",
                "seller_message": "The bank did not return any further details with this decline.",
                "type": "issuer_declined",
            },
        )
    error = StripeError(402, "card_error", message, code=code, decline_code=decline_code)
    last_error = error.error_object() | {"payment_method": ctx.shape("payment_method", method)}
    if charge is not None:
        last_error["charge"] = charge["id"]
    intent["last_payment_error"] = last_error
    intent["status"] = "requires_payment_method"
    intent["next_action"] = None
    ctx.put("payment_intent", intent)
    if charge is not None:
        ctx.emit("charge.failed", "charge", charge)
    ctx.emit("payment_intent.payment_failed", "payment_intent", intent)
    error.extra = {
        **({"charge": charge["id"]} if charge is not None else {}),
        "payment_intent": ctx.shape("payment_intent", intent),
        "payment_method": ctx.shape("payment_method", method),
    }
    raise error


def capture(ctx: Ctx) -> dict[str, Any]:
    intent = ctx.require("payment_intent", ctx.path[0])
    if intent["status"] != "requires_capture":
        raise unexpected_state(
            f"This PaymentIntent could not be captured because it has a status of {intent['status']}. Only a "
            "PaymentIntent with one of the following statuses may be captured: requires_capture."
        )
    amount = ctx.params.get("amount_to_capture", intent["amount_capturable"])
    if amount > intent["amount_capturable"]:
        raise invalid(
            f"The amount to capture ({amount}) is greater than the amount capturable ({intent['amount_capturable']}).",
            code="amount_too_large",
            param="amount_to_capture",
        )
    if amount < 1:
        raise invalid(
            "Amount to capture must be positive.", code="amount_too_small", param="amount_to_capture"
        )
    _apply_details(ctx, intent, ctx.params)
    charge = ctx.require("charge", intent["latest_charge"], in_path=False)
    charge["captured"] = True
    charge["amount_captured"] = amount
    charge["amount_refunded"] = (
        charge["amount"] - amount
    )  # the uncaptured rest is released, as Stripe shows it
    ctx.put("charge", charge)
    intent["amount_received"] = amount
    intent["amount_capturable"] = 0
    intent["status"] = "succeeded"
    if "metadata" in ctx.params:
        intent["metadata"] = apply_metadata(intent["metadata"], ctx.params["metadata"])
    ctx.put("payment_intent", intent)
    ctx.emit("charge.captured", "charge", charge)
    ctx.emit("payment_intent.succeeded", "payment_intent", intent)
    return ctx.render("payment_intent", intent)


def cancel(ctx: Ctx) -> dict[str, Any]:
    intent = ctx.require("payment_intent", ctx.path[0])
    if intent["status"] not in _CANCELABLE:
        raise unexpected_state(
            f"You cannot cancel this PaymentIntent because it has a status of {intent['status']}. Only a "
            "PaymentIntent with one of the following statuses may be canceled: requires_payment_method, "
            "requires_capture, requires_confirmation, requires_action, processing."
        )
    if intent["status"] == "requires_capture" and intent["latest_charge"]:
        charge = ctx.require("charge", intent["latest_charge"], in_path=False)
        charge["amount_refunded"] = charge["amount"]
        charge["refunded"] = True
        ctx.put("charge", charge)
    intent["status"] = "canceled"
    intent["amount_capturable"] = 0
    intent["canceled_at"] = ctx.now()
    intent["cancellation_reason"] = ctx.params.get("cancellation_reason")
    ctx.put("payment_intent", intent)
    ctx.emit("payment_intent.canceled", "payment_intent", intent)
    return ctx.render("payment_intent", intent)


def list_intents(ctx: Ctx) -> dict[str, Any]:
    customer = ctx.params.get("customer")
    return list_objects(
        ctx,
        "payment_intent",
        "/v1/payment_intents",
        lambda i: customer is None or i.get("customer") == customer,
    )


# charges ---------------------------------------------------------------------------------------------


def retrieve_charge(ctx: Ctx) -> dict[str, Any]:
    return ctx.render("charge", ctx.require("charge", ctx.path[0]))


def list_charges(ctx: Ctx) -> dict[str, Any]:
    customer, intent = ctx.params.get("customer"), ctx.params.get("payment_intent")
    return list_objects(
        ctx,
        "charge",
        "/v1/charges",
        lambda c: (
            (customer is None or c.get("customer") == customer)
            and (intent is None or c.get("payment_intent") == intent)
        ),
    )


# refunds ---------------------------------------------------------------------------------------------


def create_refund(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    if p.get("charge"):
        charge = ctx.require("charge", p["charge"], param="charge", in_path=False)
    elif p.get("payment_intent"):
        intent = ctx.require("payment_intent", p["payment_intent"], param="payment_intent", in_path=False)
        if not intent.get("latest_charge") or intent["status"] != "succeeded":
            raise invalid(
                f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                code="charge_not_refundable",
                param="payment_intent",
            )
        charge = ctx.require("charge", intent["latest_charge"], in_path=False)
    else:
        raise invalid(
            "One of the following params should be provided for this request: payment_intent or charge.",
            code="parameter_missing",
            param="charge",
        )
    if charge["status"] != "succeeded" or not charge["captured"]:
        raise invalid(
            f"Charge {charge['id']} has not been captured or did not succeed.",
            code="charge_not_refundable",
            param="charge",
        )
    refundable = charge["amount_captured"] - _refunded_after_capture(ctx, charge)
    if refundable <= 0:
        raise invalid(
            f"Charge {charge['id']} has already been refunded.",
            code="charge_already_refunded",
            param="charge",
        )
    amount = p.get("amount", refundable)
    if amount < 1:
        raise invalid("Refund amount must be positive.", code="amount_too_small", param="amount")
    if amount > refundable:
        raise invalid(
            f"Refund amount ({amount}) is greater than unrefunded amount on charge ({refundable})",
            code="amount_too_large",
            param="amount",
        )
    refund: dict[str, Any] = {
        "id": ctx.new_id("refund"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge["id"],
        "created": ctx.now(),
        "currency": charge["currency"],
        "failure_reason": None,
        "metadata": apply_metadata({}, p.get("metadata")),
        "payment_intent": charge["payment_intent"],
        "reason": p.get("reason"),
        "receipt_number": None,
        "status": "succeeded",
    }
    ctx.put("refund", refund)
    charge["_refund_ids"] = [*charge.get("_refund_ids", []), refund["id"]]
    charge["_refunded_total"] = _refunded_after_capture(ctx, charge) + amount
    charge["amount_refunded"] = charge["amount"] - charge["amount_captured"] + charge["_refunded_total"]
    charge["refunded"] = charge["_refunded_total"] >= charge["amount_captured"]
    ctx.put("charge", charge)
    ctx.emit("refund.created", "refund", refund)
    ctx.emit("charge.refunded", "charge", charge)
    return ctx.render("refund", refund)


def _refunded_after_capture(ctx: Ctx, charge: dict[str, Any]) -> int:
    return int(charge.get("_refunded_total", 0))


def retrieve_refund(ctx: Ctx) -> dict[str, Any]:
    return ctx.render("refund", ctx.require("refund", ctx.path[0]))


def list_refunds(ctx: Ctx) -> dict[str, Any]:
    charge, intent = ctx.params.get("charge"), ctx.params.get("payment_intent")
    return list_objects(
        ctx,
        "refund",
        "/v1/refunds",
        lambda r: (
            (charge is None or r.get("charge") == charge)
            and (intent is None or r.get("payment_intent") == intent)
        ),
    )
