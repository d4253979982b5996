"""Deprecation and stability policy: sunset dates, minimum deprecation periods, ``x-stability-level``.

The same rules exist for operations (``api-``), parameters (``request-parameter-``) and request and
response properties: a subject removed before its ``x-sunset`` date breaks clients that were promised
it until then; a deprecation with no sunset, or one sooner than the minimum period the policy asks
(``--deprecation-days-stable``, ``--deprecation-days-beta``), is breaking under that policy; a sunset
that does not parse is an error a team wants to hear about. A lowered ``x-stability-level`` breaks the
promise the old level made.
"""

from __future__ import annotations

from typing import Any

from ._catalogue import define
from ._context import Site
from ._lifecycle import Lifecycle, earliest_sunset, read, required_days, stability_rank
from ._model import Finding, Level, Rule
from ._policy import Policy


def lifecycle_rules(prefix: str, area: str) -> dict[str, Rule]:
    """The sunset rules of one kind of subject (an operation, a parameter, a property)."""
    return {
        "sunset-invalid": define(
            f"{prefix}-sunset-invalid", Level.BREAKING, area,
            message="{target}: x-sunset '{value}' is not a date (RFC 3339: 2025-06-30)",
            impact="Nobody can tell when {target} goes away: tooling that plans migrations by the sunset "
            "date skips it.",
            why="A sunset is a promise of a date; one that does not parse promises nothing.",
        ),
        "deprecated-sunset-missing": define(
            f"{prefix}-deprecated-sunset-missing", Level.BREAKING, area,
            message="{target} was deprecated without a sunset date (the policy asks for {days} days)",
            impact="Integrators of {target} get no date to migrate by, which the deprecation policy requires.",
            why="With a minimum deprecation period, a deprecation must say when the removal may happen.",
        ),
        "sunset-date-too-small": define(
            f"{prefix}-sunset-date-too-small", Level.BREAKING, area,
            message="{target}: sunset {sunset} is sooner than the {days}-day deprecation period allows "
            "({earliest})",
            impact="Integrators of {target} get less time to migrate than the policy promises.",
            why="The minimum deprecation period is the time integrators are promised between a deprecation "
            "and the removal.",
        ),
    }  # fmt: skip


def deprecated_rules(prefix: str, area: str) -> dict[str, Rule]:
    return {
        "became-deprecated": define(
            f"{prefix}-deprecated", Level.INFO, area,
            message="deprecated {target}",
            impact="Nothing breaks yet: {target} still works, but will go away; plan the move.",
            why="Deprecation announces a future removal without changing behaviour now.",
        ),
        "reactivated": define(
            f"{prefix}-reactivated", Level.INFO, area,
            message="{target} is no longer deprecated",
            impact="Nothing breaks; a planned migration away from {target} is no longer needed.",
            why="Lifting a deprecation only removes a warning.",
        ),
    }  # fmt: skip


def sunset_change_rules(prefix: str, area: str) -> dict[str, Rule]:
    """Rules for the sunset of something already deprecated, and for removing it before that date."""
    return {
        "sunset-deleted": define(
            f"{prefix}-sunset-deleted", Level.BREAKING, area,
            message="{target} is still deprecated but its sunset date {old} was removed",
            impact="Integrators who planned their migration of {target} for {old} lose the date they were "
            "given; removal may now come at any time.",
            why="A sunset date is a promise of availability until then; removing it withdraws the promise.",
        ),
        "sunset-date-changed-too-small": define(
            f"{prefix}-sunset-date-changed-too-small", Level.BREAKING, area,
            message="{target}: sunset moved from {old} to {new}, sooner than the policy allows ({earliest})",
            impact="Integrators of {target} have less time to migrate than they were told.",
            why="Moving a sunset earlier shortens the promised migration period.",
        ),
        "removed-before-sunset": define(
            f"{prefix}-removed-before-sunset", Level.BREAKING, area,
            message="removed {target} before its sunset date {sunset}",
            impact="Integrators of {target} were promised it until {sunset}; their calls fail now.",
            why="Deprecation with a sunset date promises availability until that date.",
        ),
    }  # fmt: skip


