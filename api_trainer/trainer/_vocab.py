"""What grounds an answer in its scenario, and what is a list of terms rather than an explanation.

Grounding: the words of a scenario (its situation, snippet, options, rubric and reference) that are rare
across the bundled pack are its specifics: its mechanism, its numbers, its actors. An answer that uses none
of them engages with no scenario in particular, however polished it reads.

Lists: a run of short comma-separated items ("trust, revenue, retention, churn") names terms without
saying how one leads to another. Such runs are cut from the text the rubric is matched on, and an answer
made mostly of them is not prose.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ._model import Scenario
from ._text import FUNCTION_WORDS, stem, words

# A stem in more than this share of the bundled scenarios is common API talk, not a scenario's specific.
_COMMON_SHARE = 0.4
# A stem in the explanations (references, hints, example answers) of this share of the bundled scenarios is
# ordinary English for this domain: it grounds nothing, however rarely a situation uses it.
_ORDINARY_SHARE = 0.15
# Words that never ground an answer, however rare they are in the pack: the vocabulary of every answer.
_GENERIC_WORDS = (
    "developer user customer merchant business team product company platform api apis endpoint service "
    "system data time cost costs money revenue trust support ticket churn retention experience outcome "
    "contract integration integrate client clients request response value good bad better worse simple "
    "safe fast slow easy hard clear predictable reliable reliability stable risk trade off metric track "
    "watch measure rate number way thing people one two three first second new old same different "
    "make made get got keep take use used need want would could should will can also just really very "
    "more less most least lot much many every each any all some other such only even still"
)
_GENERIC = frozenset(stem(w) for w in _GENERIC_WORDS.split()) | frozenset(stem(w) for w in FUNCTION_WORDS)
_ITEM_SPLIT = re.compile(r"[,;:()/\[\]]")
_SHORT_ITEM = 3  # words
_LIST_RUN = 4  # short items in a row make a list


def _scenario_text(s: Scenario) -> str:
    """Where a scenario's specifics are: what the learner reads (situation, snippet, options) and the
    mechanism words of its rubric. Not its prose (reference, hints, labels): that is ordinary English."""
    parts = [s.title, s.situation, s.snippet]
    parts += [o.text for o in s.options] + [p for o in s.options for p in o.phrases]
    parts += [p for c in s.concepts for p in c.phrases]
    return "\n".join(parts)


_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    """Numbers of two digits or more, commas dropped: "10,000" and "10000" are one number."""
    return {
        n.replace(",", "") for n in _NUMBER.findall(text) if len(n.replace(",", "").replace(".", "")) >= 2
    }


def _content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) > 1 and not w.isdigit()} - _GENERIC


def _prose_text(s: Scenario) -> str:
    """A scenario's explanations: how people write about it, in ordinary words."""
    return "\n".join([s.prompt, s.question, s.reference, *s.hints, *(c.answer for c in s.calibration)])


@lru_cache(maxsize=1)
def _pack_frequency() -> tuple[Counter[str], int, frozenset[str]]:
    """How many bundled scenarios use each content stem in their specifics, and the stems that are ordinary
    English here: used in the explanations of at least ``_ORDINARY_SHARE`` of the bundled scenarios
    ("give", "build", "long", "start"). Loaded once, on the first grade."""
    from ._loader import load_pack

    pack = load_pack()
    counts: Counter[str] = Counter()
    prose: Counter[str] = Counter()
    for s in pack:
        counts.update(_content_stems(_scenario_text(s)))
        prose.update(_content_stems(_prose_text(s)))
    ordinary = frozenset(t for t, n in prose.items() if n >= _ORDINARY_SHARE * len(pack))
    return counts, len(pack), ordinary


_SPECIFIC: dict[tuple[str, str], dict[str, float]] = {}


def specificity(scenario: Scenario) -> dict[str, float]:
    """The scenario's specifics as stems, each weighted by how rare it is in the pack (inverse document
    frequency): "v1alpha1" weighs more than "idempotency", which weighs more than nothing at all."""
    key = (scenario.id, str(scenario.path))
    if key not in _SPECIFIC:
        counts, total, ordinary = _pack_frequency()
        limit = max(2, int(_COMMON_SHARE * total))
        _SPECIFIC[key] = {
            t: math.log((total + 1) / (counts[t] + 1))
            for t in _content_stems(_scenario_text(scenario)) - ordinary
            if counts[t] <= limit
        }
    return _SPECIFIC[key]


def specific_stems(scenario: Scenario) -> frozenset[str]:
    return frozenset(specificity(scenario))


@dataclass(frozen=True)
class Unlisted:
    """A sentence with its lists of terms cut out, and how many of its words those lists held."""

    text: str
    listed_words: int
    total_words: int


def cut_lists(sentence: str) -> Unlisted:
    """Remove runs of at least ``_LIST_RUN`` short items: what is left is what the sentence explains."""
    label, colon, rest = sentence.partition(":")
    if colon and len(words(label)) <= _SHORT_ITEM:
        # "Requirements: a, b, c, d": the label before the colon says what the list is; it stays.
        inner = cut_lists(rest)
        return Unlisted(f"{label}: {inner.text}", inner.listed_words, inner.total_words + len(words(label)))
    items = _ITEM_SPLIT.split(sentence)
    short = [0 < len(words(item)) <= _SHORT_ITEM for item in items]
    keep = [True] * len(items)
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and short[j]:
            j += 1
        if j - i >= _LIST_RUN:
            for k in range(i, j):
                keep[k] = False
        i = max(j, i + 1)
    listed = sum(len(words(item)) for item, kept in zip(items, keep, strict=True) if not kept)
    text = ", ".join(item.strip() for item, kept in zip(items, keep, strict=True) if kept and item.strip())
    return Unlisted(text, listed, len(words(sentence)))


_NUMBER_WEIGHT = 2.0  # a number quoted from the situation is as specific as a rare word


def grounding_weight(scenario: Scenario, used: tuple[str, ...]) -> float:
    """How much of this scenario (and no other) the used specifics show: their summed rarity."""
    weights = specificity(scenario)
    return sum(weights.get(t, _NUMBER_WEIGHT) for t in used)


def grounding(scenario: Scenario, texts: list[str]) -> tuple[str, ...]:
    """The scenario's specifics the answer uses (stems, and its numbers), in the order they first appear."""
    specific = specificity(scenario)
    numbers = _numbers(scenario.situation + "\n" + scenario.snippet)
    seen: dict[str, None] = {}
    for text in texts:
        for w in words(text):
            t = stem(w)
            if t in specific and len(t) > 2:
                seen.setdefault(t, None)
        for n in _numbers(text) & numbers:
            seen.setdefault(n, None)
    return tuple(seen)
