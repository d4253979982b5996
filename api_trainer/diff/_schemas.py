"""Comparing two schemas after ``$ref`` resolution, lazily, with cycle detection and memoisation.

The comparison is split at every ``$ref``: the inline part of a schema pair is compared once per pair
of (old target, new target) and yields its own *changes* plus *edges* to the ref pairs below it. A
schema root (one operation's request body, response or parameter) then collects the changes of every
pair it reaches, breadth first, each pair at most once (so a recursive schema is walked once and a
change inside it is reported at its shallowest place). Pairs that reach no change are marked clean as
the graph is built, so that a spec diffed against itself, or the unchanged parts of two versions, cost
one walk in total and not one per operation.

Changes carry a *kind* (``property-removed``, ``enum-value-added``...) and the direction decides which
kinds apply: accepting more in a request or promising more in a response is safe; the reverse breaks.
The area modules turn kinds into the catalogue's rules.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..specs import Spec, split
from ._bounds import compare_bounds, compare_exclusive
from ._keywords import RESTRICTIONS, compare_keywords
from ._lifecycle import compare_lifecycle
from ._policy import Policy
from ._shapes import (
    MAX_ALLOF_DEPTH,
    ObjectView,
    Tokens,
    alt_name,
    alternatives_of,
    composes_ref,
    covers,
    declared_types,
    describe,
    effective_types,
    flagged,
    match_alternatives,
    show_value,
    signature,
    wrapped_member,
)

Direction = Literal["request", "response"]
PairKey = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One change between two schemas, located relative to the schema roots being compared.

    ``in_old`` says the change is a removal, located in OLD (``old_tokens``) rather than NEW. ``prop`` is
    the property path (``("data", "[]", "charges")``); ``component``/``component_prop`` name the innermost
    ``$ref`` target the change sits in, and the property path inside it.
    """

    kind: str
    new_tokens: Tokens
    old_tokens: Tokens
    prop: Tokens
    in_old: bool = False
    fields: tuple[tuple[str, str], ...] = ()
    component: str | None = None
    component_prop: Tokens = ()


@dataclass(frozen=True, slots=True)
class _Edge:
    new_tokens: Tokens
    old_tokens: Tokens
    prop: Tokens
    key: PairKey


@dataclass
class _Pair:
    component: str | None
    changes: list[SchemaChange] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)


def format_prop(prop: Tokens) -> str:
    """``("data", "[]", "charges")`` -> ``data[].charges``."""
    text = ""
    for token in prop:
        text += token if token in ("[]",) else (f".{token}" if text else token)
    return text


_OBJECT_KEYWORDS = ("properties", "allOf", "additionalProperties", "required")
#: removals located in OLD (what is gone is only there): the kind's stem before ``-removed``
_REMOVED_IN_OLD = frozenset(
    ("property", "optional-property", "any-of", "one-of", "not", "all-of", "prefix-items", *RESTRICTIONS)
)


