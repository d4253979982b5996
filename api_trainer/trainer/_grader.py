"""The grader: deterministic, offline and explainable. ``grade(scenario, answer, choice)`` returns a ``Grade``.

A pipeline of small readers, each returning data the grade and its feedback are built from:
- prose (``_vocab.cut_lists``): lists of terms are cut out; an answer made mostly of them is not prose;
- the decision (``_reading``): the pick, or the side the prose argues; unsafe claims in the learner's voice;
- grounding (``_vocab.grounding``): the scenario's own specifics the answer uses;
- concepts: the rubric's ideas, matched by their phrases or by the words of their label (thesaurus-folded);
- the translation: the technical choice, what the developer or user sees, what the business gets, linked;
- the moves (``_moves``): requirements, a trade-off, instrumentation, failure modes, the closing outcome.
The seed's rubric is what it judges: a grounded decision, translated to the developer and the business.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import _lexicon as lex
from ._feedback import feedback_for
from ._model import Concept, Scenario
from ._moves import Moves, read_moves
from ._reading import Reading, hedges, read_decision
from ._text import FUNCTION_WORDS, THESAURUS, Span, marker, phrase, searchable, sentences, stem, words
from ._vocab import cut_lists, grounding, grounding_weight, specific_stems

__all__ = ["PASS_SCORE", "Grade", "Moves", "Translation", "grade"]

PASS_SCORE = 0.6
_MIN_SENTENCES = 2
_MIN_WORDS = 25
_MAX_LISTED = 0.35  # share of an answer's words that may sit in lists of terms
_SALAD = 2  # buzzwords that make an answer a buzzword salad
_GROUNDED = 6.0  # summed rarity of the scenario's specifics a grounded answer uses (about three rare words)
_KIND_WEIGHT = {"technical": 1.0, "developer": 1.5, "business": 2.0}
_CAUSAL = tuple(marker(m) for m in lex.CAUSAL)
# People are matched as words, not stems: "managed", "custom", "development" and "engine" share a stem with
# "manager", "customer", "developer" and "engineer". Plurals count; the thesaurus's names for them too.
_PEOPLE_WORDS = sorted(
    {*lex.PEOPLE, *(v for k in lex.PEOPLE for v in THESAURUS.get(k, ()))}, key=len, reverse=True
)
_PEOPLE = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, _PEOPLE_WORDS))})(?:s|es)?(?![a-z0-9])")
# What the integrator's code (a client, an app, a script) goes through: "tolerant clients see nothing",
# "old scripts keep working".
_CLIENT_EXPERIENCE = re.compile(
    r"(?<![a-z0-9])(?:clients?|apps?|integrations?|scripts?|sdks?)\s+(?:\w+\s+)?"
    r"(?:see|sees|notice|notices|break|breaks|crash|crashes|lose|loses|never|no longer|stop|stops"
    r"|keep working|keeps working|just work|just works)(?![a-z0-9])"
)
# Money is a business outcome: "$2M a year", "the 43.00 USD order completes", "two million a year".
_MONEY = re.compile(
    r"[$€£]\s?\d|\d\s?(?:k|m|bn)?\s?(?:usd|eur|gbp|dollars|euros)\b|\b(?:million|billion)s?\s+(?:a|per)\s+(?:year|month)",
    re.IGNORECASE,
)
_CONSEQUENCE = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, lex.CONSEQUENCE))})(?![a-z0-9])")
_OUTCOME = tuple(marker(m) for m in lex.OUTCOME)
_US = tuple(marker(m) for m in ("we", "us", "our"))
_OUTCOME_OPENERS = frozenset(
    stem(w) for w in ("so", "outcome", "result", "impact", "benefit", "gain", "effect", "win", "payoff")
)
_BUSINESS = tuple(marker(m) for m in lex.BUSINESS_STRONG)
# Code in an answer (a query, a request line) is the mechanism: no outcome is read inside it.
_CODE = re.compile(
    r"\b(?:select|from|where|join|group by|order by|with)\b.*\b(?:select|from|where|join|by)\b|[{}]|\w\(|==|:="
)
_STOP = frozenset(stem(w) for w in FUNCTION_WORDS)
_GENERIC_LABEL = frozenset(stem(w) for w in lex.GENERIC_LABEL_WORDS)


@dataclass(frozen=True)
class Translation:
    technical: bool
    developer: bool
    business: bool
    product_sentence_last: bool


@dataclass(frozen=True)
class Grade:
    scenario: str
    passed: bool
    score: float
    decision: str  # right | wrong | hedged | none
    translation: Translation
    moves: Moves
    concepts_hit: tuple[str, ...]
    concepts_missed: tuple[str, ...]
    feedback: tuple[str, ...]
    prose: bool
    linked: bool
    unsafe_claims: tuple[str, ...]
    choice: str | None
    grounding: tuple[str, ...] = ()  # the scenario's specifics the answer used (stems)
    gates: tuple[str, ...] = ()  # the gates it failed: prose, decision, grounding, technical, ...
    read_option: str | None = None  # the option the prose argues for, when it says clearly
    unclear: bool = False  # the decision (or its agreement with the pick) is unclear from the text


def _any(span: Span, markers: tuple[tuple[str, ...], ...]) -> bool:
    return any(span.find(m) >= 0 for m in markers)


def _is_prose(sentence: str) -> bool:
    tokens = words(sentence)
    return len(tokens) >= 4 and sum(w in FUNCTION_WORDS for w in tokens) >= 1


def _label_key(concept: Concept) -> tuple[frozenset[str], int]:
    """The label's meaning-bearing stems, and how many of them one sentence must use."""
    key = frozenset(stem(w) for w in words(concept.label) if len(w) > 1) - _STOP - _GENERIC_LABEL
    return key, max(2, math.ceil(0.5 * len(key)))