def deprecation_findings(
    site: Site, rules: dict[str, Rule], old: Any, new: Any, *, target: str, pointer: str
) -> list[Finding]:
    """Findings for a subject present in both versions: a new deprecation under the policy, and a
    changed sunset of one that was already deprecated."""
    was, now, policy = read(old), read(new), site.policy
    found: list[Finding] = []
    if not now.deprecated:
        return found
    if now.sunset_invalid and (not was.deprecated or was.sunset_text != now.sunset_text):
        return [
            site.finding(
                rules["sunset-invalid"], pointer + "/x-sunset", target=target, value=now.sunset_text or ""
            )
        ]
    if not was.deprecated:
        return _policy_findings(site, rules, now, policy, target=target, pointer=pointer)
    if was.sunset_invalid and was.sunset_text != now.sunset_text:
        # the old date cannot be read, so whether the new one shortens the period cannot be told
        return [
            site.finding(
                rules["sunset-invalid"], pointer + "/x-sunset", target=target, value=was.sunset_text or ""
            )
        ]
    if "sunset-deleted" in rules and was.sunset is not None and now.sunset_text is None:
        found.append(
            site.finding(rules["sunset-deleted"], pointer, target=target, old=was.sunset.isoformat())
        )
    elif was.sunset is not None and now.sunset is not None and now.sunset < was.sunset:
        earliest = earliest_sunset(policy, now)
        if now.sunset < earliest and "sunset-date-changed-too-small" in rules:
            found.append(
                site.finding(
                    rules["sunset-date-changed-too-small"],
                    pointer + "/x-sunset",
                    target=target,
                    old=was.sunset.isoformat(),
                    new=now.sunset.isoformat(),
                    earliest=earliest.isoformat(),
                )
            )
    return found


def _policy_findings(
    site: Site, rules: dict[str, Rule], now: Lifecycle, policy: Policy, *, target: str, pointer: str
) -> list[Finding]:
    days = required_days(policy, now)
    if days == 0:
        return []
    if now.sunset is None:
        return [site.finding(rules["deprecated-sunset-missing"], pointer, target=target, days=str(days))]
    earliest = earliest_sunset(policy, now)
    if now.sunset < earliest:
        return [
            site.finding(
                rules["sunset-date-too-small"],
                pointer + "/x-sunset",
                target=target,
                sunset=now.sunset.isoformat(),
                days=str(days),
                earliest=earliest.isoformat(),
            )
        ]
    return []


def removal_rule(rules: dict[str, Rule], old: Any, today: Any) -> tuple[Rule | None, dict[str, str]]:
    """The rule for removing a deprecated subject when its sunset says it was too early, else None."""
    life = read(old)
    if not life.deprecated:
        return None, {}
    if life.sunset_invalid:
        return rules["sunset-invalid"], {"value": life.sunset_text or ""}
    if life.sunset is not None and life.sunset > today and "removed-before-sunset" in rules:
        return rules["removed-before-sunset"], {"sunset": life.sunset.isoformat()}
    return None, {}


STABILITY_INVALID = define(
    "api-invalid-stability-level", Level.BREAKING, "paths",
    message="{target}: x-stability-level {value} is not one of draft, alpha, beta, stable",
    impact="Clients and policy checks cannot tell how much {target} may be relied on.",
    why="The stability level decides which changes are allowed; one that cannot be read allows nothing.",
)  # fmt: skip
STABILITY_DECREASED = define(
    "api-stability-decreased", Level.BREAKING, "paths",
    message="{target}: x-stability-level lowered from {old} to {new}",
    impact="Integrators who built on {target} as {old} now use something that may change without notice.",
    why="A stability level is a promise about future changes; lowering it withdraws the promise.",
)  # fmt: skip
STABILITY_INCREASED = define(
    "api-stability-increased", Level.INFO, "paths",
    message="{target}: x-stability-level raised from {old} to {new}",
    impact="Nothing breaks: {target} now promises more stability.",
    why="Raising the stability level only adds a promise.",
)  # fmt: skip


def stability_findings(site: Site, old: Any, new: Any, *, target: str, pointer: str) -> list[Finding]:
    found: list[Finding] = []
    for node, where in ((new, pointer), (old, pointer)):
        life = read(node)
        if not life.stability_valid:
            value = str(node.get("x-stability-level"))
            found.append(
                site.finding(STABILITY_INVALID, where + "/x-stability-level", target=target, value=value)
            )
            return found
    was, now = read(old), read(new)
    if was.stability == now.stability or (was.stability is None and now.stability is None):
        return found
    old_rank, new_rank = stability_rank(was.stability), stability_rank(now.stability)
    shown = {"old": was.stability or "stable (unset)", "new": now.stability or "stable (unset)"}
    if new_rank < old_rank:
        found.append(
            site.finding(STABILITY_DECREASED, pointer + "/x-stability-level", target=target, **shown)
        )
    elif new_rank > old_rank:
        found.append(
            site.finding(STABILITY_INCREASED, pointer + "/x-stability-level", target=target, **shown)
        )
    return found
