"""Customers and payment methods: create, retrieve, update, delete, list; attach and detach."""

from __future__ import annotations

from typing import Any

from .cards import test_card
from .context import Ctx
from .details import shipping
from .errors import StripeError, invalid, no_such
from .listing import list_objects

_CUSTOMER_FIELDS = (
    "address",
    "balance",
    "description",
    "email",
    "invoice_prefix",
    "name",
    "next_invoice_sequence",
    "phone",
    "preferred_locales",
    "tax_exempt",
)
# Accepted as Stripe documents them, not kept: the mock has no coupons, promotion codes, legacy sources, cash
# balances, tax calculation or tax id objects (``cash_balance``, ``tax``, ``tax_id_data``, ``validate``).
_INVOICE_SETTINGS = ("custom_fields", "default_payment_method", "footer")


def apply_metadata(current: dict[str, str], update: Any) -> dict[str, str]:
    """Stripe's rules: ``metadata[k]=`` unsets one key, ``metadata=`` unsets all, values are strings."""
    if update == "":
        return {}
    merged = dict(current)
    for key, value in (update or {}).items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    if len(merged) > 50:
        raise invalid(
            "You can specify up to 50 keys in metadata.", param="metadata", code="parameter_invalid_integer"
        )
    for key in merged:
        if len(key) > 40:
            raise invalid(f"Metadata keys can be at most 40 characters ({key}).", param=f"metadata[{key}]")
    return merged


def create_customer(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    customer: dict[str, Any] = {
        "id": ctx.new_id("customer"),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": ctx.now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "email": None,
        "invoice_prefix": ctx.new_id("customer")[4:12].upper(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None},
        "livemode": False,
        "metadata": apply_metadata({}, p.get("metadata")),
        "name": None,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": shipping(p.get("shipping")),
        "tax_exempt": "none",
        "test_clock": p.get("test_clock") or None,
    }
    for name in _CUSTOMER_FIELDS:
        if name in p:
            customer[name] = p[name] if p[name] != "" else None
    _apply_invoice_settings(customer, p.get("invoice_settings"))
    if "payment_method" in p:
        from .payment_methods import attach

        attach(ctx, p["payment_method"], customer, param="payment_method")
    ctx.put("customer", customer)
    ctx.emit("customer.created", "customer", customer)
    return ctx.render("customer", customer)


def retrieve_customer(ctx: Ctx) -> dict[str, Any]:
    customer = ctx.get("customer", ctx.path[0])
    if customer is None:
        raise no_such("customer", ctx.path[0])
    if customer.get("deleted"):
        return {"id": customer["id"], "object": "customer", "deleted": True}
    return ctx.render("customer", customer)


def update_customer(ctx: Ctx) -> dict[str, Any]:
    customer = ctx.require("customer", ctx.path[0])
    p = ctx.params
    for name in (*_CUSTOMER_FIELDS, "default_source"):
        if name in p:
            customer[name] = p[name] if p[name] != "" else None
    if "shipping" in p:
        customer["shipping"] = shipping(p["shipping"])
    _apply_invoice_settings(customer, p.get("invoice_settings"))
    if "metadata" in p:
        customer["metadata"] = apply_metadata(customer.get("metadata") or {}, p["metadata"])
    ctx.put("customer", customer)
    ctx.emit("customer.updated", "customer", customer)
    return ctx.render("customer", customer)


def _apply_invoice_settings(customer: dict[str, Any], update: Any) -> None:
    """Merge ``invoice_settings[...]``: each member sent replaces that member; ``""`` unsets it."""
    settings = {name: None for name in _INVOICE_SETTINGS} | (customer.get("invoice_settings") or {})
    for name in _INVOICE_SETTINGS:
        if isinstance(update, dict) and name in update:
            settings[name] = update[name] if update[name] != "" else None
    customer["invoice_settings"] = settings


def delete_customer(ctx: Ctx) -> dict[str, Any]:
    customer = ctx.require("customer", ctx.path[0])
    customer["deleted"] = True
    ctx.put("customer", customer)
    ctx.emit("customer.deleted", "customer", customer)
    return {"id": customer["id"], "object": "customer", "deleted": True}


def list_customers(ctx: Ctx) -> dict[str, Any]:
    email = ctx.params.get("email")
    return list_objects(
        ctx,
        "customer",
        "/v1/customers",
        lambda c: not c.get("deleted") and (email is None or c.get("email") == email),
    )


def card_error_for_attach(ctx: Ctx, payment_method_id: str) -> StripeError | None:
    card = test_card(payment_method_id)
    if card is not None and card.decline is not None and not card.attachable:
        d = card.decline
        return StripeError(402, "card_error", d.message, code=d.code, decline_code=d.decline_code)
    return None
