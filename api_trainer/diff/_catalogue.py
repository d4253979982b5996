"""The rule catalogue: every rule registers here when its area module is imported."""

from __future__ import annotations

from ._model import Level, Rule

_RULES: dict[str, Rule] = {}

AREAS = ("paths", "parameters", "request-body", "responses", "security", "webhooks")


def define(rule_id: str, level: Level, area: str, *, message: str, impact: str, why: str) -> Rule:
    """Create and register one rule; ids are unique across the catalogue."""
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r} for rule {rule_id}")
    if rule_id in _RULES:
        raise ValueError(f"rule id {rule_id!r} defined twice")
    rule = Rule(rule_id, level, area, message, impact, why)
    _RULES[rule_id] = rule
    return rule


def catalogue() -> tuple[Rule, ...]:
    """Every rule, grouped by area in the catalogue's order, then by id."""
    from . import (  # noqa: F401
        rules_lifecycle,
        rules_parameters,
        rules_paths,
        rules_request,
        rules_responses,
        rules_security,
        rules_webhooks,
    )

    return tuple(sorted(_RULES.values(), key=lambda r: (AREAS.index(r.area), r.id)))


def rule(rule_id: str) -> Rule:
    catalogue()
    return _RULES[rule_id]
