"""Rules for responses: status codes, media types, headers and the properties of response bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..specs import Operation, join
from ._catalogue import define
from ._context import Site, loosely_typed, schema_findings
from ._families import keyword_rules, response_bound_rules
from ._model import Finding, Level, Rule
from ._schemas import SchemaComparer, format_prop
from ._shapes import Tokens
from .rules_lifecycle import deprecated_rules, lifecycle_rules
from .rules_request import media_types

AREA = "responses"

SUCCESS_REMOVED = define(
    "response-success-status-removed", Level.BREAKING, AREA,
    message="{target} no longer returns the success status {status}",
    impact="Clients that check for {status} treat every success of {target} as a failure, "
    "or fail to deserialize a response shape they do not know.",
    why="Success statuses are what client code branches on; a different one is a different contract.",
)  # fmt: skip
ERROR_REMOVED = define(
    "response-non-success-status-removed", Level.INFO, AREA,
    message="{target} no longer documents the status {status}",
    impact="Nothing breaks: error handling for {status} simply stops being exercised.",
    why="A response the server no longer sends cannot surprise a client.",
)  # fmt: skip
SUCCESS_ADDED = define(
    "response-success-status-added", Level.INFO, AREA,
    message="{target} may now return the success status {status}",
    impact="Clients that accept only the documented success status may treat {status} as unexpected; "
    "tolerant readers treat it as any 2xx.",
    why="Tolerant readers treat unknown statuses as the x00 of their class (Zalando #108).",
)  # fmt: skip
ERROR_ADDED = define(
    "response-non-success-status-added", Level.INFO, AREA,
    message="{target} may now return the error status {status}",
    impact="Code that handles errors generically keeps working; add specific handling for {status} if it "
    "needs a different reaction (retry, re-auth).",
    why="Clients already handle unknown errors by their class; a new documented error only adds detail.",
)  # fmt: skip
MEDIA_TYPE_REMOVED = define(
    "response-media-type-removed", Level.BREAKING, AREA,
    message="the {status} response of {target} no longer has a {media_type} body",
    impact="Clients that ask for or parse {media_type} get a 406 or a body they cannot parse.",
    why="Clients parse one media type; removing it removes the body they read.",
)  # fmt: skip
MEDIA_TYPE_ADDED = define(
    "response-media-type-added", Level.INFO, AREA,
    message="the {status} response of {target} may also be {media_type}",
    impact="Nothing breaks for clients that send an Accept header; others should start sending one.",
    why="An extra representation is chosen by content negotiation.",
)  # fmt: skip
REQUIRED_HEADER_REMOVED = define(
    "response-required-header-removed", Level.BREAKING, AREA,
    message="the {status} response of {target} no longer has the required header {header}",
    impact="Code that reads {header} (a request id, a rate-limit counter, a Location) gets nothing.",
    why="A required header was a promise clients could rely on without checking.",
)  # fmt: skip
OPTIONAL_HEADER_REMOVED = define(
    "response-optional-header-removed", Level.WARNING, AREA,
    message="the {status} response of {target} no longer documents the header {header}",
    impact="Code that reads {header} when present now never sees it.",
    why="An optional header may be missing anyway, but clients that use it lose the information.",
)  # fmt: skip

HEADER_ADDED = define(
    "response-header-added", Level.INFO, AREA,
    message="the {status} response of {target} now documents the header {header}",
    impact="Nothing breaks: {header} is more information to read.",
    why="A new response header is new output; clients ignore headers they do not know.",
)  # fmt: skip
HEADER_BECAME_OPTIONAL = define(
    "response-header-became-optional", Level.BREAKING, AREA,
    message="the header {header} of the {status} response of {target} is no longer required",
    impact="Code that reads {header} without checking (a request id, a Location) fails when it is missing.",
    why="A required header was a promise clients could rely on without checking.",
)  # fmt: skip
HEADER_RULES: dict[str, Rule] = {
    "type-changed": define(
        "response-header-type-changed", Level.BREAKING, AREA,
        message="{target}: type/format changed from {old} to {new}",
        impact="Code that parses {target} as {old} misreads it or fails.",
        why="Clients parse header values by their declared type.",
    ),
    "became-nullable": define(
        "response-header-became-nullable", Level.BREAKING, AREA,
        message="{target} may now be null (empty)",
        impact="Code that uses {target} without checking for an empty value fails.",
        why="Promising less about an output breaks its readers.",
    ),
    "enum-value-added": define(
        "response-header-enum-value-added", Level.WARNING, AREA,
        message="{target}: enum value {value} added",
        impact="Code that switches over every known value of {target} meets one it does not handle.",
        why="As for a response property: exhaustive readers do not expect new values.",
    ),
}  # fmt: skip

PROPERTY_RULES: dict[str, Rule] = {
    **keyword_rules("response-property", AREA, request=False),
    **lifecycle_rules("response-property", AREA),
    **deprecated_rules("response-property", AREA),
    **response_bound_rules("response-property", AREA),
    "optional-property-removed": define(
        "response-optional-property-removed", Level.WARNING, AREA,
        message="removed the optional {target}",
        impact="Code that reads {target} when present never sees it again; code that required it was already "
        "wrong, since it could be absent.",
        why="An optional output may be missing in any response, so readers must cope with its absence; those "
        "that use it still lose the information (oasdiff reads it the same way).",
    ),
    "property-removed": define(
        "response-property-removed", Level.BREAKING, AREA,
        message="removed {target}",
        impact="Code that reads {target} gets nothing: a typed SDK model fails to deserialize or the field "
        "is null/undefined where the integration expected a value.",
        why="Outputs may gain fields but never lose them: clients read what was promised.",
    ),
    "became-optional": define(
        "response-property-became-optional", Level.BREAKING, AREA,
        message="{target} is no longer required (may be absent)",
        impact="Code that reads {target} without checking crashes when it is missing (KeyError, "
        "NullPointerException, a generated model that refuses the payload).",
        why="A required output is a promise that it is always there; clients rely on it.",
    ),
    "became-nullable": define(
        "response-property-became-nullable", Level.BREAKING, AREA,
        message="{target} may now be null",
        impact="Code that uses {target} without a null check crashes; non-nullable typed models fail to "
        "deserialize.",
        why="Promising less in a response breaks readers: null is a new value they must handle.",
    ),
    "type-changed": define(
        "response-property-type-changed", Level.BREAKING, AREA,
        message="{target}: type/format changed from {old} to {new}",
        impact="Typed SDKs fail to deserialize {target}, and code treating it as {old} misbehaves.",
        why="Clients parse outputs by their declared type; a new type is a value they cannot read.",
    ),
    "enum-value-added": define(
        "response-property-enum-value-added", Level.WARNING, AREA,
        message="{target}: enum value {value} added",
        impact="Exhaustive switches and closed enums in generated clients fail on {value}; tolerant readers "
        "that handle unknown values cope.",
        why="The deliberate exception to 'promising more is safe': a new output value reaches code that "
        "listed every value it expected (Zalando #108/#112).",
    ),
    "enum-value-removed": define(
        "response-property-enum-value-removed", Level.INFO, AREA,
        message="{target}: enum value {value} no longer returned",
        impact="Nothing breaks: code handling {value} is no longer exercised.",
        why="Narrowing an output only promises more.",
    ),
    "required-property-added": define(
        "response-required-property-added", Level.INFO, AREA,
        message="added {target}",
        impact="Nothing breaks for tolerant readers: {target} is new data to use; strict deserializers that "
        "reject unknown fields must be regenerated.",
        why="New response fields are compatible (Stripe, Google, Zalando): clients must ignore unknown fields.",
    ),
    "optional-property-added": define(
        "response-optional-property-added", Level.INFO, AREA,
        message="added the optional {target}",
        impact="Nothing breaks for tolerant readers: {target} may appear and can be ignored.",
        why="New response fields are compatible: clients must ignore unknown fields.",
    ),
    "became-write-only": define(
        "response-property-became-write-only", Level.BREAKING, AREA,
        message="{target} became writeOnly (no longer returned)",
        impact="Code that reads {target} from responses gets nothing.",
        why="A writeOnly property is never sent back, which removes it from the response.",
    ),
    "any-of-added": define(
        "response-property-any-of-added", Level.WARNING, AREA,
        message="{target}: anyOf alternative {alternative} added",
        impact="Clients that handle only the known shapes of {target} fail on a {alternative}.",
        why="A new output shape is like a new enum value: exhaustive readers do not expect it.",
    ),
    "any-of-removed": define(
        "response-property-any-of-removed", Level.INFO, AREA,
        message="{target}: anyOf alternative {alternative} no longer returned",
        impact="Nothing breaks: code handling that shape is no longer exercised.",
        why="Narrowing an output only promises more.",
    ),
    "one-of-added": define(
        "response-property-one-of-added", Level.WARNING, AREA,
        message="{target}: oneOf alternative {alternative} added",
        impact="Clients that handle only the known shapes of {target} fail on a {alternative}.",
        why="A new output shape is like a new enum value: exhaustive readers do not expect it.",
    ),
    "one-of-removed": define(
        "response-property-one-of-removed", Level.INFO, AREA,
        message="{target}: oneOf alternative {alternative} no longer returned",
        impact="Nothing breaks: code handling that shape is no longer exercised.",
        why="Narrowing an output only promises more.",
    ),
}  # fmt: skip


def _target(prop: Tokens) -> str:
    return f"response property '{format_prop(prop)}'" if prop else "the response body"


def _success(status: str) -> bool:
    return status.startswith("2")


def _responses(site_spec: Any, op: Operation) -> dict[str, Any]:
    responses = site_spec.deref(op.node.get("responses"))
    return {str(k).upper(): (str(k), v) for k, v in responses.items()} if isinstance(responses, dict) else {}


def check(site: Site, comparer: SchemaComparer, old_op: Operation, new_op: Operation) -> list[Finding]:
    found: list[Finding] = []
    target = site.operation or ""
    old_responses, new_responses = _responses(site.old, old_op), _responses(site.new, new_op)
    seen: set[Any] = set()  # a shared component reached from several responses counts once per operation
    for status, (written, _) in old_responses.items():
        if status not in new_responses:
            rule = SUCCESS_REMOVED if _success(status) else ERROR_REMOVED
            found.append(
                site.finding(rule, join(old_op.pointer, "responses", written), target=target, status=written)
            )
    for status, (written, new_raw) in sorted(new_responses.items(), key=lambda item: not _success(item[0])):
        new_base = join(new_op.pointer, "responses", written)
        if status not in old_responses:
            rule = SUCCESS_ADDED if _success(status) else ERROR_ADDED
            found.append(site.finding(rule, new_base, target=target, status=written))
            continue
        old_written, old_raw = old_responses[status]
        old_base = join(old_op.pointer, "responses", old_written)
        old_response, new_response = site.old.deref(old_raw), site.new.deref(new_raw)
        if isinstance(old_response, dict) and isinstance(new_response, dict):
            found += _headers(site, comparer, old_response, new_response, old_base, new_base, written)
            found += _bodies(site, comparer, old_response, new_response, old_base, new_base, written, seen)
    return found


def _headers(
    site: Site, comparer: SchemaComparer, old: dict[str, Any], new: dict[str, Any],
    old_base: str, new_base: str, status: str,
) -> list[Finding]:  # fmt: skip
    old_headers, new_headers = site.old.deref(old.get("headers")), site.new.deref(new.get("headers"))
    old_headers = old_headers if isinstance(old_headers, dict) else {}
    new_headers = new_headers if isinstance(new_headers, dict) else {}
    # Header names are case-insensitive (RFC 9110 5.1).
    old_by_name = {str(k).lower(): (str(k), site.old.deref(v)) for k, v in old_headers.items()}
    new_by_name = {str(k).lower(): (str(k), site.new.deref(v)) for k, v in new_headers.items()}
    target = site.operation or ""
    found: list[Finding] = []
    for key, (name, header) in old_by_name.items():
        if key in new_by_name:
            continue
        required = isinstance(header, dict) and header.get("required") is True
        rule = REQUIRED_HEADER_REMOVED if required else OPTIONAL_HEADER_REMOVED
        found.append(
            site.finding(rule, join(old_base, "headers", name), target=target, status=status, header=name)
        )
    for key, (name, header) in new_by_name.items():
        location = join(new_base, "headers", name)
        if key not in old_by_name:
            found.append(site.finding(HEADER_ADDED, location, target=target, status=status, header=name))
            continue
        old_name, old_header = old_by_name[key]
        if not isinstance(header, dict) or not isinstance(old_header, dict):
            continue
        if old_header.get("required") is True and header.get("required") is not True:
            found.append(
                site.finding(HEADER_BECAME_OPTIONAL, location, target=target, status=status, header=name)
            )
        if "schema" in old_header and "schema" in header:
            found += schema_findings(
                site, comparer.compare(old_header["schema"], header["schema"]), HEADER_RULES,
                new_base=location + "/schema", old_base=join(old_base, "headers", old_name, "schema"),
                target=_header_target(status, name),
            )  # fmt: skip
    return found


def _header_target(status: str, name: str) -> Callable[[Tokens], str]:
    def target(prop: Tokens) -> str:
        return f"the {status} response header {name}"

    return target


def _bodies(
    site: Site, comparer: SchemaComparer, old: dict[str, Any], new: dict[str, Any],
    old_base: str, new_base: str, status: str, seen: set[Any],
) -> list[Finding]:  # fmt: skip
    found: list[Finding] = []
    target = site.operation or ""
    old_types, new_types = media_types(site.old, old), media_types(site.new, new)
    for key, (written, _) in old_types.items():
        if key not in new_types:
            location = join(old_base, "content", written)
            found.append(
                site.finding(MEDIA_TYPE_REMOVED, location, target=target, status=status, media_type=written)
            )
    for key, (written, new_media) in new_types.items():
        if key not in old_types:
            location = join(new_base, "content", written)
            found.append(
                site.finding(MEDIA_TYPE_ADDED, location, target=target, status=status, media_type=written)
            )
            continue
        old_written, old_media = old_types[key]
        if not (isinstance(old_media, dict) and isinstance(new_media, dict)):
            continue
        if "schema" not in old_media or "schema" not in new_media:
            continue
        changes = loosely_typed(
            key, comparer.compare(old_media["schema"], new_media["schema"]), request=False
        )
        found += schema_findings(
            site,
            changes,
            PROPERTY_RULES,
            new_base=join(new_base, "content", written, "schema"),
            old_base=join(old_base, "content", old_written, "schema"),
            target=_target,
            seen=seen,
        )
    return found
