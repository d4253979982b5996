"""What a handler gets: the account, the resolved version, the typed parameters, and helpers to load,
store, render (per version, with ``expand``) and emit events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api_trainer.mock import MockClock, Store, new_id

from .errors import invalid, no_such
from .versions import clean, render

# field -> kind of the object its id names
EXPANDABLE = {
    "latest_charge": "charge",
    "customer": "customer",
    "payment_method": "payment_method",
    "payment_intent": "payment_intent",
    "charge": "charge",
    "default_payment_method": "payment_method",
    # Expandable in Stripe; the mock stores none of these, so an id stays an id and null stays null.
    "default_source": "source",
    "balance_transaction": "balance_transaction",
}
PREFIXES = {
    "customer": "cus",
    "payment_method": "pm",
    "payment_intent": "pi",
    "charge": "ch",
    "refund": "re",
    "event": "evt",
    "webhook_endpoint": "we",
}


@dataclass
class Ctx:
    store: Store
    clock: MockClock
    account: str
    version: str
    params: dict[str, Any]
    path: list[str]
    request_id: str
    idempotency_key: str | None
    emit_event: Callable[[Ctx, str, str, dict[str, Any]], None]
    expand: list[str] = field(default_factory=list)

    def now(self) -> int:
        return self.clock.now_int()

    def new_id(self, kind: str) -> str:
        return new_id(PREFIXES[kind])

    def get(self, kind: str, object_id: str) -> dict[str, Any] | None:
        return self.store.get(self.account, kind, object_id)

    def require(
        self, kind: str, object_id: str, *, param: str = "id", in_path: bool = True
    ) -> dict[str, Any]:
        found = self.get(kind, object_id)
        if found is None or found.get("deleted"):
            raise no_such(kind, object_id, param=param, in_path=in_path)
        return found

    def put(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        return self.store.put(self.account, kind, obj)

    def emit(self, event_type: str, kind: str, obj: dict[str, Any]) -> None:
        self.emit_event(self, event_type, kind, obj)

    # rendering --------------------------------------------------------------------------------------

    def lookup(self, kind: str, object_id: str) -> dict[str, Any] | None:
        return self.get(kind, object_id)

    def shape(self, kind: str, stored: dict[str, Any], version: str | None = None) -> dict[str, Any]:
        return render(kind, stored, version or self.version, self.lookup)

    def render(self, kind: str, stored: dict[str, Any]) -> dict[str, Any]:
        """The response body for one object: this version's shape, with ``expand[]`` applied."""
        shaped = self.shape(kind, stored)
        for path in self.expand:
            self._expand(shaped, stored, path.split("."), path)
        return shaped

    def render_list(self, kind: str, items: list[dict[str, Any]], url: str, has_more: bool) -> dict[str, Any]:
        data = [self.shape(kind, item) for item in items]
        for path in self.expand:
            parts = path.split(".")
            if parts[0] != "data" or len(parts) < 2:
                raise invalid(f"This property cannot be expanded ({path}).", param="expand")
            for shaped, stored in zip(data, items, strict=True):
                self._expand(shaped, stored, parts[1:], path)
        return {"object": "list", "data": data, "has_more": has_more, "url": url}

    def _expand(self, shaped: dict[str, Any], stored: dict[str, Any], parts: list[str], full: str) -> None:
        if len(parts) > 4:
            raise invalid(f"You cannot expand more than 4 levels of a property ({full}).", param="expand")
        head, rest = parts[0], parts[1:]
        if head == "refunds" and shaped.get("object") == "charge" and "refunds" not in shaped:
            refunds = [r for r in (self.get("refund", i) for i in stored.get("_refund_ids", [])) if r]
            refunds.reverse()
            shaped["refunds"] = {
                "object": "list",
                "data": [clean(r) for r in refunds],
                "has_more": False,
                "url": f"/v1/charges/{shaped['id']}/refunds",
            }
            return
        value = shaped.get(head)
        # Only an expandable id, or a sub-object on the way to one, may be named: Stripe refuses
        # expand[]=description or expand[]=metadata with "This property cannot be expanded (...)".
        if head not in shaped or (head not in EXPANDABLE and not (rest and isinstance(value, dict))):
            raise invalid(f"This property cannot be expanded ({full}).", param="expand")
        if value is None:
            return  # an expandable field that is empty (default_source before any source) stays null
        if isinstance(value, str):
            kind = EXPANDABLE[head]
            target = self.get(kind, value)
            if target is None:
                return
            value = self.shape(kind, target)
            shaped[head] = value
            stored = target
        elif isinstance(value, dict) and isinstance(stored.get(head), dict):
            stored = stored[head]
        if rest and isinstance(value, dict):
            self._expand(value, stored, rest, full)
