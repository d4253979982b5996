"""The JSON Schema keywords beyond objects, arrays, alternatives and bounds: ``const``,
``contains``, ``prefixItems``, ``if``/``then``/``else``, ``dependent*``, ``unevaluated*``,
``patternProperties``, ``propertyNames``, ``content*``, ``not`` and ``allOf`` membership.

Each restricting keyword follows one reading: a restriction added to what a client sends rejects requests
that were valid (breaking), one removed from what a server returns lets through values clients never saw
(breaking); the other two directions are safe. A changed value (``const: a`` -> ``const: b``) breaks both.
Subschemas (``contains``, ``propertyNames``, ``if``/``then``/``else``, a pattern's schema...) are entered
and compared like any other schema. ``not`` is the one keyword whose inside reads backwards (tightening
the negated schema accepts more), so a change inside it is a warning to check by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..specs import Spec, escape, split
from ._shapes import Tokens, show_value

if TYPE_CHECKING:
    from ._schemas import SchemaComparer, _Pair

#: keywords whose value is one subschema, entered when both sides have it: (keyword, rule-id stem)
SUBSCHEMAS = (
    ("contains", "contains"),
    ("propertyNames", "property-names"),
    ("if", "if"),
    ("then", "then"),
    ("else", "else"),
    ("contentSchema", "content-schema"),
    ("unevaluatedProperties", "unevaluated-properties"),
    ("unevaluatedItems", "unevaluated-items"),
)
#: keywords holding a map of name -> subschema, compared per name: (keyword, rule-id stem)
SCHEMA_MAPS = (("patternProperties", "pattern-property"), ("dependentSchemas", "dependent-schema"))
#: keywords whose value a payload must equal or carry: a change breaks both directions
VALUES = (("contentMediaType", "content-media-type"), ("contentEncoding", "content-encoding"))
#: every stem that is added/removed (restricting when added), for the rule catalogue
RESTRICTIONS = ("const", *(stem for _, stem in SUBSCHEMAS), *(stem for _, stem in SCHEMA_MAPS))
#: every keyword ``compare_keywords`` reads: a pair of schemas with none of them is skipped at once
_READ = frozenset(
    (
        "const", "dependentRequired", "prefixItems", "not", "allOf",
        *(k for k, _ in SUBSCHEMAS), *(k for k, _ in SCHEMA_MAPS), *(k for k, _ in VALUES),
    )
)  # fmt: skip
_ANNOTATIONS = frozenset(
    ("description", "title", "example", "examples", "deprecated", "externalDocs", "$comment", "xml")
)


def compare_keywords(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    if _READ.isdisjoint(o) and _READ.isdisjoint(n):
        return
    if "const" in o or "const" in n:
        _compare_const(c, o, n, nt, ot, prop, pair)
    for keyword, stem in SUBSCHEMAS:
        if keyword in o or keyword in n:
            _restriction(c, stem, o.get(keyword), n.get(keyword), (*nt, keyword), (*ot, keyword), prop, pair)
    for keyword, stem in SCHEMA_MAPS:
        old_map, new_map = c.old.deref(o.get(keyword)), c.new.deref(n.get(keyword))
        old_map = old_map if isinstance(old_map, dict) else {}
        new_map = new_map if isinstance(new_map, dict) else {}
        for key in sorted(set(old_map) | set(new_map), key=str):
            token = escape(str(key))
            _restriction(
                c, stem, old_map.get(key), new_map.get(key),
                (*nt, keyword, token), (*ot, keyword, token), prop, pair, name=str(key),
            )  # fmt: skip
    if "dependentRequired" in o or "dependentRequired" in n:
        _compare_dependent_required(c, o, n, nt, ot, prop, pair)
    for keyword, stem in VALUES:
        if o.get(keyword) != n.get(keyword):
            old, new = o.get(keyword), n.get(keyword)
            c._emit(pair, f"{stem}-changed", (*nt, keyword), ot, prop, old=_shown(old), new=_shown(new))
    if "prefixItems" in o or "prefixItems" in n:
        _compare_prefix_items(c, o, n, nt, ot, prop, pair)
    if "not" in o or "not" in n:
        _compare_not(c, o, n, nt, ot, prop, pair)
    if "allOf" in o and "allOf" in n:
        _compare_all_of(c, o, n, nt, ot, prop, pair)


def _shown(value: Any) -> str:
    return "none" if value is None else show_value(value)


def _compare_const(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    tokens = (*nt, "const")
    if "const" in o and "const" in n:
        if show_value(o["const"]) != show_value(n["const"]):
            c._emit(pair, "const-changed", tokens, ot, prop, old=_shown(o["const"]), new=_shown(n["const"]))
    elif "const" in n:
        c._emit(pair, "const-added", tokens, ot, prop, value=_shown(n["const"]))
    else:
        c._emit(pair, "const-removed", nt, (*ot, "const"), prop, value=_shown(o["const"]))


def _restriction(
    c: SchemaComparer, stem: str, old: Any, new: Any, nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair,
    *, name: str = "",
) -> None:  # fmt: skip
    """A keyword holding a subschema (or ``false``): added, removed, or both there and compared."""
    label = f" '{name}'" if name else ""
    old, new = (None if old is True else old), (None if new is True else new)  # ``true`` allows anything
    if old is None and new is not None:
        c._emit(pair, f"{stem}-added", nt, ot, prop, name=label)
    elif new is None and old is not None:
        c._emit(pair, f"{stem}-removed", nt, ot, prop, name=label)
    elif old is not None and new is not None:
        if isinstance(old, bool) or isinstance(new, bool):  # both ``false`` here, or false against a schema
            if old is not new:
                kind = f"{stem}-added" if new is False else f"{stem}-removed"
                c._emit(pair, kind, nt, ot, prop, name=label)
            return
        c._child(old, new, nt, ot, prop, pair)


def _compare_dependent_required(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    old_map, new_map = o.get("dependentRequired"), n.get("dependentRequired")
    old_map = old_map if isinstance(old_map, dict) else {}
    new_map = new_map if isinstance(new_map, dict) else {}
    for key in sorted(set(old_map) | set(new_map), key=str):
        nk, ok = (*nt, "dependentRequired", escape(str(key))), (*ot, "dependentRequired", escape(str(key)))
        old_names, new_names = old_map.get(key), new_map.get(key)
        if old_names is None:
            c._emit(pair, "dependent-required-added", nk, ot, prop, name=str(key), new=_shown(new_names))
        elif new_names is None:
            c._emit(pair, "dependent-required-removed", nt, ok, prop, name=str(key), old=_shown(old_names))
        elif sorted(map(str, old_names)) != sorted(map(str, new_names)):
            c._emit(
                pair, "dependent-required-changed", nk, ok, prop,
                name=str(key), old=_shown(old_names), new=_shown(new_names),
            )  # fmt: skip


def _compare_prefix_items(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    """Position by position: element i is checked by ``prefixItems[i]``, or by ``items`` past the prefix
    (2020-12), so removing a prefix makes ``items`` apply to the first elements too."""
    old_prefix, new_prefix = o.get("prefixItems"), n.get("prefixItems")
    old_prefix = old_prefix if isinstance(old_prefix, list) else []
    new_prefix = new_prefix if isinstance(new_prefix, list) else []
    for index in range(max(len(old_prefix), len(new_prefix))):
        old_raw, old_tokens = _position(o, old_prefix, index, ot)
        new_raw, new_tokens = _position(n, new_prefix, index, nt)
        if old_raw is None or new_raw is None:
            kind = "prefix-items-added" if old_raw is None else "prefix-items-removed"
            if new_raw is not None or old_raw is not None:
                c._emit(pair, kind, new_tokens, old_tokens, prop, name=f" [{index}]")
            continue
        c._child(old_raw, new_raw, new_tokens, old_tokens, (*prop, f"[{index}]"), pair)


def _position(node: dict[str, Any], prefix: list[Any], index: int, tokens: Tokens) -> tuple[Any, Tokens]:
    if index < len(prefix):
        return prefix[index], (*tokens, "prefixItems", str(index))
    items = node.get("items")
    return (items if isinstance(items, dict) else None), (*tokens, "items")


def _compare_not(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    old, new = o.get("not"), n.get("not")
    if old is None:
        c._emit(pair, "not-added", (*nt, "not"), ot, prop)
    elif new is None:
        c._emit(pair, "not-removed", nt, (*ot, "not"), prop)
    elif _canonical(c.old, old) != _canonical(c.new, new):
        c._emit(pair, "not-changed", (*nt, "not"), (*ot, "not"), prop)


def _canonical(spec: Spec, node: Any, depth: int = 0) -> str:
    """A schema as text with its ``$ref`` chains followed (a few levels: enough to compare a ``not``)."""
    node = spec.deref(node)
    if depth > 8:
        return "..."
    if isinstance(node, dict):
        return "{" + ",".join(f"{k}:{_canonical(spec, v, depth + 1)}" for k, v in sorted(node.items())) + "}"
    if isinstance(node, list):
        return "[" + ",".join(_canonical(spec, v, depth + 1) for v in node) + "]"
    return show_value(node)


def _compare_all_of(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    """A member added to (or removed from) ``allOf``: every member must hold, so a new one restricts.

    Members are matched by their ``$ref`` name, and inline ones by position among the inline ones; a
    member that only annotates (a description, an example) constrains nothing and is not reported.
    """
    if not (isinstance(o.get("allOf"), list) and isinstance(n.get("allOf"), list)):
        return  # moving properties into an allOf (or out of one) is compared property by property
    old_members, new_members = _members(c.old, o.get("allOf")), _members(c.new, n.get("allOf"))
    for key, (raw, index) in new_members.items():
        if key not in old_members and _constrains(c.new, raw):
            c._emit(pair, "all-of-added", (*nt, "allOf", str(index)), ot, prop, name=_member_name(raw))
    for key, (raw, index) in old_members.items():
        if key not in new_members and _constrains(c.old, raw):
            c._emit(pair, "all-of-removed", nt, (*ot, "allOf", str(index)), prop, name=_member_name(raw))


def _members(spec: Spec, members: Any) -> dict[str, tuple[Any, int]]:
    found: dict[str, tuple[Any, int]] = {}
    inline = 0
    for index, raw in enumerate(members if isinstance(members, list) else []):
        ref = Spec.ref_of(raw)
        if ref is not None:
            found[f"ref:{ref}"] = (raw, index)
        else:
            found[f"inline:{inline}"] = (raw, index)
            inline += 1
    return found


def _member_name(raw: Any) -> str:
    ref = Spec.ref_of(raw)
    return split(ref)[-1] if ref is not None else "(inline schema)"


def _constrains(spec: Spec, raw: Any) -> bool:
    node = spec.deref(raw)
    return isinstance(node, dict) and any(k not in _ANNOTATIONS and not k.startswith("x-") for k in node)
