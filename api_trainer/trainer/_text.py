"""Text analysis for the grader: sentences, clauses, stems and negation-aware phrase matching."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9_]+")
# Sentences end at terminal punctuation, a blank line, a bullet ("- ", "* ", "•") or a numbered item ("2.", "3)").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*•]\s+")
# A numbered item opens a line, or follows the end of the previous item on the same line ("... breaks. 2. What").
# A line (or a sentence) that opens with an arrow is the consequence of the one before: "... queued. -> retries
# are safe". A bare ">" opens a consequence only at the start of a line.
_LEADING_ARROW = re.compile(r"(?:(?:^|\n)\s*(?:-+>|=+>|→|⇒|>)|(?<=[.!?;])\s*(?:-+>|=+>|→|⇒))\s*")
_NUMBERED = re.compile(r"(^|\n|(?<=[.!?;]))\s*\d{1,2}[.)]\s+(?=[A-Za-z])")
# An arrow is a causal link: "key per charge -> safe retry -> fewer tickets" reads "so ... so ...".
_ARROW = re.compile(r"\s*(?:-+>|=+>|→|⇒|⟶)\s*")
# Negation scope ends at a clause: "X is safer because keys never collide" does not negate X.
_CLAUSE_SPLIT = re.compile(
    r";|:|,\s*(?:but|although|though|whereas|while|so|which)\b|\b(?:but|although|whereas|because|since)\b"
)
# The same split, keeping the separators: attribution ("the team says X because Y") carries across a reason
# but stops at a contrast ("..., but Y").
_CLAUSE_SPLIT_KEEP = re.compile(f"({_CLAUSE_SPLIT.pattern})")
_CONTRAST = re.compile(r"\b(?:but|although|though|whereas|while)\b|;")
# "could not", "could never", "couldn't" (after ``_normalise``): a statement, not a hedge.
_NEGATED_COULD = re.compile(r"\bcould\s+(?:not|never|no\s+longer)\b")
_CONTRACTIONS = (
    ("can't", "can not"),
    ("cannot", "can not"),
    ("won't", "will not"),
    ("n't", " not"),
    ("’", "'"),
)

NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "none", "noth", "nobodi"})  # stems ("nothing")
_NOTHING = "noth"  # the stem of "nothing": it negates before a phrase, not as an object after it
# A prefix negates the one word it is attached to: "non-breaking", "unsafe" ("un" + "safe" after ``words``).
PREFIX_NEGATORS = frozenset({"non", "un"})
_ANY_NEGATOR = NEGATORS | PREFIX_NEGATORS
# Words after "un" that are not a negated word ("unique", "under", "until", "unless", "universal").
_NOT_UN = ("uni", "under", "until", "unless", "unto", "undo", "unit")
# Verbs that negate the verb phrase right after them: "stop trusting arrival order", "avoid retrying".
STOP_VERBS = frozenset({"stop", "avoid", "quit", "ceas", "refus"})
# Markers right before a phrase that keep the answer from committing to it: "rather than polling",
# "instead of renaming", "without following redirects".
_ALTERNATIVE = (("rather", "than"), ("instead", "of"), ("without",))
# A negator before the phrase negates it only within this many words and within the same comma-delimited
# segment: "the docs never promised an order, undocumented behaviour can change" asserts the second part.
_NEGATION_REACH = 6
_SEGMENT_BREAK = frozenset({"and", "then"})
# Particles that reverse a phrase's meaning: a gap holding the opposite one breaks the match ("arrive in
# order" does not match "arrive out of order").
_OPPOSITE = {
    "in": "out",
    "out": "in",
    "on": "off",
    "off": "on",
    "befor": "after",
    "after": "befor",
    "with": "without",
    "without": "with",
    "up": "down",
    "down": "up",
}
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
# Words that carry no meaning for matching a phrase (kept out of phrase stems).
_PHRASE_STOP = FUNCTION_WORDS - {"not", "no", "never", "without"}


def _thesaurus() -> dict[str, list[str]]:
    data = tomllib.loads(resources.files(__package__).joinpath("thesaurus.toml").read_text(encoding="utf-8"))
    return {str(k): [str(v) for v in vs] for k, vs in data["words"].items()}


THESAURUS = _thesaurus()  # canonical word -> the words that mean the same here


def _load_thesaurus() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """The domain thesaurus (``thesaurus.toml``): single words by stem; multi-word variants rewritten to their
    canonical word by one pattern (longer variants first: "rate-limiting" before "rate limit")."""
    by_stem: dict[str, str] = {}
    rewrites: dict[str, str] = {}
    for canonical, variants in THESAURUS.items():
        target = str(_STEMMER.stemWord(canonical))
        for variant in variants:
            if re.fullmatch(r"[a-z0-9]+", variant):
                by_stem[str(_STEMMER.stemWord(variant))] = target
            else:
                rewrites[variant] = canonical
    alternatives = "|".join(re.escape(v) for v in sorted(rewrites, key=len, reverse=True))
    return by_stem, rewrites, re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


_SYNONYM_STEMS, _REWRITES, _REWRITE = _load_thesaurus()


@lru_cache(maxsize=32768)
def _normalise(text: str) -> str:
    text = text.lower()
    for old, new in _CONTRACTIONS:
        text = text.replace(old, new)
    text = _ARROW.sub(" so ", text)
    return _REWRITE.sub(lambda m: _REWRITES[m.group(0)], text)


@lru_cache(maxsize=4096)
def searchable(text: str) -> str:
    """The text as whole-word markers are searched in it (lower case, thesaurus rewrites, hyphens as spaces):
    normalised once per sentence, however many markers."""
    return _NEGATED_COULD.sub("couldnot", _normalise(text).replace("-", " "))


@lru_cache(maxsize=4096)
def _marker_pattern(marker: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(marker)}(?![a-z0-9])")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The word's stem, folded through the thesaurus: "integrators" and "developers" share one."""
    raw = str(_STEMMER.stemWord(word))
    return _SYNONYM_STEMS.get(raw, raw)


