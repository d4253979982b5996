"""The grader: deterministic, offline and explainable. ``grade(scenario, answer, choice)`` returns a ``Grade``.

Layers, each visible in the result: a prose gate, the decision (negation-aware unsafe claims), rubric
concepts matched by stems within sentences, the translation chain technical -> developer -> business
with a causal link, the moves (requirements, trade-off, instrumentation) and the product sentence last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import _lexicon as lex
from ._model import Concept, Scenario
from ._text import (
    FUNCTION_WORDS,
    NEGATORS,
    Phrase,
    Span,
    clauses_with_contrast,
    marker,
    phrase,
    sentences,
    stem,
    words,
)

PASS_SCORE = 0.6
_MIN_SENTENCES = 2
_MIN_WORDS = 30
# The consequence must follow the claim closely: "raising retries to 10 would make this worse", not
# "raising retries to 10 is the right call, even if it feels worse at first".
_FRAME_REACH = 5
_NOBODY = frozenset({"nobodi", "noth", "none", "no"})  # stems: "nothing" -> "noth"
_SMALL = _NOBODY | {"littl", "less", "onli", "just", "hard", "next", "almost", "far", "veri"}
_KIND_WEIGHT = {"technical": 1.0, "developer": 1.5, "business": 2.0}
# A number with a unit: "40,000 exports a day", "10,000 TPS", "99.99%", "2 billion events".
_QUANTITY = re.compile(
    r"(?<![a-z0-9])\d[\d,.]*\s*(?:%|(?:[a-z]+\s+)?(?:"
    + "|".join(re.escape(u) for u in lex.UNITS)
    + r")(?![a-z0-9]))"
)
_CONSEQUENCE_VERBS = frozenset(stem(v) for v in lex.CONSEQUENCE_VERBS)
# "would" + a damage verb; "only"/"just" + a damage or belittling verb
_CONSEQUENCE_MODALS = {
    "would": _CONSEQUENCE_VERBS,
    **{stem(m): frozenset(stem(v) for v in lex.DIMINISHED_VERBS) for m in lex.DIMINISHING},
}
_ATTRIBUTION = tuple(marker(m) for m in lex.ATTRIBUTION)
_FIRST_PERSON = frozenset(lex.FIRST_PERSON)
_ENDORSING = frozenset({"as", "like"})
_PRESCRIBING = tuple(marker(m) for m in lex.PRESCRIBING)
_INSTRUMENT_PATTERNS = tuple(re.compile(p) for p in lex.INSTRUMENT_PATTERNS)
# A hypothetical: "if we shipped the array ..., every integration would quietly stop".
_IF, _IF_REACH, _WOULD = "if", 8, "would"


@dataclass(frozen=True)
class Translation:
    technical: bool
    developer: bool
    business: bool
    product_sentence_last: bool


@dataclass(frozen=True)
class Moves:
    """The seed's moves, each read anywhere in the answer (no sentence position is a gate)."""

    requirements: bool  # requirements or scoping surfaced
    trade_off: bool  # one trade-off named consciously
    instrumentation: bool  # how to know it works: a metric, an alert, a dashboard
    requirements_first: bool = False  # a requirement or scoping question before the first architecture choice
    failure_mode: bool = False  # what fails, what degrades gracefully, what the user sees then
    product_close: bool = False  # the last sentence lands on the developer, user or business outcome


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


def _marker(span: Span, markers: tuple[str, ...]) -> bool:
    """Lexicon markers match by stems: "requirements", "constraints", "SLOs", "alerting" all count."""
    return any(span.has_marker(m) for m in markers)


def _hedges(span: Span) -> bool:
    """Hedges match whole words: inflection changes their meaning ("possibly" hedges, "possible" does not)."""
    return any(span.contains_text(m) for m in lex.HEDGES)


def _soft(span: Span) -> bool:
    return _hedges(span) or any(span.contains_text(m) for m in lex.SOFT_MODALS)