def _concept_in(concept: Concept, span: Span) -> bool:
    if any(span.has(phrase(p)) for p in concept.phrases):
        return True
    key, need = _label_key(concept)
    return len(key) >= 2 and len(key & span.stem_set) >= need


_NOT_SAID = re.compile(r"(?:\b[A-Z]{3,7}\s+)?/[^\s,;]*|\b\w+\?\S*|\b\w+(?:-\w+)+\b")


def _said(span: Span) -> Span:
    """The sentence without request paths, query strings and hyphenated compounds."""
    text = _NOT_SAID.sub(" ", span.text)
    return span if text == span.text else Span.of(text)


def _business_phrase_in_order(scenario: Scenario, span: Span) -> bool:
    return any(
        span.has_in_order(phrase(p)) for c in scenario.concepts if c.kind == "business" for p in c.phrases
    )


def _person(span: Span) -> bool:
    return _PEOPLE.search(searchable(span.text)) is not None


def _consequence_for_someone(span: Span) -> bool:
    """A consequence that lands on a person: "... -> duplicate payouts for 3 merchants"."""
    text = searchable(span.text)
    so = _CONSEQUENCE.search(text)
    return so is not None and _PEOPLE.search(text, so.end()) is not None


def _opens_outcome(span: Span) -> bool:
    """The sentence opens as a consequence ("so ...", an arrow, "Outcome: ...", "For you, ...")."""
    head = span.stem_list[:2]
    return any(t in _OUTCOME_OPENERS for t in head)


def _kinds(scenario: Scenario, span: Span, specific: frozenset[str]) -> set[str]:
    """The kinds of point one sentence makes: the mechanism, what a person sees, what the business gets."""
    concepts = {c.kind for c in scenario.concepts if _concept_in(c, span)}
    kinds = concepts & {"technical"}
    if len(specific & span.stem_set) >= 2:
        kinds.add("technical")
    # An outcome lands on someone: a person in the sentence, and what happens to them (or one of the
    # rubric's developer outcomes). A rubric word alone ("handler", "SDK") is a mechanism.
    # Names inside a request path or a compound are not people or outcomes: "GET /v1/customers",
    # "read-your-writes", "6 engineer-months to build".
    said = _said(span)
    person = _person(said)
    if (person and (_any(said, _OUTCOME) or "developer" in concepts)) or _consequence_for_someone(said):
        kinds.add("developer")
    elif _CLIENT_EXPERIENCE.search(searchable(said.text)):
        kinds.add("developer")  # the integrator's code experiencing it: "tolerant clients see nothing"
    elif _opens_outcome(said) and (_any(said, _OUTCOME) or "developer" in concepts):
        kinds.add("developer")  # a terse consequence: "-> retries are safe, payments fast"
    # A business concept said in its own words, in order ("the fraud program starts five months sooner"), is a
    # business outcome; one whose words are only scattered through the sentence needs someone it lands on.
    if (
        _any(said, _BUSINESS)
        or _MONEY.search(said.text)
        or (
            "business" in concepts
            and (person or _any(said, _US) or _business_phrase_in_order(scenario, span))
        )
    ):
        kinds.add("business")
    return kinds


def _linked(spans: list[Span], kinds: list[set[str]]) -> bool:
    """An outcome is tied to the mechanism: a causal connective, an arrow or a translation frame ("for
    developers, ...") joins them within a sentence or across two; or an outcome sentence follows the
    mechanism it is about (a structured answer: the design, then what developers get, then the business)."""
    earlier: set[str] = set()
    for i, (span, here) in enumerate(zip(spans, kinds, strict=True)):
        causal = _any(span, _CAUSAL)
        before = kinds[i - 1] if i else set()
        outcome = here & {"developer", "business"}
        if causal and outcome and len(here | before) >= 2:
            return True
        if causal and "business" in here and earlier & {"developer", "technical"}:
            return True
        if outcome and "technical" in earlier | here:
            return True  # the outcome comes after its mechanism (or with it): the chain in order
        earlier |= here
    return False