def _split_prefix(word: str) -> list[str]:
    if len(word) > 5 and word.startswith("un") and not word.startswith(_NOT_UN):
        return ["un", word[2:]]
    return [word]


def words(text: str) -> list[str]:
    """Lower-cased words; hyphens split ("non-breaking" -> "non", "breaking"), and so does "un-" ("unsafe")."""
    return [w for word in _WORD.findall(_normalise(text).replace("-", " ")) for w in _split_prefix(word)]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def sentences(text: str) -> list[str]:
    text = _NUMBERED.sub("\n- ", text.strip())
    text = _LEADING_ARROW.sub("\n- so ", text)
    parts = [p.strip(" \t\n-*•") for p in _SENTENCE_END.split(text)]
    return [" ".join(p.split()) for p in parts if p and _WORD.search(p.lower())]


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(_normalise(sentence)) if c.strip()]


def clauses_with_contrast(sentence: str) -> list[tuple[bool, str]]:
    """The clauses of a sentence, each with whether it opens with a contrast ("but", "although", ";")."""
    parts = _CLAUSE_SPLIT_KEEP.split(_normalise(sentence))
    out: list[tuple[bool, str]] = []
    contrast = False
    for i, part in enumerate(parts):
        if i % 2:  # a separator
            contrast = _CONTRAST.search(part) is not None
        elif part.strip():
            out.append((contrast, part))
            contrast = False
    return out


@dataclass(frozen=True)
class Phrase:
    """A phrase reduced to the stems that must co-occur, and how many negations it carries itself."""

    text: str
    needed: frozenset[str]
    sequence: tuple[str, ...]
    negations: int
    particles: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def phrase(text: str) -> Phrase:
    tokens = words(text)
    sequence = tuple(stem(w) for w in tokens if w not in _PHRASE_STOP)
    if len(sequence) < 2:
        # One content word is too little to stand for a phrase ("they were notified" is not "notified"):
        # keep its function words, in order.
        sequence = tuple(stem(w) for w in tokens)
    negations = sum(1 for w in tokens if stem(w) in _ANY_NEGATOR)
    particles = frozenset(stem(w) for w in tokens if stem(w) in _OPPOSITE)
    return Phrase(text, frozenset(sequence), sequence, negations, particles)


@lru_cache(maxsize=4096)
def marker(text: str) -> tuple[str, ...]:
    """A lexicon marker as the contiguous stems it must match (function words kept: "so that")."""
    return tuple(stem(w) for w in words(text))


def _reverses(p: Phrase, tokens: tuple[str, ...]) -> bool:
    """The tokens hold the opposite of one of the phrase's particles ("out" against "in")."""
    return any(_OPPOSITE.get(t) in p.particles for t in tokens if t not in p.particles)


