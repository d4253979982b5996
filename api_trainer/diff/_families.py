"""Rules that exist once per subject (request parameter, request property): bounds, patterns, enums, types.

Each call defines real catalogue entries with their own ids; only the wording is shared.
"""

from __future__ import annotations

from ._bounds import COUNT_BOUNDS
from ._catalogue import define
from ._keywords import SCHEMA_MAPS, SUBSCHEMAS
from ._model import Level, Rule
from ._shapes import BOUNDS

#: bounds whose absence is "no bound": setting one is its own, milder rule (``max-set``)
_SETTABLE = (
    "max",
    "max-length",
    "max-items",
    "min",
    "exclusive-max",
    "exclusive-min",
    "max-contains",
    "min-contains",
)


def request_value_rules(prefix: str, area: str) -> dict[str, Rule]:
    """Rules for a value a client sends: a parameter (``request-parameter``) or a body property."""
    rules: dict[str, Rule] = {}
    for keyword, stem, upper in (*BOUNDS, *COUNT_BOUNDS):
        tighter, looser = ("decreased", "increased") if upper else ("increased", "decreased")
        if stem in _SETTABLE:
            rules[f"{stem}-set"] = define(
                f"{prefix}-{stem}-set", Level.WARNING, area,
                message=f"{{target}}: {keyword} {{new}} set where there was none",
                impact=f"Requests whose {{target}} is outside {keyword} {{new}} now fail with a 400; whether any "
                "client sends such values cannot be told from the spec.",
                why="A bound where there was none rejects only the values past it, which clients rarely sent: "
                "check usage before shipping (oasdiff reads it the same way).",
            )  # fmt: skip
        rules[f"{stem}-{tighter}"] = define(
            f"{prefix}-{stem}-{tighter}", Level.BREAKING, area,
            message=f"{{target}}: {keyword} tightened from {{old}} to {{new}}",
            impact=f"Requests whose {{target}} was valid under {keyword} {{old}} now fail validation with a 400.",
            why="Validation of input must never tighten: values that worked yesterday are rejected today.",
        )  # fmt: skip
        rules[f"{stem}-{looser}"] = define(
            f"{prefix}-{stem}-{looser}", Level.INFO, area,
            message=f"{{target}}: {keyword} relaxed from {{old}} to {{new}}",
            impact=f"Nothing breaks: {{target}} accepts more values ({keyword} {{old}} -> {{new}}).",
            why="Accepting more input is safe: every request that was valid stays valid.",
        )  # fmt: skip
    rules["pattern-added"] = define(
        f"{prefix}-pattern-added", Level.BREAKING, area,
        message="{target}: pattern '{new}' added",
        impact="Values of {target} that do not match '{new}' were accepted before and now get a 400.",
        why="A new pattern restricts input that had no restriction.",
    )  # fmt: skip
    rules["pattern-changed"] = define(
        f"{prefix}-pattern-changed", Level.WARNING, area,
        message="{target}: pattern changed from '{old}' to '{new}'",
        impact="Values of {target} that matched '{old}' may not match '{new}' and then get a 400.",
        why="Whether one regular expression accepts everything another does cannot be decided in general; "
        "check the two by hand.",
    )  # fmt: skip
    rules["pattern-removed"] = define(
        f"{prefix}-pattern-removed", Level.INFO, area,
        message="{target}: pattern '{old}' removed",
        impact="Nothing breaks: {target} accepts any value of its type.",
        why="Dropping a restriction on input only accepts more.",
    )  # fmt: skip
    rules["type-changed"] = define(
        f"{prefix}-type-changed", Level.BREAKING, area,
        message="{target}: type/format changed from {old} to {new}",
        impact="Requests that send {target} as {old} now fail validation, and typed SDKs change the argument type.",
        why="A value of the old type is not a value of the new one (even a wire-compatible change breaks "
        "typed clients).",
    )  # fmt: skip
    rules["type-generalized"] = define(
        f"{prefix}-type-generalized", Level.INFO, area,
        message="{target}: type widened from {old} to {new}",
        impact="Nothing breaks: every {old} value is still accepted for {target}.",
        why="A wider input type accepts everything the narrower one did.",
    )  # fmt: skip
    rules["enum-value-removed"] = define(
        f"{prefix}-enum-value-removed", Level.BREAKING, area,
        message="{target}: enum value {value} removed",
        impact="Requests that send {value} for {target} now get a 400.",
        why="A removed input value rejects requests that were valid.",
    )  # fmt: skip
    rules["enum-value-added"] = define(
        f"{prefix}-enum-value-added", Level.INFO, area,
        message="{target}: enum value {value} added",
        impact="Nothing breaks: {target} also accepts {value}.",
        why="Accepting a new input value keeps every existing request valid.",
    )  # fmt: skip
    rules["x-extensible-enum-value-removed"] = define(
        f"{prefix}-x-extensible-enum-value-removed", Level.BREAKING, area,
        message="{target}: x-extensible-enum value {value} removed",
        impact="Requests that send {value} for {target} are no longer understood and may get a 400.",
        why="An extensible enum lets the list grow safely (readers expect new values), but a value clients "
        "send going away still rejects their requests (Zalando #112).",
    )  # fmt: skip
    rules["became-enum"] = define(
        f"{prefix}-became-enum", Level.BREAKING, area,
        message="{target} restricted to the values {values}",
        impact="Requests that send any other value for {target} now get a 400.",
        why="An enum on a free value rejects everything outside the list.",
    )  # fmt: skip
    rules["default-value-changed"] = define(
        f"{prefix}-default-value-changed", Level.BREAKING, area,
        message="{target}: default changed from {old} to {new}",
        impact="Requests that omit {target} silently behave differently: the server now assumes {new}.",
        why="Clients that omit a value rely on its default; changing it changes behaviour without any error "
        "(AIP-180 counts changed defaults as breaking).",
    )  # fmt: skip
    return rules


