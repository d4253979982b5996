"""Rules for request bodies and the properties inside them (any media type, form-encoded included)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..specs import Operation, Spec, join
from ._catalogue import define
from ._context import Site, loosely_typed, schema_findings
from ._families import keyword_rules, request_value_rules
from ._model import Finding, Level, Rule
from ._schemas import SchemaComparer, format_prop
from ._shapes import ObjectView, Tokens
from .rules_lifecycle import deprecated_rules, lifecycle_rules

AREA = "request-body"

BODY_BECAME_REQUIRED = define(
    "request-body-became-required", Level.BREAKING, AREA,
    message="the request body of {target} became required",
    impact="Calls to {target} that send no body now get a 400.",
    why="A request that was complete without a body is now incomplete.",
)  # fmt: skip
BODY_BECAME_OPTIONAL = define(
    "request-body-became-optional", Level.INFO, AREA,
    message="the request body of {target} became optional",
    impact="Nothing breaks: calls may now omit the body of {target}.",
    why="Requiring less accepts every request that was valid.",
)  # fmt: skip
BODY_REMOVED = define(
    "request-body-removed", Level.WARNING, AREA,
    message="the request body of {target} was removed",
    impact="Calls to {target} that still send a body may get a 400, or have what they send silently ignored.",
    why="What clients send is no longer part of the contract: strict servers reject it, lenient ones drop it.",
)  # fmt: skip
MEDIA_TYPE_REMOVED = define(
    "request-body-media-type-removed", Level.BREAKING, AREA,
    message="{target} no longer accepts a {media_type} body",
    impact="Calls that send {media_type} now get a 415 Unsupported Media Type.",
    why="Clients encode bodies in one media type; removing it rejects every such request.",
)  # fmt: skip
MEDIA_TYPE_ADDED = define(
    "request-body-media-type-added", Level.INFO, AREA,
    message="{target} also accepts a {media_type} body",
    impact="Nothing breaks: {media_type} is one more way to send the body.",
    why="Accepting another encoding leaves existing requests valid.",
)  # fmt: skip

PREFIX = "request-property"
PROPERTY_RULES: dict[str, Rule] = {
    **request_value_rules(PREFIX, AREA),
    **keyword_rules(PREFIX, AREA, request=True),
    **lifecycle_rules(PREFIX, AREA),
    **deprecated_rules(PREFIX, AREA),
    "property-removed": define(
        "request-property-removed", Level.BREAKING, AREA,
        message="removed {target}",
        impact="Requests that still send {target} get a 400 for an unknown parameter from strict servers "
        "(Stripe-like APIs reject unknown parameters) or have it silently ignored.",
        why="The body declares additionalProperties: false, so a server that validates against the spec "
        "rejects the now unknown property (Zalando #109; Stripe made exactly such removals breaking in "
        "2022-08-01).",
    ),
    "property-removed-unknown-allowed": define(
        "request-property-removed-unknown-allowed", Level.WARNING, AREA,
        message="removed {target} (the body still allows unknown properties)",
        impact="Requests that still send {target} pass validation, but the value is ignored: a silent "
        "behaviour change, or a 400 from servers stricter than their spec.",
        why="The spec lets unknown properties through, so the removal rejects nothing by itself; what the "
        "server does with the value is no longer promised (oasdiff reads it as a warning too).",
    ),
    "new-required-property": define(
        "new-required-request-property", Level.BREAKING, AREA,
        message="added the required {target}",
        impact="Every existing request that does not send {target} now gets a 400.",
        why="A new required input makes every request written before it incomplete.",
    ),
    "new-optional-property": define(
        "new-optional-request-property", Level.INFO, AREA,
        message="added the optional {target}",
        impact="Nothing breaks: {target} can be sent when needed.",
        why="Optional additions leave every existing request valid.",
    ),
    "became-required": define(
        "request-property-became-required", Level.BREAKING, AREA,
        message="{target} became required",
        impact="Requests that omit {target} now get a 400.",
        why="Requiring what was optional rejects requests that were valid.",
    ),
    "became-optional": define(
        "request-property-became-optional", Level.INFO, AREA,
        message="{target} became optional",
        impact="Nothing breaks: {target} may now be omitted.",
        why="Requiring less accepts every request that was valid.",
    ),
    "became-not-nullable": define(
        "request-property-became-not-nullable", Level.BREAKING, AREA,
        message="{target} no longer accepts null",
        impact="Requests that send null for {target} (often to clear it) now get a 400.",
        why="null was a valid input and no longer is.",
    ),
    "became-nullable": define(
        "request-property-became-nullable", Level.INFO, AREA,
        message="{target} now accepts null",
        impact="Nothing breaks: null is one more accepted value for {target}.",
        why="Accepting more input is safe.",
    ),
    "became-read-only": define(
        "request-property-became-read-only", Level.BREAKING, AREA,
        message="{target} became readOnly",
        impact="Requests that set {target} are rejected or the value is silently ignored by the server.",
        why="readOnly properties must not be sent; a client that sets one no longer gets what it asked for.",
    ),
    "additional-properties-disallowed": define(
        "request-property-additional-properties-disallowed", Level.BREAKING, AREA,
        message="{target} no longer allows additional properties (additionalProperties: false)",
        impact="Requests that send keys not listed for {target} (custom metadata, newer fields) now get a 400.",
        why="Objects that accepted any extra key now reject them.",
    ),
    "any-of-removed": define(
        "request-property-any-of-removed", Level.BREAKING, AREA,
        message="{target}: anyOf alternative {alternative} removed",
        impact="Requests that send {target} in the shape of the removed alternative now get a 400.",
        why="Each alternative is a shape clients may send; removing one rejects those requests.",
    ),
    "any-of-added": define(
        "request-property-any-of-added", Level.INFO, AREA,
        message="{target}: anyOf alternative {alternative} added",
        impact="Nothing breaks: {target} also accepts the {alternative} shape.",
        why="An extra accepted shape leaves existing requests valid.",
    ),
    "one-of-removed": define(
        "request-property-one-of-removed", Level.BREAKING, AREA,
        message="{target}: oneOf alternative {alternative} removed",
        impact="Requests that send {target} in the shape of the removed alternative now get a 400.",
        why="Each alternative is a shape clients may send; removing one rejects those requests.",
    ),
    "one-of-added": define(
        "request-property-one-of-added", Level.INFO, AREA,
        message="{target}: oneOf alternative {alternative} added",
        impact="Nothing breaks: {target} also accepts the {alternative} shape.",
        why="An extra accepted shape leaves existing requests valid.",
    ),
}  # fmt: skip


def _target(prop: Tokens) -> str:
    return f"request property '{format_prop(prop)}'" if prop else "the request body"


def _strict(spec: Spec, schema: Any) -> bool:
    """Whether a request body declares that it rejects unknown properties (``additionalProperties: false``
    at its root, through ``allOf``): the API then validates strictly, nested objects included, as Stripe's
    form bodies do."""
    return (
        ObjectView.of(spec, spec.deref(schema), ()).additional is False
        if isinstance(spec.deref(schema), dict)
        else False
    )


def media_types(spec: Spec, holder: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """A body's or response's media types keyed without parameters (``; charset=utf-8``), with the key as
    written and the resolved media type object."""
    content = spec.deref(holder.get("content"))
    if not isinstance(content, dict):
        return {}
    return {str(k).split(";")[0].strip().lower(): (str(k), spec.deref(v)) for k, v in content.items()}


def check(site: Site, comparer: SchemaComparer, old_op: Operation, new_op: Operation) -> list[Finding]:
    old_body, new_body = (
        site.old.deref(old_op.node.get("requestBody")),
        site.new.deref(new_op.node.get("requestBody")),
    )
    old_body = old_body if isinstance(old_body, dict) else None
    new_body = new_body if isinstance(new_body, dict) else None
    target = site.operation or ""
    old_base, new_base = old_op.pointer + "/requestBody", new_op.pointer + "/requestBody"
    if old_body is None and new_body is None:
        return []
    if new_body is None:
        return [site.finding(BODY_REMOVED, old_base, target=target)]
    found: list[Finding] = []
    was_required = bool(old_body and old_body.get("required") is True)
    if new_body.get("required") is True and not was_required:
        found.append(site.finding(BODY_BECAME_REQUIRED, new_base + "/required", target=target))
    elif was_required and new_body.get("required") is not True:
        found.append(site.finding(BODY_BECAME_OPTIONAL, new_base, target=target))
    if old_body is None:
        return found
    old_types, new_types = media_types(site.old, old_body), media_types(site.new, new_body)
    for key, (written, _) in old_types.items():
        if key not in new_types:
            location = join(old_base, "content", written)
            found.append(site.finding(MEDIA_TYPE_REMOVED, location, target=target, media_type=written))
    for key, (written, new_media) in new_types.items():
        if key not in old_types:
            location = join(new_base, "content", written)
            found.append(site.finding(MEDIA_TYPE_ADDED, location, target=target, media_type=written))
            continue
        old_written, old_media = old_types[key]
        if not isinstance(old_media, dict) or not isinstance(new_media, dict):
            continue
        if "schema" not in old_media or "schema" not in new_media:
            continue
        changes = loosely_typed(key, comparer.compare(old_media["schema"], new_media["schema"]), request=True)
        if not _strict(site.old, old_media["schema"]):
            changes = [
                replace(c, kind="property-removed-unknown-allowed") if c.kind == "property-removed" else c
                for c in changes
            ]
        found += schema_findings(
            site,
            changes,
            PROPERTY_RULES,
            new_base=join(new_base, "content", written, "schema"),
            old_base=join(old_base, "content", old_written, "schema"),
            target=_target,
        )
    return found