def _framed(clause: Span, at: tuple[int, int], conceding: bool = False) -> bool:
    """The phrase at token range ``at`` is a consequence to avoid, not something the learner asserts.

    ``conceding``: a contrast clause follows, so "X sounds convenient" concedes X before arguing against it.
    """
    start, end = at
    for m in map(marker, lex.CONSEQUENCE_AFTER):
        q = clause.find(m, end + 1)
        if not 0 <= q <= end + _FRAME_REACH:
            continue
        # A negated consequence is a reassurance, not a frame: "is no worse", "would hurt nobody". A contrast
        # after it ("worse, not better") keeps the frame.
        before = clause.stem_list[max(end + 1, q - 2) : q]
        object_ = clause.stem_list[q + len(m) : q + len(m) + 1]
        if not any(t in NEGATORS for t in before) and not any(t in _NOBODY for t in object_):
            return True
    # "retrying forever would hammer dead endpoints", "increasing the timeout only moves the wall"
    after = clause.stem_list[end + 1 : end + 1 + _FRAME_REACH]
    for i, token in enumerate(after):
        verbs = _CONSEQUENCE_MODALS.get(token)
        if verbs is None:
            continue
        for j in range(i + 1, min(i + 3, len(after))):
            if after[j] in NEGATORS:
                break  # "would not hurt": a reassurance
            if after[j] in verbs:
                object_ = clause.stem_list[end + 2 + j : end + 3 + j]
                if not any(t in _SMALL for t in object_):  # "would hurt nobody", "would cost little" vouch
                    return True
                break
    if conceding and any(0 <= clause.find(marker(m), end + 1) <= end + 2 for m in lex.CONCESSION_AFTER):
        return True
    if _hypothetical(clause, start, end):
        return True
    return any(0 <= clause.find(marker(m)) < start for m in lex.REASON_BEFORE)


def _hypothetical(clause: Span, start: int, end: int) -> bool:
    """The phrase sits in an "if" clause whose consequence is damage: "if we shipped the array and added paging
    later, every integration would quietly stop at page one" argues against shipping the array."""
    tokens = clause.stem_list
    if _IF not in tokens[max(0, start - _IF_REACH) : start]:
        return False
    for i in range(end + 1, len(tokens)):
        if tokens[i] != _WOULD:
            continue
        for j in range(i + 1, min(i + 3, len(tokens))):
            if tokens[j] in NEGATORS:
                break  # "would not break anything": a reassurance
            if tokens[j] in _CONSEQUENCE_VERBS:
                return not any(o in _SMALL for o in tokens[j + 1 : j + 2])  # "would cost little" vouches
    return False


def _attributed_from(clause: Span) -> int | None:
    """Where speech attributed to someone else starts in the clause ("the team says ..."), if anywhere.

    The learner's own voice ("I would argue", "we think") is not attribution.
    """
    for m in _ATTRIBUTION:
        at = clause.find(m)
        subject = clause.stem_list[max(0, at - 3) : at]
        # "the contract should say that X" prescribes X: the learner's own decision, not reported speech.
        if any(at >= len(m) and clause.stem_list[at - len(m) : at] == m for m in _PRESCRIBING):
            continue
        # "as the docs say, X" and "like the PM says, X" endorse X: the learner says it too.
        if at > 0 and not any(t in _FIRST_PERSON or t in _ENDORSING for t in subject):
            return at
    return None