_KEYWORD_NAMES = {stem: keyword for keyword, stem in (*SUBSCHEMAS, *SCHEMA_MAPS)}


def keyword_rules(prefix: str, area: str, *, request: bool) -> dict[str, Rule]:
    """Rules for the JSON Schema keywords that restrict a payload (``const``, ``contains``, ``if``...), in
    the direction of ``request``: a restriction added breaks what clients send, one removed breaks what
    clients read."""
    rules: dict[str, Rule] = {}
    breaking_when, safe_when = ("added", "removed") if request else ("removed", "added")
    sends = "Requests" if request else "Responses"
    for stem, keyword in (("const", "const"), *_KEYWORD_NAMES.items()):
        detail = "{value}" if stem == "const" else "{name}"
        rules[f"{stem}-{breaking_when}"] = define(
            f"{prefix}-{stem}-{breaking_when}", Level.BREAKING, area,
            message=f"{{target}}: {keyword}{' ' if stem == 'const' else ''}{detail} {breaking_when}",
            impact=(
                f"Requests whose {{target}} does not satisfy the new {keyword} now fail validation with a 400."
                if request
                else f"Responses may now carry {{target}} values the old {keyword} ruled out; code relying on it "
                "misreads them."
            ),
            why=(
                "A new restriction on input rejects requests that were valid."
                if request
                else "A restriction on output was a promise; dropping it lets through values clients never saw."
            ),
        )  # fmt: skip
        rules[f"{stem}-{safe_when}"] = define(
            f"{prefix}-{stem}-{safe_when}", Level.INFO, area,
            message=f"{{target}}: {keyword}{' ' if stem == 'const' else ''}{detail} {safe_when}",
            impact=f"Nothing breaks: {sends.lower()} for {{target}} {'accept more' if request else 'promise more'}.",
            why="Accepting more input, or promising more about output, keeps every client working.",
        )  # fmt: skip
    for stem, keyword in (("const", "const"), ("content-media-type", "contentMediaType"),
                          ("content-encoding", "contentEncoding")):  # fmt: skip
        rules[f"{stem}-changed"] = define(
            f"{prefix}-{stem}-changed", Level.BREAKING, area,
            message=f"{{target}}: {keyword} changed from {{old}} to {{new}}",
            impact=f"{sends} that carry {{target}} as {{old}} are no longer what the API {'accepts' if request else 'returns'}.",
            why=f"A fixed {keyword} is a single allowed value: changing it breaks both who sends and who reads it.",
        )  # fmt: skip
    rules[f"dependent-required-{breaking_when}"] = define(
        f"{prefix}-dependent-required-{breaking_when}", Level.BREAKING, area,
        message=f"{{target}}: dependentRequired for '{{name}}' {breaking_when}",
        impact=(
            "Requests that send '{name}' in {target} must now also send the dependent properties, or get a 400."
            if request
            else "Responses may now carry '{name}' in {target} without the properties readers expected beside it."
        ),
        why="Properties required together are a rule clients either follow (input) or rely on (output).",
    )  # fmt: skip
    rules[f"dependent-required-{safe_when}"] = define(
        f"{prefix}-dependent-required-{safe_when}", Level.INFO, area,
        message=f"{{target}}: dependentRequired for '{{name}}' {safe_when}",
        impact="Nothing breaks for clients of {target}.",
        why="Requiring less of input, or promising more of output, keeps clients working.",
    )  # fmt: skip
    rules["dependent-required-changed"] = define(
        f"{prefix}-dependent-required-changed", Level.BREAKING, area,
        message="{target}: the properties required with '{name}' changed from {old} to {new}",
        impact="Payloads built for the old rule no longer satisfy the new one (or no longer carry what readers expect).",
        why="A different set of properties required together is a different contract in both directions.",
    )  # fmt: skip
    rules["format-added" if request else "format-removed"] = define(
        f"{prefix}-format-{'added' if request else 'removed'}", Level.WARNING, area,
        message=(
            "{target}: format {new} added" if request else "{target}: format {old} no longer promised"
        ),
        impact=(
            "Servers that enforce formats now refuse values of {target} that are not {new}; JSON Schema "
            "2020-12 makes format an annotation by default, so many do not."
            if request
            else "Code that parses {target} as {old} (a date, a UUID) may meet values it cannot parse."
        ),
        why="A format restricts values only where a validator asserts it: check what the server and the "
        "generated clients do with it.",
    )  # fmt: skip
    if not request:
        rules["default-value-changed"] = define(
            f"{prefix}-default-value-changed", Level.WARNING, area,
            message="{target}: default changed from {old} to {new}",
            impact="Readers that take an absent {target} to mean {old} now misread it: the server means {new}.",
            why="A response default says what an absent value means; changing it changes what clients read "
            "without any error.",
        )  # fmt: skip
    rules["type-compatible"] = define(
        f"{prefix}-type-compatible", Level.INFO, area,
        message="{target}: type changed from {old} to {new} in a text body (the same bytes on the wire)",
        impact="Nothing breaks on the wire: an XML or text body is text either way; regenerated typed clients "
        "change the declared type of {target}.",
        why="For XML and text media types the schema's object/string distinction describes the same payload "
        "(oasdiff: loosely typed compatible).",
    )  # fmt: skip
    rules["wrapped-in-one-of"] = define(
        f"{prefix}-wrapped-in-one-of", Level.BREAKING, area,
        message="{target} became a oneOf of {count} alternatives of its old shape",
        impact=(
            "Requests whose {target} fits more than one alternative (as old payloads can) fail oneOf's "
            "'exactly one' check with a 400."
            if request
            else "Readers of {target} must now tell {count} overlapping alternatives apart; a payload may fit "
            "several, and generated clients cannot pick one."
        ),
        why="oneOf requires exactly one alternative to match; overlapping alternatives without a discriminator "
        "reject payloads that fit the old single schema.",
    )  # fmt: skip
    rules["not-changed"] = define(
        f"{prefix}-not-changed", Level.WARNING, area,
        message="{target}: the schema under 'not' changed",
        impact="Which values of {target} are ruled out changed; check by hand whether clients' values are among them.",
        why="Inside 'not' every change reads backwards (tightening the negated schema accepts more): "
        "compare the two by hand.",
    )  # fmt: skip
    rules[f"not-{breaking_when}"] = define(
        f"{prefix}-not-{breaking_when}", Level.BREAKING, area,
        message=f"{{target}}: a 'not' schema {breaking_when}",
        impact=(
            "Requests whose {target} matches the new 'not' schema now fail with a 400."
            if request
            else "Responses may now carry {target} values the old 'not' schema ruled out."
        ),
        why="'not' rules values out: adding it restricts input, removing it loosens output.",
    )  # fmt: skip
    rules[f"not-{safe_when}"] = define(
        f"{prefix}-not-{safe_when}", Level.INFO, area,
        message=f"{{target}}: a 'not' schema {safe_when}",
        impact="Nothing breaks for clients of {target}.",
        why="Ruling out less input, or more output, keeps clients working.",
    )  # fmt: skip
    rules["all-of-added"] = define(
        f"{prefix}-all-of-added", Level.BREAKING if request else Level.INFO, area,
        message="{target}: allOf member {name} added",
        impact=(
            "Requests whose {target} does not also satisfy {name} now fail validation with a 400."
            if request
            else "Nothing breaks: {target} promises to satisfy {name} as well."
        ),
        why="Every allOf member must hold: a new member restricts what is sent and promises more about what "
        "is returned.",
    )  # fmt: skip
    rules["all-of-removed"] = define(
        f"{prefix}-all-of-removed", Level.INFO if request else Level.WARNING, area,
        message="{target}: allOf member {name} removed",
        impact=(
            "Nothing breaks: {target} no longer has to satisfy {name}."
            if request
            else "{target} no longer promises what {name} said; the properties it brought are compared one by one."
        ),
        why="A removed member asks less of input and promises less about output.",
    )  # fmt: skip
    rules[f"prefix-items-{breaking_when}"] = define(
        f"{prefix}-prefix-items-{breaking_when}", Level.BREAKING, area,
        message=f"{{target}}: the prefixItems schema at{{name}} {breaking_when}",
        impact=(
            "Requests whose {target} has an element at that position that fails the new schema get a 400."
            if request
            else "Responses may carry any element at that position of {target}; readers expected its schema."
        ),
        why="A position of a tuple gained a restriction (input) or lost one (output).",
    )  # fmt: skip
    rules[f"prefix-items-{safe_when}"] = define(
        f"{prefix}-prefix-items-{safe_when}", Level.INFO, area,
        message=f"{{target}}: the prefixItems schema at{{name}} {safe_when}",
        impact="Nothing breaks for clients of {target}.",
        why="A tuple position asks less of input, or promises more of output.",
    )  # fmt: skip
    return rules


