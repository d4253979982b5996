"""API versions: which bundled version serves a request, and how a stored object looks in each version.

Objects are stored once, in the newest shape. Each version is a set of functions that turn a stored
object into that version's shape:

* 2020-08-27: a PaymentIntent embeds ``charges`` (a list object of its charges, newest first) and has no
  ``latest_charge``; a Charge embeds its ``refunds`` list.
* 2022-11-15: ``latest_charge`` (an id, expandable) replaces ``charges``; ``Charge.refunds`` only when
  expanded.
* 2023-08-16: same shapes as 2022-11-15; what changes is behaviour at creation/confirmation (automatic
  payment methods on by default, the ``return_url`` rule), in ``payment_intents.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from api_trainer.specs import versions_of

from .errors import invalid_version

Lookup = Callable[[str, str], dict[str, Any] | None]  # (kind, id) -> stored object
Renderer = Callable[[dict[str, Any], Lookup], dict[str, Any]]

_WELL_FORMED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:\.[a-z][a-z0-9_]*)?$")

V2020 = "2020-08-27"
V2022 = "2022-11-15"
V2023 = "2023-08-16"


def bundled_versions() -> list[str]:
    return [spec.version for spec in versions_of("payments")]


def resolve_version(requested: str | None, default: str, known: list[str]) -> str:
    """The bundled version that serves ``requested``: itself, or the newest one at or before it."""
    if requested is None or requested == "":
        return default
    if requested in known:
        return requested
    match = _WELL_FORMED.match(requested)
    if match is None:
        raise invalid_version(requested)
    try:
        asked = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise invalid_version(requested) from None
    usable = [v for v in known if date.fromisoformat(v[:10]) <= asked]
    if not usable:
        raise invalid_version(requested)
    return usable[-1]


def at_least(version: str, minimum: str) -> bool:
    return version[:10] >= minimum


def _list_of(items: list[dict[str, Any]], url: str) -> dict[str, Any]:
    return {"object": "list", "data": items, "has_more": False, "total_count": len(items), "url": url}


def _charge_2020(charge: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    # Lists embedded in an object carry no total_count on the wire unless asked for; kept simple here.
    refunds = [r for r in (lookup("refund", rid) for rid in charge.get("_refund_ids", [])) if r is not None]
    refunds.reverse()
    charge["refunds"] = _list_of([clean(r) for r in refunds], f"/v1/charges/{charge['id']}/refunds")
    return charge


def _payment_intent_2020(intent: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    charges = [c for c in (lookup("charge", cid) for cid in intent.get("_charge_ids", [])) if c is not None]
    charges.reverse()
    intent["charges"] = _list_of(
        [clean(_charge_2020(c, lookup)) for c in charges], f"/v1/charges?payment_intent={intent['id']}"
    )
    intent.pop("latest_charge", None)
    return intent


_RENDERERS: dict[str, dict[str, Renderer]] = {
    V2020: {"payment_intent": _payment_intent_2020, "charge": _charge_2020},
    V2022: {},
    V2023: {},
}


def clean(obj: dict[str, Any]) -> dict[str, Any]:
    """A copy without the mock's private bookkeeping (keys starting with ``_``)."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def render(kind: str, stored: dict[str, Any], version: str, lookup: Lookup) -> dict[str, Any]:
    if kind == "event":
        # An event carries a snapshot of its object, rendered in the event's own version.
        shaped = clean(stored)
        # "api_version: The Stripe API version used to render data" (Stripe API reference, the Event object):
        # an endpoint created with api_version=2020-08-27 gets data.object and api_version in that version.
        shaped["api_version"] = version
        snapshot = stored["data"]["object"]
        shaped["data"] = dict(
            stored["data"], object=render(stored["_object_kind"], snapshot, version, lookup)
        )
        return shaped
    renderer = _RENDERERS.get(version, {}).get(kind)
    shaped = clean(stored)
    if renderer is not None:
        # Renderers read the private bookkeeping (``_charge_ids``) of the stored object.
        private = {k: v for k, v in stored.items() if k.startswith("_")}
        return clean(renderer(shaped | private, lookup))
    return shaped
