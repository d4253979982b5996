"""The shapes the schema comparison reads: types, object views through ``allOf``, alternatives, wrappers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..specs import Spec, escape, split

Tokens = tuple[str, ...]
MAX_ALLOF_DEPTH = 32

#: The numeric bounds both the rule catalogue and the comparison know: (keyword, rule-id stem, whether the
#: keyword is an upper bound, so that a smaller value is tighter).
BOUNDS = (
    ("maximum", "max", True),
    ("minimum", "min", False),
    ("maxLength", "max-length", True),
    ("minLength", "min-length", False),
    ("maxItems", "max-items", True),
    ("minItems", "min-items", False),
)


def show_value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@dataclass
class ObjectView:
    """An object schema's properties, required names and additionalProperties, merged through ``allOf``."""

    properties: dict[str, tuple[Any, Tokens]]
    required: set[str]
    additional: Any
    additional_tokens: Tokens

    @classmethod
    def of(cls, spec: Spec, node: dict[str, Any], tokens: Tokens) -> ObjectView:
        view = cls({}, set(), None, (*tokens, "additionalProperties"))

        def visit(current: Any, here: Tokens, depth: int) -> None:
            if not isinstance(current, dict) or depth > MAX_ALLOF_DEPTH:
                return
            properties = spec.deref(current.get("properties"))
            if isinstance(properties, dict):
                for name, sub in properties.items():
                    view.properties.setdefault(str(name), (sub, (*here, "properties", escape(str(name)))))
            required = current.get("required")
            if isinstance(required, list):
                view.required.update(str(r) for r in required)
            if "additionalProperties" in current and view.additional is None:
                view.additional = spec.deref(current["additionalProperties"])
                view.additional_tokens = (*here, "additionalProperties")
            members = current.get("allOf")
            if isinstance(members, list):
                for index, member in enumerate(members):
                    visit(spec.deref(member), (*here, "allOf", str(index)), depth + 1)

        visit(node, tokens, 0)
        return view


def flagged(node: Any, keyword: str) -> bool:
    return isinstance(node, dict) and node.get(keyword) is True


def composes_ref(node: Any) -> bool:
    members = node.get("allOf") if isinstance(node, dict) else None
    return isinstance(members, list) and any(Spec.ref_of(m) is not None for m in members)


_WRAPPER_SHAPE = ("properties", "items", "additionalProperties", "anyOf", "oneOf", "enum", "type")


def wrapped_member(node: Any) -> Any:
    """The ``$ref`` member of a pure wrapper ``{allOf: [{$ref: X}], nullable/description/...}``, else None."""
    if not isinstance(node, dict) or any(k in node for k in _WRAPPER_SHAPE):
        return None
    members = node.get("allOf")
    if isinstance(members, list) and len(members) == 1 and Spec.ref_of(members[0]) is not None:
        return members[0]
    return None


def declared_types(node: dict[str, Any]) -> tuple[frozenset[str] | None, bool]:
    declared = node.get("type")
    nullable = node.get("nullable") is True
    if isinstance(declared, str):
        return (frozenset() if declared == "null" else frozenset([declared])), nullable or declared == "null"
    if isinstance(declared, list):
        names = frozenset(str(t) for t in declared)
        return names - {"null"}, nullable or "null" in names
    return None, nullable


def effective_types(spec: Spec, node: dict[str, Any]) -> tuple[frozenset[str] | None, bool]:
    """The declared types, or what ``properties``/``items``/``allOf`` imply when ``type`` is absent."""
    types, nullable = declared_types(node)
    if types is not None:
        return types, nullable
    if "properties" in node or "additionalProperties" in node:
        return frozenset(["object"]), nullable
    if "items" in node:
        return frozenset(["array"]), nullable
    members = node.get("allOf")
    if isinstance(members, list):
        implied: set[str] = set()
        for member in members:
            resolved = spec.deref(member)
            member_types = declared_types(resolved)[0] if isinstance(resolved, dict) else None
            if member_types is None and isinstance(resolved, dict) and "properties" in resolved:
                member_types = frozenset(["object"])
            implied.update(member_types or ())
        return (frozenset(implied) or None), nullable
    return None, nullable


def covers(accepting: frozenset[str] | None, accepted: frozenset[str] | None) -> bool:
    """Whether every value of type set ``accepted`` is also one of ``accepting`` (None is any type)."""
    if accepting is None:
        return True
    if accepted is None:
        return False
    return all(t in accepting or (t == "integer" and "number" in accepting) for t in accepted)


def describe(node: dict[str, Any], types: frozenset[str] | None) -> str:
    text = "|".join(sorted(types)) if types else "any"
    fmt = node.get("format")
    return f"{text}/{fmt}" if isinstance(fmt, str) else text


def number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def bound(value: float | int | None) -> str:
    return "none" if value is None else show_value(value)


def alternatives_of(node: dict[str, Any], keyword: str, tokens: Tokens) -> list[tuple[Any, Tokens]]:
    members = node.get(keyword)
    if isinstance(members, list):
        return [(member, (*tokens, keyword, str(i))) for i, member in enumerate(members)]
    return [(node, tokens)]


def alt_name(raw: Any, spec: Spec) -> str:
    ref = Spec.ref_of(raw)
    if ref is not None:
        return split(ref)[-1]
    types, _ = declared_types(spec.deref(raw)) if isinstance(spec.deref(raw), dict) else (None, False)
    return "|".join(sorted(types)) if types else "schema"


def signature(raw: Any, spec: Spec) -> str:
    node = spec.deref(raw)
    if not isinstance(node, dict):
        return "any"
    types, _ = declared_types(node)
    if types is None and "properties" in node:
        types = frozenset(["object"])
    return "|".join(sorted(types)) if types else "any"


Alt = tuple[Any, Tokens]


def match_alternatives(
    old: Spec, new: Spec, old_alts: list[Alt], new_alts: list[Alt]
) -> tuple[list[tuple[Alt, Alt]], list[Alt], list[Alt]]:
    """Pair alternatives by ``$ref`` name first, then by type; the rest were removed or added."""
    pairs: list[tuple[Alt, Alt]] = []
    old_left, new_left = list(old_alts), list(new_alts)
    for keyer in (lambda raw, _: Spec.ref_of(raw), signature):
        for old_alt in list(old_left):
            key = keyer(old_alt[0], old)
            if key is None:
                continue
            match = next((a for a in new_left if keyer(a[0], new) == key), None)
            if match is not None:
                pairs.append((old_alt, match))
                old_left.remove(old_alt)
                new_left.remove(match)
    return pairs, old_left, new_left
