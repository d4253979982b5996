"""Text analysis for the grader: sentences, clauses, stems and negation-aware phrase matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*•]\s+")
# Negation scope ends at a clause: "X is safer because keys never collide" does not negate X.
_CLAUSE_SPLIT = re.compile(
    r";|:|,\s*(?:but|although|though|whereas|while|so|which)\b|\b(?:but|although|whereas|because|since)\b"
)
_CONTRACTIONS = (
    ("can't", "can not"),
    ("cannot", "can not"),
    ("won't", "will not"),
    ("n't", " not"),
    ("’", "'"),
)

NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "none", "nothing", "nobodi"})
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "we",
        "i",
        "you",
        "they",
        "he",
        "she",
        "our",
        "your",
        "their",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "as",
        "at",
        "so",
        "because",
        "which",
        "who",
        "what",
        "when",
        "if",
        "then",
        "than",
        "and",
        "or",
        "but",
        "not",
        "no",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "there",
        "here",
        "them",
        "us",
        "my",
        "me",
    ]
)
# Words that carry no meaning for matching a phrase (kept out of phrase stems).
_MAX_GAP = 3
# After a phrase, a negator negates it only as part of a predicate: an auxiliary before it ("X is not
# safe", "X does not work") or a negator that is a predicate by itself ("X never works").
_PREDICATE_WINDOW = 3
AUXILIARIES = frozenset(  # as stems: "does" stems to "doe"
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "doe",
        "do",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "has",
        "have",
        "had",
    ]
)
_SELF_PREDICATING = frozenset({"never"})
_PHRASE_STOP = FUNCTION_WORDS - {"not", "no", "never", "without"}


def _normalise(text: str) -> str:
    text = text.lower()
    for old, new in _CONTRACTIONS:
        text = text.replace(old, new)
    return text


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    return _WORD.findall(_normalise(text).replace("-", " "))


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def sentences(text: str) -> list[str]:
    parts = [p.strip(" \t\n-*•") for p in _SENTENCE_END.split(text.strip())]
    return [" ".join(p.split()) for p in parts if p and _WORD.search(p.lower())]


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(_normalise(sentence)) if c.strip()]


@dataclass(frozen=True)
class Phrase:
    """A phrase reduced to the stems that must co-occur, and how many negations it carries itself."""

    text: str
    needed: frozenset[str]
    sequence: tuple[str, ...]
    negations: int


@lru_cache(maxsize=4096)
def phrase(text: str) -> Phrase:
    tokens = words(text)
    sequence = tuple(stem(w) for w in tokens if w not in _PHRASE_STOP) or tuple(stem(w) for w in tokens)
    negations = sum(1 for w in tokens if stem(w) in NEGATORS)
    return Phrase(text, frozenset(sequence), sequence, negations)


@lru_cache(maxsize=4096)
def marker(text: str) -> tuple[str, ...]:
    """A lexicon marker as the contiguous stems it must match (function words kept: "so that")."""
    return tuple(stem(w) for w in words(text))


@dataclass(frozen=True)
class Span:
    """A sentence or clause with its stems, analysed once and matched against many phrases."""

    text: str
    stem_list: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Span:
        return cls(text, tuple(stems(text)))

    @property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stem_list)

    def has(self, p: Phrase) -> bool:
        """All the phrase's content stems occur in the span, in any order (rubric concepts)."""
        return p.needed <= self.stem_set

    def has_in_order(self, p: Phrase) -> bool:
        """The phrase's content stems occur in order, at most ``_MAX_GAP`` words apart (claims, options)."""
        return self.match(p) is not None

    def match(self, p: Phrase) -> tuple[int, int] | None:
        """Token positions of the first and last stem of the phrase's first in-order match, if any."""
        if not p.needed <= self.stem_set:
            return None
        tokens = self.stem_list
        for start, token in enumerate(tokens):
            if token != p.sequence[0]:
                continue
            position, matched = start, 1
            while matched < len(p.sequence):
                window = tokens[position + 1 : position + 2 + _MAX_GAP]
                if p.sequence[matched] not in window:
                    break
                position += 1 + window.index(p.sequence[matched])
                matched += 1
            if matched == len(p.sequence):
                return start, position
        return None

    def asserts(self, p: Phrase) -> bool:
        """The span states the phrase (in order) and is not negated relative to it.

        Negators before the phrase or inside it count. After it, only a predicate negation counts
        ("X is not safe", "X never works"); a contrast does not ("send 429, not 503" asserts 429).
        """
        found = self.match(p)
        if found is None:
            return False
        end = found[1]
        negations = sum(1 for s in self.stem_list[: end + 1] if s in NEGATORS)
        after = self.stem_list[end + 1 : end + 1 + _PREDICATE_WINDOW]
        for i, s in enumerate(after):
            if s in NEGATORS:
                comparative = after[i + 1 : i + 2] == ("wors",)  # "X is no worse" vouches for X
                if not comparative and (s in _SELF_PREDICATING or any(a in AUXILIARIES for a in after[:i])):
                    negations += 1
                break
        return (negations - p.negations) % 2 == 0

    def denies(self, p: Phrase) -> bool:
        return self.has_in_order(p) and not self.asserts(p)

    def find(self, m: tuple[str, ...], start: int = 0) -> int:
        """Position of the stem sequence ``m`` (contiguous) from ``start`` on, or -1."""
        tokens, n = self.stem_list, len(m)
        for i in range(start, len(tokens) - n + 1):
            if tokens[i : i + n] == m:
                return i
        return -1

    def has_marker(self, text: str) -> bool:
        """A lexicon marker, matched by stems and contiguous: "requirements" counts for "requirement"."""
        return self.find(marker(text)) >= 0

    def contains_text(self, marker: str) -> bool:
        """Whole-word containment of a multi-word marker in the normalised text."""
        text = _normalise(self.text).replace("-", " ")
        return re.search(rf"(?<![a-z0-9]){re.escape(marker)}(?![a-z0-9])", text) is not None
