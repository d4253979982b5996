"""Which handler serves which operation of the spec, by method and path template.

Routing itself comes from the spec (``api_trainer.mock.Router``); this table only binds behaviour to it. An
operation in the spec without a handler answers Stripe's 404 for an unrecognised URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import customers, payment_intents, payment_methods, search, webhooks
from .context import Ctx

Handler = Callable[[Ctx], dict[str, Any]]

HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/v1/customers"): customers.list_customers,
    ("POST", "/v1/customers"): customers.create_customer,
    ("GET", "/v1/customers/search"): search.search_customers,
    ("GET", "/v1/customers/{customer}"): customers.retrieve_customer,
    ("POST", "/v1/customers/{customer}"): customers.update_customer,
    ("DELETE", "/v1/customers/{customer}"): customers.delete_customer,
    ("GET", "/v1/payment_methods"): payment_methods.list_methods,
    ("GET", "/v1/payment_methods/{payment_method}"): payment_methods.retrieve,
    ("POST", "/v1/payment_methods/{payment_method}/attach"): payment_methods.attach_route,
    ("POST", "/v1/payment_methods/{payment_method}/detach"): payment_methods.detach,
    ("GET", "/v1/payment_intents"): payment_intents.list_intents,
    ("POST", "/v1/payment_intents"): payment_intents.create,
    ("GET", "/v1/payment_intents/{intent}"): payment_intents.retrieve,
    ("POST", "/v1/payment_intents/{intent}"): payment_intents.update,
    ("POST", "/v1/payment_intents/{intent}/confirm"): payment_intents.confirm,
    ("POST", "/v1/payment_intents/{intent}/capture"): payment_intents.capture,
    ("POST", "/v1/payment_intents/{intent}/cancel"): payment_intents.cancel,
    ("GET", "/v1/charges"): payment_intents.list_charges,
    ("GET", "/v1/charges/{charge}"): payment_intents.retrieve_charge,
    ("GET", "/v1/refunds"): payment_intents.list_refunds,
    ("POST", "/v1/refunds"): payment_intents.create_refund,
    ("GET", "/v1/refunds/{refund}"): payment_intents.retrieve_refund,
    ("GET", "/v1/events"): webhooks.list_events,
    ("GET", "/v1/events/{id}"): webhooks.retrieve_event,
    ("GET", "/v1/webhook_endpoints"): webhooks.list_endpoints,
    ("POST", "/v1/webhook_endpoints"): webhooks.create_endpoint,
    ("GET", "/v1/webhook_endpoints/{webhook_endpoint}"): webhooks.retrieve_endpoint,
    ("DELETE", "/v1/webhook_endpoints/{webhook_endpoint}"): webhooks.delete_endpoint,
}


def handler_for(method: str, template: str) -> Handler | None:
    return HANDLERS.get((method, _normalise(template)))


def _normalise(template: str) -> str:
    # Path parameter names differ between spec authors ({intent} vs {id}); handlers only use positions.
    import re

    return re.sub(r"\{[^}]+\}", "{}", template)


HANDLERS = {(method, _normalise(path)): handler for (method, path), handler in HANDLERS.items()}
