"""The seed's moves, read anywhere in the answer: requirements, a trade-off, how to know it works, what
fails and degrades, and whether it closes on an outcome. No sentence position is a gate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import _lexicon as lex
from ._text import Span, marker, words

# A number with a unit: "40,000 exports a day", "10,000 TPS", "99.99%", "2 billion events".
_QUANTITY = re.compile(
    r"(?<![a-z0-9])\d[\d,.]*\s*(?:%|(?:[a-z]+\s+)?(?:"
    + "|".join(re.escape(u) for u in lex.UNITS)
    + r")(?![a-z0-9]))"
)
_INSTRUMENT_PATTERNS = tuple(re.compile(p) for p in lex.INSTRUMENT_PATTERNS)
_REQUIREMENTS = tuple(marker(m) for m in lex.REQUIREMENTS)
_TRADE_OFF = tuple(marker(m) for m in lex.TRADE_OFF if m not in lex.TRADE_OFF_NEEDS_ACCEPTANCE)
_TRADE_OFF_WEAK = tuple(marker(m) for m in (*lex.TRADE_OFF_NEEDS_ACCEPTANCE, *lex.COST))
_ACCEPTABLE = tuple(marker(m) for m in lex.ACCEPTABLE)
_INSTRUMENT = tuple(marker(m) for m in lex.INSTRUMENT)
_FAILURE = tuple(marker(m) for m in lex.FAILURE_MODE)


@dataclass(frozen=True)
class Moves:
    """The seed's moves, each read anywhere in the answer (no sentence position is a gate)."""

    requirements: bool  # requirements or scoping surfaced
    trade_off: bool  # one trade-off named consciously
    instrumentation: bool  # how to know it works: a metric, an alert, a dashboard
    requirements_first: bool = False  # a requirement or scoping question before the first architecture choice
    failure_mode: bool = False  # what fails, what degrades gracefully, what the user sees then
    product_close: bool = False  # the last sentence lands on the developer, user or business outcome


def _any(span: Span, markers: tuple[tuple[str, ...], ...]) -> bool:
    return any(span.find(m) >= 0 for m in markers)


def is_requirement(span: Span, situation: frozenset[str] = frozenset()) -> bool:
    """A requirement or scoping sentence: a marker ("assuming", "constraints", "let's size it"), a question,
    a number with a unit ("430 million POSTs a day", "10,000 TPS and 99.99%"), or the situation's own
    constraints restated (three or more of its specific words: "partners start next month + the schema will
    change twice + enterprises want years of stability")."""
    if _any(span, _REQUIREMENTS) or span.text.rstrip().endswith("?"):
        return True
    if _QUANTITY.search(span.text.lower()) is not None:
        return True
    return len(situation & span.stem_set) >= 3


def is_instrumentation(span: Span) -> bool:
    plain = " ".join(words(span.text))
    return _any(span, _INSTRUMENT) or any(p.search(plain) for p in _INSTRUMENT_PATTERNS)


def is_trade_off(spans: list[Span], i: int) -> bool:
    """Sentence ``i`` names a trade-off in any wording ("the cost is", "we give up", "in exchange for").

    Words that also name plain costs ("costs", "an extra", "adds") count only with an acceptance after them,
    there or in the next sentence: "it adds a lookup, but that is cheap".
    """
    span = spans[i]
    if _any(span, _TRADE_OFF):
        return True
    weak = [at for at in (span.find(m) for m in _TRADE_OFF_WEAK) if at >= 0]
    if not weak:
        return False
    accepted_next = i + 1 < len(spans) and _any(spans[i + 1], _ACCEPTABLE)
    return accepted_next or any(span.find(m, min(weak) + 1) >= 0 for m in _ACCEPTABLE)


def is_failure_mode(span: Span) -> bool:
    return _any(span, _FAILURE)


def read_moves(
    spans: list[Span], architecture_at: int | None, outcome_last: bool, situation: frozenset[str]
) -> Moves:
    """``architecture_at``: the first sentence that commits to a design, if any; ``situation``: the
    scenario's specific words that its situation uses (restating them is scoping)."""
    first_half = spans[: max(1, (len(spans) + 1) // 2)]
    requirement_at = next((i for i, s in enumerate(spans) if is_requirement(s, situation)), None)
    return Moves(
        requirements=any(is_requirement(s, situation) for s in first_half),
        trade_off=any(is_trade_off(spans, i) for i in range(len(spans))),
        instrumentation=any(is_instrumentation(s) for s in spans),
        requirements_first=requirement_at is not None
        and (architecture_at is None or requirement_at <= architecture_at),
        failure_mode=any(is_failure_mode(s) for s in spans),
        product_close=outcome_last,
    )
