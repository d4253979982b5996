"""What every area's checks share: the operation being compared and turning changes into findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..specs import Spec
from ._model import Finding, Rule
from ._policy import Policy
from ._schemas import SchemaChange
from ._shapes import Tokens


@dataclass(frozen=True)
class Site:
    """One operation (or the whole API, with no method) and its JSON pointers in OLD and NEW."""

    old: Spec
    new: Spec
    method: str | None
    path: str | None
    old_pointer: str
    new_pointer: str
    #: Texts of schema changes already worded in this diff, by (change, target) identity: operations that
    #: share a schema root share its change objects, so each is worded once per target.
    texts: dict[tuple[int, int], _Texts] = field(default_factory=dict, compare=False, repr=False)
    policy: Policy = field(default_factory=Policy, compare=False)

    def at(self, method: str | None, path: str | None, old_pointer: str, new_pointer: str) -> Site:
        """The same diff at another operation (sharing the worded texts)."""
        return Site(self.old, self.new, method, path, old_pointer, new_pointer, self.texts, self.policy)

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


@dataclass(frozen=True, slots=True)
class _Texts:
    """A change worded for one target, with its rule (None: no rule of this area reports the kind)."""

    change: SchemaChange  # held, like the target below, so that their ids stay theirs while cached
    target: Callable[[Tokens], str]
    rule: Rule | None
    suffix: str = ""
    message: str = ""
    impact: str = ""
    component_message: str | None = None
    component_impact: str | None = None
    #: what ``seen`` holds for a change inside a component: the rule and the change as the component has it
    seen_key: tuple[str, str] | None = None

    @classmethod
    def skip(cls, change: SchemaChange, target: Callable[[Tokens], str]) -> _Texts:
        return cls(change, target, None)


def schema_findings(
    site: Site,
    changes: Iterable[SchemaChange],
    rules: Mapping[str, Rule],
    *,
    new_base: str,
    old_base: str,
    target: Callable[[Tokens], str],
    seen: set[tuple[str, str]] | None = None,
) -> list[Finding]:
    """Findings for a schema root's changes; kinds without a rule in ``rules`` are not reported here.

    With ``seen`` (one set per operation), a change of a shared component that was already reported for
    this operation through another root (its 400 response after its 200 one) is not reported again.
    """
    found: list[Finding] = []
    append = found.append
    operation, method, path, texts_cache = site.operation, site.method, site.path, site.texts
    cached, target_id = texts_cache.get, id(target)  # looked up once: 65,000 findings go through here
    for change in changes:
        key = (id(change), target_id)
        texts = cached(key)
        if texts is None or texts.change is not change or texts.target is not target:
            rule = rules.get(change.kind)
            texts = texts_cache[key] = (
                _word(change, rule, target) if rule is not None else _Texts.skip(change, target)
            )
        rule = texts.rule
        if rule is None:
            continue
        if seen is not None and texts.seen_key is not None:
            if texts.seen_key in seen:
                continue
            seen.add(texts.seen_key)
        append(
            Finding(  # positional, in field order: keyword arguments cost a third more on 65,000 findings
                rule.id,
                rule.level,
                operation,
                method,
                path,
                (old_base if change.in_old else new_base) + texts.suffix,
                texts.message,
                texts.impact,
                change.component,
                texts.component_message,
                texts.component_impact,
            )
        )
    return found


def _word(change: SchemaChange, rule: Rule, target: Callable[[Tokens], str]) -> _Texts:
    tokens = change.old_tokens if change.in_old else change.new_tokens
    fields = dict(change.fields)
    shown = target(change.prop)
    folded_message = folded_impact = None
    if change.component is not None:
        inside = target((change.component, *change.component_prop))
        folded_message = rule.message.format(target=inside, **fields)
        folded_impact = rule.impact.format(target=inside, **fields)
    return _Texts(
        change,
        target,
        rule,
        "/" + "/".join(tokens) if tokens else "",
        rule.message.format(target=shown, **fields),
        rule.impact.format(target=shown, **fields),
        folded_message,
        folded_impact,
        (rule.id, folded_message) if folded_message is not None else None,
    )


def deprecated(operation: Mapping[str, Any]) -> bool:
    """Deprecated, or announced with a sunset date."""
    return operation.get("deprecated") is True or "x-sunset" in operation


#: media types whose body is text whatever the schema says: an object and a string read the same bytes
_TEXTUAL = ("application/xml", "text/")


def loosely_typed(media_type: str, changes: Iterable[SchemaChange], *, request: bool) -> list[SchemaChange]:
    """Root type changes of an XML or text body between object and string: the payload is the same
    text, so a request that now takes a string, or a response that now describes its text as an object,
    changes nothing on the wire (oasdiff calls it "loosely typed compatible")."""
    textual = media_type.startswith(_TEXTUAL) or media_type.endswith("+xml")
    result: list[SchemaChange] = []
    for change in changes:
        if textual and change.kind == "type-changed" and not change.prop:
            fields = dict(change.fields)
            old, new = fields.get("old", "").split("/")[0], fields.get("new", "").split("/")[0]
            if (old, new) == (("object", "string") if request else ("string", "object")):
                change = replace(change, kind="type-compatible")
        result.append(change)
    return result
