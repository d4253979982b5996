"""Rules that exist once per subject (request parameter, request property): bounds, patterns, enums, types.

Each call defines real catalogue entries with their own ids; only the wording is shared.
"""

from __future__ import annotations

from ._catalogue import define
from ._model import Level, Rule
from ._shapes import BOUNDS


def request_value_rules(prefix: str, area: str) -> dict[str, Rule]:
    """Rules for a value a client sends: a parameter (``request-parameter``) or a body property."""
    rules: dict[str, Rule] = {}
    for keyword, stem, upper in BOUNDS:
        tighter, looser = ("decreased", "increased") if upper else ("increased", "decreased")
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
