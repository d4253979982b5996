"""Bounds: numeric, length, item and ``contains`` counts, exclusive ones in both their forms.

A bound tightened on what clients send rejects requests that were valid; one loosened on what a server
returns lets through values readers never saw. A bound set where there was none is its own kind
(``max-set``): the values clients sent were not bounded, so how many now fail is unknown. Likewise a
response bound removed altogether (``max-unset``) more often means the spec stopped stating it than that
values grew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._shapes import BOUNDS, Tokens, bound, number

if TYPE_CHECKING:
    from ._schemas import SchemaComparer, _Pair

#: the 2020-12 count bounds of ``contains`` and the exclusive bounds: (keyword, stem, is an upper bound)
COUNT_BOUNDS = (
    ("maxContains", "max-contains", True),
    ("minContains", "min-contains", False),
    ("exclusiveMaximum", "exclusive-max", True),
    ("exclusiveMinimum", "exclusive-min", False),
)
ALL_BOUNDS = (*BOUNDS, *COUNT_BOUNDS)
_KEYWORDS = frozenset(keyword for keyword, _, _ in ALL_BOUNDS)
#: lower bounds whose absence is no bound at all (a missing ``minLength`` is 0, a missing ``minimum`` is
#: none); ``minContains`` defaults to 1 but only counts beside ``contains``, so it is read as written
_NO_ZERO_FLOOR = frozenset(("minimum", "exclusiveMinimum", "minContains"))
_EXCLUSIVE = frozenset(("exclusiveMaximum", "exclusiveMinimum"))


def compare_bounds(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    if _KEYWORDS.isdisjoint(o) and _KEYWORDS.isdisjoint(n):
        return
    for keyword, stem, smaller_is_tighter in ALL_BOUNDS:
        old_bound, new_bound = number(o.get(keyword)), number(n.get(keyword))
        if not smaller_is_tighter and keyword not in _NO_ZERO_FLOOR:
            old_bound, new_bound = old_bound or 0, new_bound or 0
        if old_bound == new_bound:
            continue
        if smaller_is_tighter:
            tightened = new_bound is not None and (old_bound is None or new_bound < old_bound)
            kind = f"{stem}-decreased" if tightened else f"{stem}-increased"
        else:
            tightened = new_bound is not None and (old_bound is None or new_bound > old_bound)
            kind = f"{stem}-increased" if tightened else f"{stem}-decreased"
        if tightened and old_bound is None:
            kind = f"{stem}-set"
        elif not tightened and new_bound is None and c.direction == "response":
            kind = f"{stem}-unset"
        c._emit(pair, kind, (*nt, keyword), ot, prop, old=bound(old_bound), new=bound(new_bound))


def compare_exclusive(
    c: SchemaComparer, o: dict[str, Any], n: dict[str, Any], nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    """3.0's boolean ``exclusiveMinimum: true`` (which makes ``minimum`` exclusive) turned on or off with
    the same bound; 3.1's numeric form is a bound of its own (``COUNT_BOUNDS``)."""
    if _EXCLUSIVE.isdisjoint(o) and _EXCLUSIVE.isdisjoint(n):
        return
    for keyword, base, stem, upper in (
        ("exclusiveMaximum", "maximum", "exclusive-max", True),
        ("exclusiveMinimum", "minimum", "exclusive-min", False),
    ):
        old_flag, new_flag = o.get(keyword) is True, n.get(keyword) is True
        value = number(n.get(base))
        if old_flag == new_flag or value is None or number(o.get(base)) != value:
            continue
        tighter = f"{stem}-decreased" if upper else f"{stem}-increased"
        looser = f"{stem}-increased" if upper else f"{stem}-decreased"
        c._emit(
            pair, tighter if new_flag else looser, (*nt, keyword), ot, prop,
            old=f"{bound(value)}{' (exclusive)' if old_flag else ''}",
            new=f"{bound(value)}{' (exclusive)' if new_flag else ''}",
        )  # fmt: skip