@dataclass(frozen=True)
class Span:
    """A sentence or clause with its stems, analysed once and matched against many phrases."""

    text: str
    stem_list: tuple[str, ...]
    # Token positions that open a new comma-delimited segment: negation does not reach across them.
    breaks: frozenset[int] = frozenset()

    @classmethod
    def of(cls, text: str) -> Span:
        tokens: list[str] = []
        breaks: set[int] = set()
        for segment in _normalise(text).split(","):
            breaks.add(len(tokens))
            for w in words(segment):
                if w in _SEGMENT_BREAK:
                    breaks.add(len(tokens))
                tokens.append(stem(w))
        return cls(text, tuple(tokens), frozenset(breaks))

    def before(self, position: int) -> Span:
        """The span cut at token ``position``: what precedes reported speech ("the team says ...")."""
        return Span(self.text, self.stem_list[:position], frozenset(b for b in self.breaks if b < position))

    @cached_property
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
                gap = window[: window.index(p.sequence[matched])]
                if _reverses(p, gap):
                    break  # "arrive out of order" is not "arrive in order"
                position += 1 + len(gap)
                matched += 1
            trailing = tokens[position + 1 : position + 2]  # "turn the check off" is not "... on"
            if matched == len(p.sequence) and not _reverses(p, trailing):
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
        start, end = found
        negations = self._negations_before(start)
        negations += sum(1 for s in self.stem_list[start : end + 1] if s in _ANY_NEGATOR)
        after = self.stem_list[end + 1 : end + 1 + _PREDICATE_WINDOW]
        for i, s in enumerate(after):
            if s in NEGATORS and s != _NOTHING:  # "X would cost nothing" vouches for X
                comparative = after[i + 1 : i + 2] == ("wors",)  # "X is no worse" vouches for X
                if not comparative and (s in _SELF_PREDICATING or any(a in AUXILIARIES for a in after[:i])):
                    negations += 1
                break
        return (negations - p.negations) % 2 == 0

    def _negations_before(self, start: int) -> int:
        """Negations that reach the phrase starting at ``start`` from before it.

        A negator counts within ``_NEGATION_REACH`` words in the same comma segment ("we should never let
        clients retry"), or when it ends an earlier segment ("never, under any circumstances, retry"); a prefix only on its own word ("non-breaking"); a stop verb ("stop trusting") or an
        alternative marker ("rather than", "instead of", "without") only right before the phrase.
        """
        tokens = self.stem_list
        reach = max(0, start - _NEGATION_REACH)
        first = max([reach, *(b for b in self.breaks if reach < b <= start)])
        negations = sum(1 for s in tokens[first:start] if s in NEGATORS)
        # A negator alone in an earlier segment still reaches it: "never, under any circumstances, retry".
        negations += sum(
            1
            for i in range(reach, first)
            if tokens[i] in NEGATORS and tokens[i] != "no" and i + 1 in self.breaks
        )
        negations += start > 0 and tokens[start - 1] in PREFIX_NEGATORS
        near = tokens[max(first, start - 2) : start]
        negations += any(s in STOP_VERBS for s in near)
        ends = (start, start - 1)  # right before, or with one word between: "rather than just polling"
        negations += any(
            tokens[max(first, e - len(a)) : e] == a for a in _ALTERNATIVE for e in ends if e >= len(a)
        )
        return negations

    def denies(self, p: Phrase) -> bool:
        return self.has_in_order(p) and not self.asserts(p)

    def find(self, m: tuple[str, ...], start: int = 0) -> int:
        """Position of the stem sequence ``m`` (contiguous) from ``start`` on, or -1."""
        if not m:
            return start if start <= len(self.stem_list) else -1
        if m[0] not in self.stem_set:
            return -1
        tokens, n = self.stem_list, len(m)
        for i in range(start, len(tokens) - n + 1):
            if tokens[i] == m[0] and tokens[i : i + n] == m:
                return i
        return -1

    def has_marker(self, text: str) -> bool:
        """A lexicon marker, matched by stems and contiguous: "requirements" counts for "requirement"."""
        return self.find(marker(text)) >= 0

    def contains_text(self, marker: str) -> bool:
        """Whole-word containment of a multi-word marker in the normalised text.

        A negated "could" is no soft modal: "we could never recover" states an impossibility, it does not
        hedge, so neither "could" nor "we could" matches in it.
        """
        return _marker_pattern(marker).search(searchable(self.text)) is not None
