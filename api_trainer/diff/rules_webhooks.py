"""Webhooks (OpenAPI 3.1 ``webhooks``) and callbacks (an operation's ``callbacks``): requests the API
sends to its integrators.

The direction is reversed, as the spec defines it: the request body of a webhook is what the integrator
*reads* (compared like a response: a property removed breaks the receiver), and its responses are what
the integrator *returns* (compared like a request: a new required property breaks receivers that do not
send it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..specs import HTTP_METHODS, Spec, join
from ._catalogue import define
from ._context import Site, schema_findings
from ._model import Finding, Level
from ._schemas import SchemaComparer, format_prop
from ._shapes import Tokens
from .rules_request import PROPERTY_RULES as SENT_RULES
from .rules_request import media_types
from .rules_responses import PROPERTY_RULES as READ_RULES

AREA = "webhooks"

WEBHOOK_REMOVED = define(
    "webhook-removed", Level.BREAKING, AREA,
    message="the webhook {target} was removed",
    impact="Integrators who subscribed to {target} stop receiving it: whatever they did on that event stops.",
    why="A webhook is an output clients build on; removing it removes the events they react to.",
)  # fmt: skip
WEBHOOK_ADDED = define(
    "webhook-added", Level.INFO, AREA,
    message="the webhook {target} was added",
    impact="Nothing breaks: integrators may subscribe to {target}.",
    why="A new event is new capability.",
)  # fmt: skip
CALLBACK_REMOVED = define(
    "callback-removed", Level.BREAKING, AREA,
    message="the callback {target} was removed",
    impact="Integrators who receive {target} stop getting it.",
    why="A callback is an output clients build on, like a webhook.",
)  # fmt: skip
CALLBACK_ADDED = define(
    "callback-added", Level.INFO, AREA,
    message="the callback {target} was added",
    impact="Nothing breaks: {target} is a new request to receive.",
    why="A new callback is new capability.",
)  # fmt: skip
PAYLOAD_BECAME_OPTIONAL = define(
    "webhook-request-body-became-optional", Level.BREAKING, AREA,
    message="the payload of {target} may now be absent",
    impact="Receivers of {target} that parse the body without checking fail on an empty request.",
    why="A required payload was a promise to the receiver, like a required response body.",
)  # fmt: skip

Items = dict[str, tuple[Any, str]]


def _items(spec: Spec, holder: Any, base: str) -> Items:
    holder = spec.deref(holder)
    if not isinstance(holder, dict):
        return {}
    return {str(name): (spec.deref(item), join(base, str(name))) for name, item in holder.items()}


def check_webhooks(site: Site, requests: SchemaComparer, responses: SchemaComparer) -> list[Finding]:
    old_hooks = _items(site.old, site.old.document.get("webhooks"), "/webhooks")
    new_hooks = _items(site.new, site.new.document.get("webhooks"), "/webhooks")
    return _compare_items(
        site, requests, responses, old_hooks, new_hooks, "webhook", WEBHOOK_REMOVED, WEBHOOK_ADDED
    )


def check_callbacks(
    site: Site, requests: SchemaComparer, responses: SchemaComparer, old_op: Any, new_op: Any
) -> list[Finding]:
    old_callbacks = _items(site.old, old_op.get("callbacks"), site.old_pointer + "/callbacks")
    new_callbacks = _items(site.new, new_op.get("callbacks"), site.new_pointer + "/callbacks")
    found: list[Finding] = []
    for name in sorted(set(old_callbacks) | set(new_callbacks)):
        old_exprs = _items(
            site.old, old_callbacks.get(name, ({}, ""))[0], old_callbacks.get(name, ({}, ""))[1]
        )
        new_exprs = _items(
            site.new, new_callbacks.get(name, ({}, ""))[0], new_callbacks.get(name, ({}, ""))[1]
        )
        label = f"callback '{name}' of {site.operation}"
        found += _compare_items(
            site, requests, responses,
            {f"{label} {e}": v for e, v in old_exprs.items()}, {f"{label} {e}": v for e, v in new_exprs.items()},
            None, CALLBACK_REMOVED, CALLBACK_ADDED,
        )  # fmt: skip
    return found


def _compare_items(
    site: Site, requests: SchemaComparer, responses: SchemaComparer, old_items: Items, new_items: Items,
    kind: str | None, removed: Any, added: Any,
) -> list[Finding]:  # fmt: skip
    found: list[Finding] = []
    for name in sorted(set(old_items) | set(new_items)):
        label = f"'{name}'" if kind else name
        # A webhook belongs to the whole API; a callback to the operation that registers it.
        method, path = (None, None) if kind else (site.method, site.path)
        if name not in new_items:
            where = site.at(method, path, old_items[name][1], old_items[name][1])
            found.append(where.finding(removed, old_items[name][1], target=label))
            continue
        if name not in old_items:
            where = site.at(method, path, new_items[name][1], new_items[name][1])
            found.append(where.finding(added, new_items[name][1], target=label))
            continue
        (old_item, old_base), (new_item, new_base) = old_items[name], new_items[name]
        for method in HTTP_METHODS:
            old_op, new_op = old_item.get(method), new_item.get(method)
            if not isinstance(old_op, dict) or not isinstance(new_op, dict):
                continue
            path = f"{kind}:{name}" if kind else name
            here = site.at(method.upper(), path, join(old_base, method), join(new_base, method))
            found += _payload(here, responses, old_op, new_op)
            found += _replies(here, requests, old_op, new_op)
    return found


def _target(what: str) -> Callable[[Tokens], str]:
    def target(prop: Tokens) -> str:
        return f"{what} property '{format_prop(prop)}'" if prop else f"the {what}"

    return target


def _payload(
    site: Site, responses: SchemaComparer, old_op: dict[str, Any], new_op: dict[str, Any]
) -> list[Finding]:
    """The body the API sends: read by the integrator, so compared as a response."""
    old_body, new_body = site.old.deref(old_op.get("requestBody")), site.new.deref(new_op.get("requestBody"))
    if not isinstance(old_body, dict) or not isinstance(new_body, dict):
        return []
    found: list[Finding] = []
    old_base, new_base = site.old_pointer + "/requestBody", site.new_pointer + "/requestBody"
    if old_body.get("required") is True and new_body.get("required") is not True:
        found.append(site.finding(PAYLOAD_BECAME_OPTIONAL, new_base, target=site.operation or ""))
    found += _schemas(site, responses, old_body, new_body, old_base, new_base, READ_RULES, "payload")
    return found


def _replies(
    site: Site, requests: SchemaComparer, old_op: dict[str, Any], new_op: dict[str, Any]
) -> list[Finding]:
    """What the integrator answers: read by the API, so compared as a request."""
    old_responses, new_responses = (
        site.old.deref(old_op.get("responses")),
        site.new.deref(new_op.get("responses")),
    )
    if not isinstance(old_responses, dict) or not isinstance(new_responses, dict):
        return []
    found: list[Finding] = []
    for status, new_raw in new_responses.items():
        old_response, new_response = site.old.deref(old_responses.get(status)), site.new.deref(new_raw)
        if isinstance(old_response, dict) and isinstance(new_response, dict):
            old_base = join(site.old_pointer, "responses", str(status))
            new_base = join(site.new_pointer, "responses", str(status))
            found += _schemas(
                site, requests, old_response, new_response, old_base, new_base, SENT_RULES, "reply"
            )
    return found


def _schemas(
    site: Site, comparer: SchemaComparer, old: dict[str, Any], new: dict[str, Any], old_base: str,
    new_base: str, rules: Any, what: str,
) -> list[Finding]:  # fmt: skip
    found: list[Finding] = []
    old_types, new_types = media_types(site.old, old), media_types(site.new, new)
    for key, (written, new_media) in new_types.items():
        if key not in old_types:
            continue
        old_written, old_media = old_types[key]
        if (
            isinstance(old_media, dict)
            and isinstance(new_media, dict)
            and "schema" in old_media
            and "schema" in new_media
        ):
            found += schema_findings(
                site, comparer.compare(old_media["schema"], new_media["schema"]), rules,
                new_base=join(new_base, "content", written, "schema"),
                old_base=join(old_base, "content", old_written, "schema"),
                target=_target(f"{site.operation} {what}"),
            )  # fmt: skip
    return found
