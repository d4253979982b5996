"""Reading the decision: the learner's pick when there is one, else the side the prose argues.

A pick is the learner's decision. The text can contradict it only by asserting an unsafe claim in the
learner's own voice: describing the incident ("every layer retried five times"), quoting or attributing
("the team says retries are harmless"), rebutting ("deduplicating by amount would be wrong"), conceding
("raising the limit sounds easy, but ...") and hypotheticals ("if we raised retries to 10, it would be a
thousand") are not assertions. When the text and the pick disagree in any weaker way, the reading says it is
unclear, and the feedback asks, instead of flipping the verdict.

With no pick, every clause votes for the options whose distinctive words it asserts, weighted by how
distinctive they are among the scenario's options and by how plainly the clause commits ("I would", the
opening sentence); negated, framed and attributed mentions vote against or not at all.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from . import _lexicon as lex
from ._model import Option, Scenario
from ._text import (
    FUNCTION_WORDS,
    NEGATORS,
    Span,
    clauses_with_contrast,
    marker,
    phrase,
    stem,
    words,
)

_FRAME_REACH = 5
_NOBODY = frozenset({"nobodi", "noth", "none", "no"})  # stems: "nothing" -> "noth"
_SMALL = _NOBODY | {"littl", "less", "onli", "just", "hard", "next", "almost", "far", "veri"}
_CONSEQUENCE_VERBS = frozenset(stem(v) for v in lex.CONSEQUENCE_VERBS)
_CONSEQUENCE_MODALS = {
    "would": _CONSEQUENCE_VERBS,
    **{stem(m): frozenset(stem(v) for v in lex.DIMINISHED_VERBS) for m in lex.DIMINISHING},
}
_ATTRIBUTION = tuple(marker(m) for m in lex.ATTRIBUTION)
_FIRST_PERSON = frozenset(lex.FIRST_PERSON)
_ENDORSING = frozenset({"as", "like"})
_PRESCRIBING = tuple(marker(m) for m in lex.PRESCRIBING)
_REBUTTAL = tuple(marker(m) for m in lex.REBUTTAL)
_DECIDING = tuple(marker(m) for m in lex.DECIDING)
_PAST = frozenset(stem(w) for w in ("was", "were", "happened", "had", "did", "caused", "saw", "went"))
_IF, _IF_REACH, _WOULD = "if", 8, "would"
_STOP = frozenset(stem(w) for w in FUNCTION_WORDS) | {"not", "no", "never"}
# How much more the winning side must weigh than the other for the prose to have decided.
_MARGIN = 1.25
_MIN_WEIGHT = 1.0
# The rubric describes the safe contract: its mechanism weighs most, its outcomes (which a fluent wrong
# answer also claims, in other words) less.
_CONCEPT_VOTE = {"technical": 1.5, "developer": 0.25, "business": 0.0}
_HEDGED_SENTENCES = 2


@dataclass(frozen=True)
class Reading:
    verdict: str  # right | wrong | hedged | none
    option: str | None  # the option the prose argues for, when it says clearly
    unsafe: tuple[str, ...]  # unsafe claims asserted in the learner's own voice
    unclear: bool  # the text leaves the decision (or its agreement with the pick) unclear
    evidence: str | None = None  # the learner's sentence that decided against the pick or the safe side


def _soft(span: Span) -> bool:
    return hedges(span) or any(span.contains_text(m) for m in lex.SOFT_MODALS)


def hedges(span: Span) -> bool:
    """Hedges match whole words: inflection changes their meaning ("possibly" hedges, "possible" does not)."""
    return any(span.contains_text(m) for m in lex.HEDGES)


def _has(span: Span, markers: tuple[tuple[str, ...], ...]) -> bool:
    return any(span.find(m) >= 0 for m in markers)


def _framed(clause: Span, at: tuple[int, int], conceding: bool = False) -> bool:
    """The words at token range ``at`` are a consequence to avoid, not something the learner asserts.

    ``conceding``: a contrast clause follows, so "X sounds convenient" concedes X before arguing against it.
    """
    start, end = at
    for m in map(marker, lex.CONSEQUENCE_AFTER):
        q = clause.find(m, end + 1)
        if not 0 <= q <= end + _FRAME_REACH:
            continue
        before = clause.stem_list[max(end + 1, q - 2) : q]
        object_ = clause.stem_list[q + len(m) : q + len(m) + 1]
        if not any(t in NEGATORS for t in before) and not any(t in _NOBODY for t in object_):
            return True
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
                if not any(t in _SMALL for t in object_):  # "would hurt nobody" vouches
                    return True
                break
    if conceding and any(0 <= clause.find(marker(m), end + 1) <= end + 2 for m in lex.CONCESSION_AFTER):
        return True
    if _hypothetical(clause, start, end):
        return True
    return any(0 <= clause.find(marker(m)) < start for m in lex.REASON_BEFORE)


def _hypothetical(clause: Span, start: int, end: int) -> bool:
    """An "if" clause whose consequence is damage argues against what it supposes."""
    tokens = clause.stem_list
    if _IF not in tokens[max(0, start - _IF_REACH) : start]:
        return False
    for i in range(end + 1, len(tokens)):
        if tokens[i] != _WOULD:
            continue
        for j in range(i + 1, min(i + 3, len(tokens))):
            if tokens[j] in NEGATORS:
                break
            if tokens[j] in _CONSEQUENCE_VERBS:
                return not any(o in _SMALL for o in tokens[j + 1 : j + 2])
    return False


def _attributed_from(clause: Span) -> int | None:
    """Where speech attributed to someone else starts in the clause ("the team says ..."), if anywhere."""
    for m in _ATTRIBUTION:
        at = clause.find(m)
        if at < 0:
            continue
        subject = clause.stem_list[max(0, at - 3) : at]
        if any(at >= len(p) and clause.stem_list[at - len(p) : at] == p for p in _PRESCRIBING):
            continue
        if at > 0 and not any(t in _FIRST_PERSON or t in _ENDORSING for t in subject):
            return at
    return None


def _describes(clause: Span, situation: frozenset[str]) -> bool:
    """The clause retells the situation (past tense, no first person, mostly the situation's own words)."""
    tokens = [t for t in clause.stem_list if t not in _STOP]
    if not tokens or any(t in _FIRST_PERSON for t in clause.stem_list):
        return False
    shared = sum(t in situation for t in tokens) / len(tokens)
    return any(t in _PAST for t in clause.stem_list) or shared >= 0.75


def _option_terms(options: tuple[Option, ...]) -> dict[str, dict[str, float]]:
    """Each option's distinctive stems, weighted by how few of the other options use them."""
    bags = {
        o.id: {stem(w) for w in words(" ".join((o.text, *o.phrases))) if len(w) > 1} - _STOP for o in options
    }
    df = Counter(t for bag in bags.values() for t in bag)
    n = len(options)
    return {oid: {t: math.log(n / df[t]) for t in bag if df[t] < n} for oid, bag in bags.items()}


_DENYING = frozenset(
    {"not", "no", "never", "without", "avoid", "stop", "instead", "than", "nor", "un", "non"}
)


def _negated_terms(options: tuple[Option, ...]) -> dict[str, frozenset[str]]:
    """The stems each option itself negates ("v1 never breaks"): saying them negated agrees with it."""
    out: dict[str, frozenset[str]] = {}
    for o in options:
        tokens = Span.of(o.text).stem_list
        out[o.id] = frozenset(t for i, t in enumerate(tokens) if _DENYING & set(tokens[max(0, i - 2) : i]))
    return out


def _denied(clause: Span, term: str) -> bool:
    """The term is said negated or as the alternative turned down: "not X", "rather than X", "without X"."""
    tokens = clause.stem_list
    return any(t == term and _DENYING & set(tokens[max(0, i - 2) : i]) for i, t in enumerate(tokens))


@dataclass
class _Votes:
    for_: dict[str, float]
    against: dict[str, float]
    hedging: int = 0


def _vote(
    scenario: Scenario, spans: list[Span], situation: frozenset[str]
) -> tuple[_Votes, list[str], list[str], str]:
    """Votes per option, unsafe claims in the learner's own voice, and the sentence that asserted the first."""
    terms = _option_terms(scenario.options)
    negated_in_option = _negated_terms(scenario.options)
    votes = _Votes(dict.fromkeys(terms, 0.0), dict.fromkeys(terms, 0.0))
    unsafe: list[str] = []
    floated: list[str] = []  # claims matched loosely, not in the learner's plain voice
    evidence = ""
    for index, span in enumerate(spans):
        sentence_hedged = hedges(span)
        votes.hedging += sentence_hedged
        parts = clauses_with_contrast(span.text)
        attributed = False
        for k, (contrast, text) in enumerate(parts):
            clause = Span.of(text)
            conceding = k + 1 < len(parts) and parts[k + 1][0]
            attributed = attributed and not contrast
            said = _attributed_from(clause)
            if attributed:
                continue
            if said is not None:
                attributed = True
                clause = clause.before(said)
            soft = _soft(clause)
            deciding = _has(clause, _DECIDING) and not hedges(clause)
            if hedges(clause) and not deciding:
                continue
            rebutted = _has(clause, _REBUTTAL)
            describing = _describes(clause, situation)
            own_voice = deciding or any(t in _FIRST_PERSON for t in clause.stem_list)
            for claim in scenario.unsafe:
                for p in map(phrase, claim.phrases):
                    at = clause.match(p)
                    if at is None or _framed(clause, at, conceding) or not clause.asserts(p):
                        continue
                    if soft or rebutted or describing or claim.id in unsafe:
                        continue
                    # Against a pick, only a plain statement of the claim counts: its words in a row, or
                    # the learner saying it in the first person.
                    # "in a row": nothing but function words between the claim's words
                    exact = all(t in p.needed or t in _STOP for t in clause.stem_list[at[0] : at[1] + 1])
                    target = unsafe if exact or own_voice else floated
                    if claim.id not in target:
                        target.append(claim.id)
                    evidence = evidence or span.text
            # The decision is where the learner states it: a deciding clause, or the opening sentence. Other
            # sentences weigh options (and rebut them) more than they choose.
            weight = (3.0 if deciding else 2.0 if index == 0 else 0.4) * (0.5 if soft else 1.0)
            present = clause.stem_set
            for oid, bag in terms.items() if not describing else ():  # retelling the situation argues nothing
                hit = [t for t in bag if t in present]
                if not hit:
                    continue
                mass = sum(bag[t] for t in hit)
                denied = sum(bag[t] for t in hit if _denied(clause, t) != (t in negated_in_option[oid]))
                framed = any(
                    (at := clause.match(phrase(t))) is not None and _framed(clause, at, conceding)
                    for t in hit
                )
                if framed:
                    votes.against[oid] += weight * mass
                else:
                    votes.for_[oid] += weight * (mass - denied)
                    votes.against[oid] += weight * denied
            # The rubric's technical concepts are the safe contract's own mechanism: naming one plainly argues
            # for it ("the server stores the first result and replays it").
            for c in scenario.concepts:
                for p in map(phrase, c.phrases):
                    if clause.match(p) is not None and clause.asserts(p) and not (rebutted or describing):
                        votes.for_[scenario.right] += _CONCEPT_VOTE[c.kind] * weight
                        break
            for o in scenario.options:
                for p in map(phrase, o.phrases):
                    if clause.match(p) is None:
                        continue
                    if describing:
                        continue
                    if clause.asserts(p) and not rebutted:
                        votes.for_[o.id] += 2 * weight
                    else:
                        votes.against[o.id] += 2 * weight
    return votes, unsafe, floated, evidence


def _prose_side(scenario: Scenario, votes: _Votes, acceptable: frozenset[str]) -> tuple[str | None, bool]:
    """The option the prose argues for, and whether it says so clearly."""
    net = {o.id: votes.for_[o.id] - 0.5 * votes.against[o.id] for o in scenario.options}
    ranked = sorted(net.items(), key=lambda kv: kv[1], reverse=True)
    best, best_weight = ranked[0]
    if best_weight < _MIN_WEIGHT:
        return None, False
    # Acceptable options are one side: the margin is between the best safe and the best unsafe option.
    same_side = acceptable if best in acceptable else frozenset(net) - acceptable
    other = max((w for oid, w in net.items() if oid not in same_side), default=0.0)
    return best, best_weight >= _MARGIN * max(other, 0.0) and best_weight - other >= 0.5


def read_decision(
    scenario: Scenario, spans: list[Span], choice: str | None, acceptable: frozenset[str]
) -> Reading:
    """The decision an answer makes, with its pick (``choice``) when there is one."""
    situation = frozenset(stem(w) for w in words(scenario.situation + " " + scenario.snippet))
    votes, unsafe, floated, evidence = _vote(scenario, spans, situation)
    option, clear = _prose_side(scenario, votes, acceptable)
    # Over-hedging (the seed's weak variant): two or more sentences that defer the decision, however firmly
    # another sentence then leans one way. A single "it depends on X, so I would Y" is reasoning, not a hedge.
    hedged = votes.hedging >= _HEDGED_SENTENCES
    if choice is not None:
        if choice not in acceptable:
            return Reading("wrong", option if clear else None, tuple(unsafe), False, None)
        if unsafe:
            return Reading("wrong", option, tuple(unsafe), False, evidence)
        if hedged:
            return Reading("hedged", option if clear else None, (), True)
        disagrees = clear and option is not None and option not in acceptable
        return Reading("right", option, (), disagrees)
    if unsafe:
        return Reading("wrong", option, tuple(unsafe), False, evidence)
    if hedged:
        return Reading("hedged", option if clear else None, (), True)
    if option is not None and clear:
        return Reading("right" if option in acceptable else "wrong", option, (), False)
    if floated:  # no pick and no clear side: a claim stated loosely is still what the prose argues
        return Reading("wrong", option, tuple(floated), False, evidence)
    if option is not None and option in acceptable:
        # The safe contract leads, narrowly: read it as the decision, and say the text was not plain.
        return Reading("right", option, (), True)
    if votes.hedging:
        return Reading("hedged", None, (), True)
    return Reading("none", None, (), True)