def _requirements(spans: list[Span]) -> bool:
    """Requirements surfaced in the first half: a marker ("constraints", "assuming", "how many"), or a
    number with a unit framed as the starting point ("Given 40,000 exports a day", "First the numbers")."""
    first_half = spans[: max(1, (len(spans) + 1) // 2)]
    if any(_marker(s, lex.REQUIREMENTS) for s in first_half):
        return True
    return any(
        _QUANTITY.search(s.text.lower()) is not None and _marker(s, lex.REQUIREMENT_FRAMES)
        for s in first_half
    )


def _plain(span: Span) -> str:
    """The sentence lower-cased, words only, single-spaced: what the metric patterns read."""
    return " ".join(words(span.text))


def _instrumented(span: Span) -> bool:
    """A metric close: a marker ("track", "dashboard", "SLO") or a metric phrasing ("the number I would report
    every month", "compare the exported count with ours")."""
    return _marker(span, lex.INSTRUMENT) or any(p.search(_plain(span)) for p in _INSTRUMENT_PATTERNS)


def _trade_off(spans: list[Span], i: int) -> bool:
    """Sentence ``i`` names a trade-off and says why it is acceptable, there or in the next sentence.

    A cost clause ("it adds a lookup", "a few extra requests", "launch slips by a week") counts only with an
    acceptance marker after it: "..., but that is cheap", "which is a fair price", "a price worth paying".
    """
    span = spans[i]
    accepted_next = i + 1 < len(spans) and _marker(spans[i + 1], lex.ACCEPTABLE)
    if _marker(span, lex.TRADE_OFF):
        return accepted_next or _marker(span, lex.ACCEPTABLE)
    costs = [at for at in (span.find(marker(m)) for m in lex.COST) if at >= 0]
    if not costs:
        return False
    return accepted_next or any(span.find(marker(m), min(costs) + 1) >= 0 for m in lex.ACCEPTABLE)


def _generic(span: Span, vocabulary: tuple[str, ...]) -> bool:
    return any(span.has(phrase(p)) for p in vocabulary)


def _is_prose(sentence: str) -> bool:
    tokens = words(sentence)
    return len(tokens) >= 5 and sum(w in FUNCTION_WORDS for w in tokens) >= 2


def _prose_ok(parts: list[str]) -> bool:
    """Real sentences: enough of them, enough words, and function words that make them sentences."""
    prose = [s for s in parts if _is_prose(s)]
    total = sum(len(words(s)) for s in parts)
    in_prose = sum(len(words(s)) for s in prose)
    return len(prose) >= _MIN_SENTENCES and total >= _MIN_WORDS and in_prose >= 0.6 * total


def _kinds_in(scenario: Scenario, span: Span) -> set[str]:
    kinds = {c.kind for c in scenario.concepts if any(span.has(phrase(p)) for p in c.phrases)}
    if _generic(span, lex.DEVELOPER):
        kinds.add("developer")
    if _generic(span, lex.BUSINESS):
        kinds.add("business")
    return kinds


def _decide(scenario: Scenario, spans: list[Span], choice: str | None) -> tuple[str, tuple[str, ...]]:
    unsafe: list[str] = []  # claims asserted plainly
    floated: list[str] = []  # claims asserted only in a hedged sentence ("better docs could be enough")
    right_hits = wrong_hits = hedges = 0
    first = ""  # the side the answer commits to first: it leads with its decision
    right = scenario.right_option
    wrong_options = [o for o in scenario.options if o.id != scenario.right]
    for span in spans:
        hedging = _hedges(span)
        hedges += hedging
        listing = not _is_prose(span.text)  # a list of terms commits to nothing
        attributed = False
        endorsed = _marker(span, lex.ENDORSEMENT)  # "the team says X, and they are right"
        parts = clauses_with_contrast(span.text)
        for k, (contrast, text) in enumerate(parts):
            clause = Span.of(text)
            # A hedge or soft modal hedges its own clause only ("it is simple, and it could send payloads
            # elsewhere" commits to the first part), and a claim conceded before a hedged contrast: "adding a
            # value is additive, but some clients might struggle" floats it.
            hedged = listing or _hedges(clause)
            conceding = k + 1 < len(parts) and parts[k + 1][0]
            soft = _soft(clause) or (conceding and _soft(Span.of(parts[k + 1][1])))
            # Attributed speech carries across a reason ("the team says X because Y"), not a contrast.
            attributed = attributed and not contrast
            said = 0 if attributed else None if endorsed else _attributed_from(clause)
            if said is not None:
                attributed = True
                clause = clause.before(said)  # only what the learner says before the attribution counts
            for claim in scenario.unsafe:
                for p in map(phrase, claim.phrases):
                    at = clause.match(p)
                    if at is None or _framed(clause, at, conceding):
                        continue
                    if clause.asserts(p):
                        target = floated if soft else unsafe
                        if claim.id not in target:
                            target.append(claim.id)
                    elif not hedged:
                        right_hits += 1  # "retrying without a key is not safe" commits to the right side
            if hedged or (hedging and not _marker(clause, lex.COMMITMENT)):
                continue  # an option named in passing inside a hedge ("X is fast, but it depends") decides nothing
            right_here = sum(clause.asserts(phrase(p)) for p in right.phrases)
            wrong_here = sum(
                _asserted_unframed(clause, phrase(p), conceding) for o in wrong_options for p in o.phrases
            )
            first = first or ("right" if right_here else "wrong" if wrong_here else "")
            right_hits += right_here
            wrong_hits += wrong_here
    if unsafe:
        return "wrong", tuple(unsafe)
    if choice is not None and choice != scenario.right:
        return "wrong", ()
    if floated and not right_hits:
        return "hedged", ()  # the claim is floated, never asserted: the fix is to commit, not to unlearn it
    if choice is not None:
        return ("hedged" if hedges >= 2 and right_hits == 0 else "right"), ()
    if wrong_hits and not right_hits:
        return "wrong", ()
    if right_hits and wrong_hits:
        if right_hits == wrong_hits:
            return first, ()
        return ("right" if right_hits > wrong_hits else "wrong"), ()
    if right_hits:
        return ("hedged" if hedges >= 3 and hedges > right_hits else "right"), ()
    return ("hedged" if hedges else "none"), ()


def _asserted_unframed(clause: Span, p: Phrase, conceding: bool = False) -> bool:
    at = clause.match(p)
    return at is not None and not _framed(clause, at, conceding) and clause.asserts(p)


def _linked(spans: list[Span], kinds: list[set[str]]) -> bool:
    """A causal connective links an outcome to a different kind of point.

    Either within its sentence or with the one before ("... so the developer sees X"), or, for a sentence
    that lands on the business outcome, with developer or technical points made earlier in the answer
    ("Blips stay blips, so customers keep ordering" after a paragraph on what developers get).
    """
    earlier: set[str] = set()
    for i, (span, here) in enumerate(zip(spans, kinds, strict=True)):
        causal = _marker(span, lex.CAUSAL)
        before = kinds[i - 1] if i else set()
        if causal and here & {"developer", "business"} and len(here | before) >= 2:
            return True
        if causal and "business" in here and earlier & {"developer", "technical"}:
            return True
        earlier |= here
    return False


def grade(scenario: Scenario, answer: str, choice: str | None = None) -> Grade:
    """Grade one explanation of ``scenario``; ``choice`` is the option id picked, if any."""
    parts = sentences(answer)
    spans = [Span.of(s) for s in parts]
    prose = _prose_ok(parts)
    decision, unsafe = _decide(scenario, spans, choice)

    hit = [c for c in scenario.concepts if any(s.has(phrase(p)) for s in spans for p in c.phrases)]
    missed = [c for c in scenario.concepts if c not in hit]
    kinds_per_sentence = [_kinds_in(scenario, s) for s in spans]
    present = set().union(*kinds_per_sentence) if spans else set()
    technical = any(c.kind == "technical" for c in hit)
    developer, business = "developer" in present, "business" in present
    linked = _linked(spans, kinds_per_sentence)
    product_last = bool(spans) and bool(kinds_per_sentence[-1] & {"developer", "business"})

    trade_off = any(_trade_off(spans, i) for i in range(len(spans)))
    instrumentation = any(_instrumented(s) for s in spans)
    requirements = _requirements(spans)
    needs_requirements = scenario.kind == "design"
    moves = Moves(
        requirements,
        trade_off,
        instrumentation,
        requirements_first=requirements and _requirements(spans[:1]),
        failure_mode=any(_marker(s, lex.FAILURE_MODE) for s in spans),
        product_close=product_last,
    )

    # Enough of the rubric: more than half of its concepts, of at least two kinds (the mechanism and what the
    # developer or the business gets). Every strong calibration and held-out answer covers at least two
    # thirds; a strong answer cut down to half its concepts reads thin.
    covered = 2 * len(hit) > len(scenario.concepts) and len({c.kind for c in hit}) >= 2
    weight_all = sum(_KIND_WEIGHT[c.kind] for c in scenario.concepts)
    coverage = sum(_KIND_WEIGHT[c.kind] for c in hit) / weight_all
    score = {"right": 0.25, "hedged": 0.05}.get(decision, 0.0)
    score += 0.25 * coverage
    score += 0.05 * technical + 0.07 * developer + 0.08 * business + 0.05 * linked
    score += 0.05 * trade_off + 0.05 * instrumentation + 0.1 * product_last
    maximum = 0.95
    if needs_requirements:
        score += 0.05 * requirements
        maximum += 0.05
    score /= maximum
    buzz = sum(s.contains_text(b) for s in spans for b in lex.BUZZWORDS)
    score -= min(0.2, 0.05 * buzz)
    if not prose:
        score *= 0.3
    if decision == "wrong":
        score *= 0.4
    score = round(min(1.0, max(0.0, score)), 3)

    passed = (
        prose
        and decision == "right"
        and technical
        and developer
        and business
        and linked
        and product_last
        and (requirements or not needs_requirements)
        and covered
        and score >= PASS_SCORE
    )
    feedback = _feedback(
        scenario,
        prose,
        decision,
        unsafe,
        choice,
        missed,
        technical,
        developer,
        business,
        linked,
        product_last,
        moves,
        needs_requirements,
        buzz,
        passed,
        covered,
    )
    return Grade(
        scenario=scenario.id,
        passed=passed,
        score=score,
        decision=decision,
        translation=Translation(technical, developer, business, product_last),
        moves=moves,
        concepts_hit=tuple(c.id for c in hit),
        concepts_missed=tuple(c.id for c in missed),
        feedback=tuple(feedback),
        prose=prose,
        linked=linked,
        unsafe_claims=unsafe,
        choice=choice,
    )


def _feedback(
    scenario: Scenario,
    prose: bool,
    decision: str,
    unsafe: tuple[str, ...],
    choice: str | None,
    missed: list[Concept],
    technical: bool,
    developer: bool,
    business: bool,
    linked: bool,
    product_last: bool,
    moves: Moves,
    needs_requirements: bool,
    buzz: int,
    passed: bool,
    covered: bool,
) -> list[str]:
    out: list[str] = []
    missed_by_kind = {
        kind: [c.label for c in scenario.concepts if c in missed and c.kind == kind]
        for kind in ("technical", "developer", "business")
    }
    if not prose:
        out.append(
            "Write it as sentences: a list of terms is not an explanation (at least 2 sentences, 30 words)."
        )
    if decision == "wrong":
        claims = [c.claim for c in scenario.unsafe if c.id in unsafe]
        if claims:
            out.append(
                f'Your answer makes an unsafe claim: "{claims[0]}" Argue for the safe contract instead.'
            )
        elif choice is not None and (opt := scenario.option(choice)) is not None:
            out.append(f"'{opt.id}' is not the safe choice: {opt.developer} {opt.business}")
        else:
            out.append(
                "Your answer argues for an option that hurts the integrating developer; reread the situation."
            )
    elif decision == "hedged":
        out.append(
            "Commit to one option: the answer defers the decision ('it depends', 'we could', 'more data')."
        )
    elif decision == "none":
        out.append("Say which option you choose: the answer never commits to a decision.")
    if not technical:
        out.append(f"Name the mechanism, for example: {_first(missed_by_kind['technical'])}.")
    if technical and not developer:
        out.append(
            "You named the mechanism but never said what the integrating developer sees, for example: "
            f"{_first(missed_by_kind['developer'])}."
        )
    elif not developer:
        out.append(
            f"Say what the integrating developer sees, for example: {_first(missed_by_kind['developer'])}."
        )
    if not business:
        out.append(f"Take it to the business outcome, for example: {_first(missed_by_kind['business'])}.")
    if technical and developer and business and not covered:
        hit = len(scenario.concepts) - len(missed)
        out.append(
            f"Cover more of the ground: you named {hit} of {len(scenario.concepts)} points a strong answer makes; "
            f"for example: {_first([c.label for c in missed])}."
        )
    if not linked:
        out.append(
            "Link the chain in one sentence with 'so', 'because' or 'which means': mechanism, then what the "
            "developer sees, then the business outcome."
        )
    if not product_last:
        out.append(
            "End on the outcome: make your last sentence about what the developer or the business feels."
        )
    if needs_requirements and not moves.requirements:
        out.append("Start from requirements: state the constraints and numbers before the design.")
    if not moves.trade_off:
        out.append("Name one trade-off of your choice and why it is acceptable.")
    if not moves.instrumentation:
        out.append("Close with the metric you would watch to know the design works.")
    if buzz:
        out.append("Drop the buzzwords: each one replaces a reason you could have given.")
    if passed:
        out.insert(
            0,
            "Strong: a clear decision, the mechanism, and what it means for the developer and the business.",
        )
    return out


def _first(labels: list[str]) -> str:
    return labels[0] if labels else "the outcome in concrete terms"
