"""The documented detail parameters of PaymentIntents and Customers, in the shape Stripe returns them.

Each is declared in the bundled specs (``ShippingParam``, ``PaymentMethodOptionsParam``,
``PaymentMethodDataParam``, ``MandateDataParam``); this module turns the validated request values into what
the stored object carries (Stripe API reference: the PaymentIntent and Customer objects):

* ``shipping``: ``{address{city, country, line1, line2, postal_code, state}, carrier, name, phone,
  tracking_number}`` with unset members ``null``; ``shipping=`` (empty) unsets it on update.
* ``payment_method_options``: per type; ``card`` gets Stripe's defaults (``request_three_d_secure:
  automatic``, ``installments``/``mandate_options``/``network`` null) under what was sent.
* ``payment_method_data``: creates the PaymentMethod from a test token (``card[token]=tok_visa`` is the test
  card ``pm_card_visa``), with its ``billing_details``.
"""

from __future__ import annotations

from typing import Any

from .cards import test_card
from .context import Ctx
from .errors import invalid
from .payment_methods import materialise

__all__ = ["card_option_defaults", "payment_method_from_data", "payment_method_options", "shipping"]

_ADDRESS = ("city", "country", "line1", "line2", "postal_code", "state")


def shipping(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    given = value.get("address")
    address: dict[str, Any] = given if isinstance(given, dict) else {}
    return {
        "address": {key: address.get(key) or None for key in _ADDRESS},
        "carrier": value.get("carrier") or None,
        "name": value.get("name"),
        "phone": value.get("phone") or None,
        "tracking_number": value.get("tracking_number") or None,
    }


def card_option_defaults() -> dict[str, Any]:
    return {
        "installments": None,
        "mandate_options": None,
        "network": None,
        "request_three_d_secure": "automatic",
    }


def payment_method_options(
    current: dict[str, Any] | None, update: Any, types: list[str]
) -> dict[str, dict[str, Any]]:
    """``current`` with ``update`` merged in per type; every card PaymentIntent has the card defaults."""
    merged = {kind: dict(options) for kind, options in (current or {}).items()}
    if "card" in types:
        merged["card"] = card_option_defaults() | merged.get("card", {})
    for kind, options in (update or {}).items() if isinstance(update, dict) else ():
        merged[kind] = merged.get(kind, {}) | {k: (v if v != "" else None) for k, v in dict(options).items()}
    return merged


def payment_method_from_data(ctx: Ctx, data: dict[str, Any]) -> str:
    """The id of a new PaymentMethod made from ``payment_method_data``."""
    if data.get("type") != "card":
        raise invalid(
            f"payment_method_data[type]={data.get('type')!r}: this mock creates card PaymentMethods only.",
            param="payment_method_data[type]",
        )
    token = str((data.get("card") or {}).get("token") or "")
    alias = "pm_card_" + token.removeprefix("tok_")
    if not token.startswith("tok_") or test_card(alias) is None:
        raise invalid(
            f"No such token: '{token}'"
            if token
            else "Missing required param: payment_method_data[card][token].",
            code="resource_missing" if token else "parameter_missing",
            param="payment_method_data[card][token]",
        )
    method = materialise(ctx, alias)
    details = data.get("billing_details")
    if isinstance(details, dict):
        address = details.get("address")
        method["billing_details"] = {
            "address": {key: address.get(key) for key in _ADDRESS} if isinstance(address, dict) else None,
            "email": details.get("email"),
            "name": details.get("name"),
            "phone": details.get("phone"),
        }
    if isinstance(data.get("metadata"), dict):
        method["metadata"] = {k: str(v) for k, v in data["metadata"].items() if v != ""}
    ctx.put("payment_method", method)
    return str(method["id"])