class SchemaComparer:
    """Compares schema roots of one direction between two specs; reuse one comparer for a whole diff."""

    def __init__(self, old: Spec, new: Spec, direction: Direction, policy: Policy | None = None) -> None:
        self.old = old
        self.new = new
        self.direction = direction
        self.policy = policy or Policy()
        self._pairs: dict[PairKey, _Pair] = {}
        self._pending: dict[PairKey, tuple[Any, Any, str | None]] = {}
        self._parents: dict[PairKey, list[PairKey]] = {}
        self._dirty: set[PairKey] = set()
        self._collected: dict[PairKey, list[SchemaChange]] = {}

    # -- the public entry ---------------------------------------------------------------------------

    def compare(self, old_schema: Any, new_schema: Any) -> list[SchemaChange]:
        """Every change between two schema roots, located relative to them."""
        root = _Pair(None)
        key = self._child(old_schema, new_schema, (), (), (), root)
        if key is not None:
            cached = self._collected.get(key)
            if cached is None:
                self._explore([key])
                cached = self._collect(root)
                self._collected[key] = cached
            return cached
        self._explore([edge.key for edge in root.edges])
        return self._collect(root)

    # -- building the pair graph --------------------------------------------------------------------

    def _explore(self, keys: Iterable[PairKey]) -> None:
        stack = list(keys)
        while stack:
            key = stack.pop()
            if key in self._pairs:
                continue
            old_node, new_node, component = self._pending.pop(key)
            pair = _Pair(component)
            self._pairs[key] = pair
            self._compare_node(old_node, new_node, (), (), (), pair, 0)
            if pair.changes:
                self._mark_dirty(key)
            for edge in pair.edges:
                self._parents.setdefault(edge.key, []).append(key)
                if edge.key in self._dirty:
                    self._mark_dirty(key)
                elif edge.key not in self._pairs:
                    stack.append(edge.key)

    def _mark_dirty(self, key: PairKey) -> None:
        todo = [key]
        while todo:
            current = todo.pop()
            if current in self._dirty:
                continue
            self._dirty.add(current)
            todo.extend(self._parents.get(current, ()))

    def _collect(self, root: _Pair) -> list[SchemaChange]:
        found = list(root.changes)
        # Each queued edge carries the component it is inside and its property path from that component's
        # root: a pair of its own (a $ref) starts a component; an allOf wrapper stays in its parent's.
        queue: deque[tuple[_Edge, str | None, Tokens]] = deque(
            (e, None, ()) for e in root.edges if e.key in self._dirty
        )
        seen = {e.key for e, _, _ in queue}
        while queue:
            via, inside, prefix = queue.popleft()
            pair = self._pairs[via.key]
            if pair.component is not None:
                inside, prefix = pair.component, ()
            for change in pair.changes:
                found.append(
                    SchemaChange(
                        change.kind,
                        via.new_tokens + change.new_tokens,
                        via.old_tokens + change.old_tokens,
                        via.prop + change.prop,
                        change.in_old,
                        change.fields,
                        inside,
                        prefix + change.prop,
                    )
                )
            for edge in pair.edges:
                if edge.key in self._dirty and edge.key not in seen:
                    seen.add(edge.key)
                    step = _Edge(
                        via.new_tokens + edge.new_tokens,
                        via.old_tokens + edge.old_tokens,
                        via.prop + edge.prop,
                        edge.key,
                    )
                    queue.append((step, inside, prefix + edge.prop))
        return found

    def _child(
        self, old_raw: Any, new_raw: Any, nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
    ) -> PairKey | None:
        """Compare a child pair inline, or, across a ``$ref``, record an edge to it (returning its key)."""
        old_node, new_node = self.old.deref(old_raw), self.new.deref(new_raw)
        old_member, new_member = wrapped_member(old_node), wrapped_member(new_node)
        # An allOf that gained or lost members is compared as a whole, so that the membership change shows.
        regrouped = all(
            isinstance(x, dict) and isinstance(x.get("allOf"), list) for x in (old_node, new_node)
        ) and (len(old_node["allOf"]) != len(new_node["allOf"]))
        if (old_member is not None or new_member is not None) and not regrouped:
            # ``{allOf: [{$ref: X}], nullable: true}``: the wrapper's own flags belong to this schema, the
            # wrapped component is a pair of its own (so that its changes are X's, wherever it is used).
            self._compare_flags(old_node, new_node, nt, ot, prop, pair)
            if old_member is not None:
                old_raw, ot = old_member, (*ot, "allOf", "0")
            if new_member is not None:
                new_raw, nt = new_member, (*nt, "allOf", "0")
            old_node, new_node = self.old.deref(old_raw), self.new.deref(new_raw)
        old_ref, new_ref = Spec.ref_of(old_raw), Spec.ref_of(new_raw)
        # A composed ``allOf`` with a ``$ref`` in it is expanded inline by the object view, so it is a pair
        # too (of no component of its own): a cycle through it must meet the pair graph, not recurse.
        if old_ref is None and new_ref is None and not (composes_ref(old_node) or composes_ref(new_node)):
            self._compare_node(old_node, new_node, nt, ot, prop, pair, 0)
            return None
        key = (id(old_node), id(new_node))
        if key not in self._pairs and key not in self._pending:
            named = new_ref if new_ref is not None else old_ref
            self._pending[key] = (old_node, new_node, split(named)[-1] if named else None)
        pair.edges.append(_Edge(nt, ot, prop, key))
        return key

    # -- comparing one inline pair ------------------------------------------------------------------

    def _emit(self, pair: _Pair, kind: str, nt: Tokens, ot: Tokens, prop: Tokens, **fields: str) -> None:
        in_old = kind.endswith("-removed") and kind[: -len("-removed")] in _REMOVED_IN_OLD
        pair.changes.append(SchemaChange(kind, nt, ot, prop, in_old, tuple(fields.items())))

    def _compare_node(
        self, o: Any, n: Any, nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair, depth: int
    ) -> None:
        if not isinstance(o, dict) or not isinstance(n, dict):
            return  # boolean schemas (3.1) and junk: nothing to compare here
        request = self.direction == "request"
        o_types, _ = effective_types(self.old, o)
        n_types, _ = effective_types(self.new, n)
        alternatives = any(k in o or k in n for k in ("anyOf", "oneOf"))
        lopsided = any((k in o) != (k in n) for k in ("anyOf", "oneOf"))
        self._compare_flags(o, n, nt, ot, prop, pair)
        if not lopsided:  # else the side without alternatives is compared with each matching one
            if not alternatives:
                self._compare_types(o, n, o_types, n_types, nt, ot, prop, pair)
            self._compare_enums(o, n, nt, ot, prop, pair)
            if request:
                self._compare_request_only(o, n, nt, ot, prop, pair)
            elif "default" in o and "default" in n and o["default"] != n["default"]:
                old, new = show_value(o["default"]), show_value(n["default"])
                self._emit(pair, "default-value-changed", (*nt, "default"), ot, prop, old=old, new=new)
            compare_bounds(self, o, n, nt, ot, prop, pair)
            compare_exclusive(self, o, n, nt, ot, prop, pair)
            compare_keywords(self, o, n, nt, ot, prop, pair)
            self._compare_objects(o, n, nt, ot, prop, pair)
            if "items" in o and "items" in n:
                self._child(o["items"], n["items"], (*nt, "items"), (*ot, "items"), (*prop, "[]"), pair)
        if "oneOf" in n and "oneOf" not in o and "discriminator" not in n:
            self._check_one_of_wrapping(o, n, nt, ot, prop, pair)
        for keyword in ("anyOf", "oneOf"):
            if keyword in o or keyword in n:
                self._compare_alternatives(keyword, o, n, nt, ot, prop, pair, depth)

    def _check_one_of_wrapping(
        self, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
    ) -> None:
        """A schema that became ``oneOf`` of several alternatives of its own shape: a payload that fits
        more than one of them is invalid (oneOf means exactly one), and without a discriminator nothing
        keeps the old payloads to one alternative."""
        members = n.get("oneOf")
        if not isinstance(members, list):
            return
        shape = signature(o, self.old)
        alike = sum(1 for member in members if signature(member, self.new) == shape)
        if alike >= 2:
            self._emit(pair, "wrapped-in-one-of", (*nt, "oneOf"), ot, prop, count=str(alike))

    def _compare_flags(self, o: Any, n: Any, nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair) -> None:
        """nullable, readOnly and writeOnly: what a wrapper like ``{allOf: [$ref], nullable: true}`` adds."""
        if not isinstance(o, dict) or not isinstance(n, dict):
            return
        request = self.direction == "request"
        o_null, n_null = declared_types(o)[1], declared_types(n)[1]
        if request and o_null and not n_null:
            self._emit(pair, "became-not-nullable", nt, ot, prop)
        elif n_null and not o_null:  # safe in a request, breaking in a response: the rules say which
            self._emit(pair, "became-nullable", nt, ot, prop)
        if request and n.get("readOnly") is True and o.get("readOnly") is not True:
            self._emit(pair, "became-read-only", nt, ot, prop)
        elif not request and n.get("writeOnly") is True and o.get("writeOnly") is not True:
            self._emit(pair, "became-write-only", nt, ot, prop)

    def _compare_types(
        self, o: dict[str, Any], n: dict[str, Any], o_types: frozenset[str] | None,
        n_types: frozenset[str] | None, nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair,
    ) -> None:  # fmt: skip
        request = self.direction == "request"
        if o_types != n_types:
            accepting, accepted = (n_types, o_types) if request else (o_types, n_types)
            if not covers(accepting, accepted):
                self._emit(
                    pair, "type-changed", nt, ot, prop, old=describe(o, o_types), new=describe(n, n_types)
                )
            elif request:
                self._emit(
                    pair,
                    "type-generalized",
                    nt,
                    ot,
                    prop,
                    old=describe(o, o_types),
                    new=describe(n, n_types),
                )
            return
        o_format, n_format = o.get("format"), n.get("format")
        if o_format and n_format and o_format != n_format:
            self._emit(pair, "type-changed", nt, ot, prop, old=describe(o, o_types), new=describe(n, n_types))
        elif n_format and not o_format and request:
            self._emit(pair, "format-added", (*nt, "format"), ot, prop, new=str(n_format))
        elif o_format and not n_format and not request:
            self._emit(pair, "format-removed", nt, ot, prop, old=str(o_format))

    def _compare_enums(
        self, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
    ) -> None:
        o_open, n_open = o.get("x-extensible-enum"), n.get("x-extensible-enum")
        if isinstance(o_open, list) and isinstance(n_open, list) and self.direction == "request":
            # Zalando's x-extensible-enum (#112): readers must expect new values, so only a value a client
            # may send going away matters.
            gone = {show_value(v) for v in o_open} - {show_value(v) for v in n_open}
            for value in sorted(gone):
                self._emit(
                    pair, "x-extensible-enum-value-removed", (*nt, "x-extensible-enum"), ot, prop, value=value
                )
        o_enum, n_enum = o.get("enum"), n.get("enum")
        if not isinstance(n_enum, list):
            return
        enum_tokens = (*nt, "enum")
        if not isinstance(o_enum, list):
            if self.direction == "request":
                self._emit(
                    pair, "became-enum", enum_tokens, ot, prop, values=", ".join(map(show_value, n_enum))
                )
            return
        old_values = {show_value(v) for v in o_enum}
        new_values = {show_value(v) for v in n_enum}
        for value in sorted(old_values - new_values):
            self._emit(pair, "enum-value-removed", enum_tokens, ot, prop, value=value)
        for value in sorted(new_values - old_values):
            self._emit(pair, "enum-value-added", enum_tokens, ot, prop, value=value)

    def _compare_request_only(
        self, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
    ) -> None:
        if "default" in o and "default" in n and o["default"] != n["default"]:
            self._emit(
                pair,
                "default-value-changed",  # requests here; responses in _compare_node
                nt,
                ot,
                prop,
                old=show_value(o["default"]),
                new=show_value(n["default"]),
            )
        # An empty pattern matches every string: it is no restriction.
        o_pattern, n_pattern = o.get("pattern") or None, n.get("pattern") or None
        if n_pattern is not None and o_pattern is None:
            self._emit(pair, "pattern-added", nt, ot, prop, new=str(n_pattern))
        elif o_pattern is not None and n_pattern is None:
            self._emit(pair, "pattern-removed", nt, ot, prop, old=str(o_pattern))
        elif o_pattern != n_pattern:
            self._emit(pair, "pattern-changed", nt, ot, prop, old=str(o_pattern), new=str(n_pattern))

    def _compare_objects(
        self, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
    ) -> None:
        if not any(k in o or k in n for k in _OBJECT_KEYWORDS):
            return
        old_view = ObjectView.of(self.old, o, ot)
        new_view = ObjectView.of(self.new, n, nt)
        request = self.direction == "request"
        hidden = "readOnly" if request else "writeOnly"  # properties that never travel in this direction
        for name, (raw, tokens) in old_view.properties.items():
            if name in new_view.properties:
                continue
            if not flagged(self.old.deref(raw), hidden):
                # An optional output may be absent anyway: readers had to cope (a warning, not a break).
                optional = not request and name not in old_view.required
                kind = "optional-property-removed" if optional else "property-removed"
                self._emit(pair, kind, nt, tokens, (*prop, name))
        for name, (raw, tokens) in new_view.properties.items():
            if name in old_view.properties:
                continue
            if flagged(self.new.deref(raw), hidden):
                continue
            required = name in new_view.required
            if request:
                kind = "new-required-property" if required else "new-optional-property"
            else:
                kind = "required-property-added" if required else "optional-property-added"
            self._emit(pair, kind, tokens, ot, (*prop, name))
        for name, (new_raw, new_tokens) in new_view.properties.items():
            if name not in old_view.properties:
                continue
            old_raw, old_tokens = old_view.properties[name]
            was, now = name in old_view.required, name in new_view.required
            old_node, new_node = self.old.deref(old_raw), self.new.deref(new_raw)
            if flagged(old_node, hidden) and flagged(new_node, hidden):
                continue  # a readOnly property is never sent, a writeOnly one never returned
            if request and now and not was:
                self._emit(pair, "became-required", new_tokens, old_tokens, (*prop, name))
            elif was and not now:  # safe in a request, breaking in a response
                self._emit(pair, "became-optional", new_tokens, old_tokens, (*prop, name))
            if any(
                isinstance(x, dict) and ("deprecated" in x or "x-sunset" in x) for x in (old_node, new_node)
            ):
                compare_lifecycle(self, old_node, new_node, new_tokens, old_tokens, (*prop, name), pair)
            self._child(old_raw, new_raw, new_tokens, old_tokens, (*prop, name), pair)
        o_extra, n_extra = old_view.additional, new_view.additional
        if request and n_extra is False and o_extra is not False:
            self._emit(pair, "additional-properties-disallowed", (*new_view.additional_tokens,), ot, prop)
        if isinstance(o_extra, dict) and isinstance(n_extra, dict):
            self._child(
                o_extra, n_extra, new_view.additional_tokens, old_view.additional_tokens, (*prop, "*"), pair
            )

    def _compare_alternatives(
        self,
        keyword: str,
        o: dict[str, Any],
        n: dict[str, Any],
        nt: Tokens,
        ot: Tokens,
        prop: Tokens,
        pair: _Pair,
        depth: int,
    ) -> None:
        if depth > MAX_ALLOF_DEPTH:
            return
        stem = "any-of" if keyword == "anyOf" else "one-of"
        # A side without the keyword is one alternative: itself (a plain string that became "string or object").
        old_alts = alternatives_of(o, keyword, ot)
        new_alts = alternatives_of(n, keyword, nt)
        pairs, removed, added = match_alternatives(self.old, self.new, old_alts, new_alts)
        for (old_raw, old_tokens), (new_raw, new_tokens) in pairs:
            if old_raw is o or new_raw is n:
                self._compare_node(
                    self.old.deref(old_raw),
                    self.new.deref(new_raw),
                    new_tokens,
                    old_tokens,
                    prop,
                    pair,
                    depth + 1,
                )
            else:
                self._child(old_raw, new_raw, new_tokens, old_tokens, prop, pair)
        for _, old_tokens in removed:
            self._emit(
                pair,
                f"{stem}-removed",
                nt,
                old_tokens,
                prop,
                alternative=old_tokens[-1] if old_tokens else "",
            )
        for new_raw, new_tokens in added:
            self._emit(pair, f"{stem}-added", new_tokens, ot, prop, alternative=alt_name(new_raw, self.new))