def _architecture_at(scenario: Scenario, spans: list[Span]) -> int | None:
    """The first sentence that names an option's distinctive words: where the design starts."""
    option_words = [{stem(w) for w in words(o.text)} - _STOP for o in scenario.options]
    common = set.intersection(*option_words) if option_words else set()
    for i, span in enumerate(spans):
        if any(len((bag - common) & span.stem_set) >= 2 for bag in option_words):
            return i
    return None


def grade(scenario: Scenario, answer: str, choice: str | None = None) -> Grade:
    """Grade one explanation of ``scenario``; ``choice`` is the option id picked, if any."""
    parts = sentences(answer)
    cut = [cut_lists(s) for s in parts]
    listed = sum(c.listed_words for c in cut)
    total = sum(c.total_words for c in cut) or 1
    kept = [(c.text, original) for c, original in zip(cut, parts, strict=True) if words(c.text)]
    explained = [text for text, _ in kept]
    spans = [Span.of(s) for s in explained]
    code = [_CODE.search(original.lower()) is not None for _, original in kept]
    prose_sentences = [s for s in explained if _is_prose(s)]
    prose = len(prose_sentences) >= _MIN_SENTENCES and total >= _MIN_WORDS and listed / total <= _MAX_LISTED

    reading: Reading = read_decision(scenario, spans, choice, scenario.acceptable)
    specific = specific_stems(scenario)
    grounded_by = grounding(scenario, prose_sentences)
    ground = grounding_weight(scenario, grounded_by)
    grounded = ground >= _GROUNDED

    hit = [
        c
        for c in scenario.concepts
        if any(_concept_in(c, s) for s, is_code in zip(spans, code, strict=True) if not is_code)
    ]
    missed = [c for c in scenario.concepts if c not in hit]
    kinds = [
        {"technical"} if is_code else _kinds(scenario, s, specific)
        for s, is_code in zip(spans, code, strict=True)
    ]
    present = set().union(*kinds) if kinds else set()
    technical = "technical" in present
    developer = "developer" in present
    business = "business" in present
    linked = _linked(spans, kinds)
    outcome_last = bool(kinds) and bool(kinds[-1] & {"developer", "business"})
    situation = specific & frozenset(stem(w) for w in words(scenario.situation + " " + scenario.snippet))
    moves = read_moves(spans, _architecture_at(scenario, spans), outcome_last, situation)
    needs_requirements = scenario.kind == "design"

    weight_all = sum(_KIND_WEIGHT[c.kind] for c in scenario.concepts)
    coverage = sum(_KIND_WEIGHT[c.kind] for c in hit) / weight_all
    covered = len(hit) >= 2
    score = {"right": 0.25, "hedged": 0.05}.get(reading.verdict, 0.0)
    score += 0.2 * coverage
    score += 0.05 * technical + 0.1 * developer + 0.1 * business + 0.05 * linked
    score += 0.05 * moves.trade_off + 0.05 * moves.instrumentation + 0.05 * moves.product_close
    score += 0.05 * min(1.0, ground / (2 * _GROUNDED))
    maximum = 0.95
    if needs_requirements:
        score += 0.05 * moves.requirements
        maximum += 0.05
    score /= maximum
    buzz = sum(s.contains_text(b) for s in spans for b in lex.BUZZWORDS)
    score -= min(0.2, 0.05 * buzz)
    if buzz >= _SALAD:
        score *= 0.5
    score *= min(1.0, (ground + 1) / (_GROUNDED + 1))
    if not prose:
        score *= 0.3
    if reading.verdict == "wrong":
        score *= 0.4
    score = round(min(1.0, max(0.0, score)), 3)

    gates = tuple(
        name
        for name, ok in (
            ("prose", prose),
            ("decision", reading.verdict == "right"),
            ("grounding", grounded),
            ("technical", technical),
            ("developer", developer),
            ("business", business),
            ("link", linked),
            ("coverage", covered),
            ("score", score >= PASS_SCORE),
            ("jargon", buzz < _SALAD),
        )
        if not ok
    )
    passed = not gates
    hedging = sum(hedges(s) for s in spans)
    feedback = feedback_for(scenario, reading, gates, moves, hit, missed, buzz, hedging, passed)
    return Grade(
        scenario=scenario.id,
        passed=passed,
        score=score,
        decision=reading.verdict,
        translation=Translation(technical, developer, business, moves.product_close),
        moves=moves,
        concepts_hit=tuple(c.id for c in hit),
        concepts_missed=tuple(c.id for c in missed),
        feedback=tuple(feedback),
        prose=prose,
        linked=linked,
        unsafe_claims=reading.unsafe,
        choice=choice,
        grounding=grounded_by,
        gates=gates,
        read_option=reading.option,
        unclear=reading.unclear,
    )
