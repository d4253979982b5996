"""What every area's checks share: the operation being compared and turning changes into findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..specs import Spec
from ._model import Finding, Rule
from ._schemas import SchemaChange, Tokens


@dataclass(frozen=True)
class Site:
    """One operation (or the whole API, with no method) and its JSON pointers in OLD and NEW."""

    old: Spec
    new: Spec
    method: str | None
    path: str | None
    old_pointer: str
    new_pointer: str

    @property
    def operation(self) -> str | None:
        return f"{self.method} {self.path}" if self.method else None

    def finding(
        self,
        rule: Rule,
        location: str,
        *,
        target: str,
        component: str | None = None,
        component_message: str | None = None,
        **fields: str,
    ) -> Finding:
        return Finding(
            id=rule.id,
            level=rule.level,
            operation=self.operation,
            method=self.method,
            path=self.path,
            location=location,
            message=rule.message.format(target=target, **fields),
            impact=rule.impact.format(target=target, **fields),
            component=component,
            component_message=component_message,
        )


def schema_findings(
    site: Site,
    changes: Iterable[SchemaChange],
    rules: Mapping[str, Rule],
    *,
    new_base: str,
    old_base: str,
    target: Callable[[Tokens], str],
) -> list[Finding]:
    """Findings for a schema root's changes; kinds without a rule in ``rules`` are not reported here."""
    found: list[Finding] = []
    for change in changes:
        rule = rules.get(change.kind)
        if rule is None:
            continue
        base, tokens = (old_base, change.old_tokens) if change.in_old else (new_base, change.new_tokens)
        location = base + "/" + "/".join(tokens) if tokens else base
        fields = dict(change.fields)
        folded = None
        if change.component is not None:
            folded = rule.message.format(target=target((change.component, *change.component_prop)), **fields)
        found.append(
            site.finding(
                rule,
                location,
                target=target(change.prop),
                component=change.component,
                component_message=folded,
                **fields,
            )
        )
    return found


def deprecated(operation: Mapping[str, Any]) -> bool:
    """Deprecated, or announced with a sunset date."""
    return operation.get("deprecated") is True or "x-sunset" in operation