def response_bound_rules(prefix: str, area: str) -> dict[str, Rule]:
    """A response bound loosened (or removed): values outside the old bound may now be returned."""
    rules: dict[str, Rule] = {}
    for keyword, stem, upper in (*BOUNDS, *COUNT_BOUNDS):
        looser = "increased" if upper else "decreased"
        rules[f"{stem}-{looser}"] = define(
            f"{prefix}-{stem}-{looser}", Level.BREAKING, area,
            message=f"{{target}}: {keyword} relaxed from {{old}} to {{new}}",
            impact=f"Responses may now carry {{target}} values outside {keyword} {{old}}: buffers, columns and "
            "checks sized for the old bound overflow or reject them.",
            why="A bound on output is a promise readers build on (a column width, an integer type); "
            "loosening it breaks them.",
        )  # fmt: skip
        if stem in _SETTABLE:
            rules[f"{stem}-unset"] = define(
                f"{prefix}-{stem}-unset", Level.WARNING, area,
                message=f"{{target}}: {keyword} {{old}} removed",
                impact=f"{{target}} no longer promises {keyword} {{old}}; code sized for it (a column, a buffer) "
                "should be checked.",
                why="A bound that disappears more often means the spec stopped stating it than that values "
                "grew; a bound moved to another number is the real loosening (oasdiff counts both as breaking).",
            )  # fmt: skip
    return rules
