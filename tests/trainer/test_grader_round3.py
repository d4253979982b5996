"""Regressions for the third round of grader reports, each built from the scenario writer's example."""

from __future__ import annotations

import pytest

from api_trainer.trainer import _lexicon as lex
from api_trainer.trainer import find_scenario
from api_trainer.trainer._grader import (
    _attributed_from,
    _decide,
    _hedges,
    _instrumented,
    _marker,
    _requirements,
    _soft,
    _trade_off,
    grade,
)
from api_trainer.trainer._model import Scenario
from api_trainer.trainer._text import Span, sentences


def _strong(scenario: Scenario) -> str:
    return next(c.answer for c in scenario.calibration if c.label == "strong" and c.choice is None)


def _insert_second(answer: str, sentence: str) -> str:
    parts = sentences(answer)
    return " ".join([parts[0], sentence, *parts[1:]])


def _replace_first(answer: str, sentence: str) -> str:
    return " ".join([sentence, *sentences(answer)[1:]])


def _decision(scenario_id: str, text: str) -> str:
    return _decide(find_scenario(scenario_id), [Span.of(s) for s in sentences(text)], None)[0]


# 1. "should say" prescribes: the learner decides; only a third-party subject reports speech.


def test_should_say_is_the_learners_decision() -> None:
    scenario = find_scenario("short-page-not-end")
    opening = (
        "The contract should say that only an empty token marks the end, and short pages are normal mid-list."
    )
    result = grade(scenario, _replace_first(_strong(scenario), opening))
    assert result.decision == "right"
    assert result.passed, result.feedback
    # Put in someone else's mouth, the same sentence decides nothing.
    reported = opening.replace("The contract should say", "The team says")
    assert grade(scenario, _replace_first(_strong(scenario), reported)).decision == "none"


@pytest.mark.parametrize(
    "text",
    ["the contract should say that x", "the docs must say that x", "the spec needs to say that x"],
)
def test_prescribing_modal_is_not_attribution(text: str) -> None:
    assert _attributed_from(Span.of(text)) is None


@pytest.mark.parametrize("text", ["the team says that x", "they claim x", "some would say x"])
def test_third_party_subject_is_attribution(text: str) -> None:
    assert _attributed_from(Span.of(text)) is not None


# 2. A negated "could" states an impossibility; it does not hedge.


@pytest.mark.parametrize(
    "text",
    [
        "If we lost the key we could never recover the payment.",
        "We couldn't recover the money once it left.",
        "We could not tell the two charges apart.",
    ],
)
def test_negated_could_is_not_a_hedge(text: str) -> None:
    assert not _hedges(Span.of(text))
    assert not _soft(Span.of(text))


@pytest.mark.parametrize("text", ["We could add a retry later.", "We might never know."])
def test_plain_could_and_might_still_hedge(text: str) -> None:
    assert _hedges(Span.of(text))


def test_could_never_recover_keeps_a_claim_asserted() -> None:
    scenario = find_scenario("retry-without-key")
    sentence = "Retrying without a key is safe, and we could never recover a lost charge anyway."
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "wrong"  # asserted plainly, not floated: the clause holds no soft modal


# 3. A cost clause followed by an acceptance marker is a trade-off.


@pytest.mark.parametrize(
    "text",
    [
        "It adds a lookup on the error path, but that is cheap.",
        "We pay for 35 million stored keys, which is cheap insurance.",
        "A few extra requests per export on sparse filters, which is acceptable.",
        "It makes a rescued call a little slower, which is a fair price.",
        "An upsert is slightly more work than an insert, but negligible.",
        "Launch slips by a week, a price worth paying.",
        "It adds one read per write, which is fine for our volume.",
        "It adds a header check, which I'm fine with.",
    ],
)
def test_cost_then_acceptance_is_a_trade_off(text: str) -> None:
    assert _trade_off([Span.of(text)], 0)


@pytest.mark.parametrize(
    "text",
    [
        "It adds a lookup on the error path.",  # a cost, never accepted
        "That is fine, and it adds a lookup.",  # the acceptance comes before the cost
        "The cache is cheap.",  # acceptance without a cost
    ],
)
def test_cost_or_acceptance_alone_is_not_a_trade_off(text: str) -> None:
    assert not _trade_off([Span.of(text)], 0)


def test_cost_accepted_in_the_next_sentence() -> None:
    spans = [Span.of("It adds a lookup on the error path."), Span.of("That lookup is negligible.")]
    assert _trade_off(spans, 0)


# 4. Metric phrasings without a metric word.


@pytest.mark.parametrize(
    "text",
    [
        "Each night, compare the exported count with ours.",
        "The number I would report to you every month is the share of exports that reconcile.",
        "The figure we would watch is the share of retries answered from the store.",
        "We report on reconciled exports every week.",
    ],
)
def test_metric_phrasings_are_instrumentation(text: str) -> None:
    assert _instrumented(Span.of(text))


@pytest.mark.parametrize(
    "text",
    [
        "The export count is stored in a column.",
        "We compare two options.",
        "The report export runs every night.",
    ],
)
def test_count_or_report_alone_is_not_instrumentation(text: str) -> None:
    assert not _instrumented(Span.of(text))


# 5. An "if" clause with a damaging "would" consequence argues against the hypothetical.


def test_hypothetical_with_damage_is_not_choosing_it() -> None:
    scenario = find_scenario("audit-log-list-design")
    sentence = "If we shipped the array now and added paging later, every integration would quietly stop at the first page."
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "right"
    assert not result.unsafe_claims
    assert result.passed, result.feedback


@pytest.mark.parametrize(
    "sentence",
    [
        "If we shipped the array now, integrations would work fine for a year.",  # no damage: vouches
        "We ship the array now and add paging later.",  # no hypothetical
    ],
)
def test_hypothetical_without_damage_or_plain_claim_still_asserts(sentence: str) -> None:
    scenario = find_scenario("audit-log-list-design")
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "wrong"


@pytest.mark.parametrize("verb", ["stop", "cap", "leave", "drop"])
def test_new_damage_verbs(verb: str) -> None:
    assert verb in lex.CONSEQUENCE_VERBS


# 6. An option named in passing inside a hedge does not commit the answer.


@pytest.mark.parametrize(
    "text",
    [
        "A short window in memory is fast, but it depends on how long clients retry. We would need more data on "
        "retry patterns before we pick a retention.",
        "A day of keys is plenty, but it depends on how long clients retry. We would need more data on retry "
        "patterns before we pick a retention.",
    ],
)
def test_option_in_passing_inside_a_hedge_decides_nothing(text: str) -> None:
    assert _decision("idempotency-key-storage", text) == "hedged"


def test_committed_option_inside_a_hedged_sentence_still_decides() -> None:
    text = (
        "It depends on the clients, but we should keep keys for 24 hours. Longer retention only adds storage."
    )
    assert _decision("idempotency-key-storage", text) == "right"


# 7. More causal links and requirement phrasings.


@pytest.mark.parametrize(
    "text",
    [
        "Developers would then see a clean 409 instead of a second charge.",
        "We return the stored response, which avoids a second charge for the customer.",
    ],
)
def test_then_and_which_avoids_are_causal(text: str) -> None:
    assert _marker(Span.of(text), lex.CAUSAL)


def test_bare_then_is_not_causal() -> None:
    assert not _marker(Span.of("Then the developer retries."), lex.CAUSAL)


@pytest.mark.parametrize(
    "opening",
    [
        "Let me start with the numbers: 2,000 payments.",
        "The service handles 5,000 requests a second.",
        "About 3 million exports daily.",
    ],
)
def test_rates_framed_as_requirements(opening: str) -> None:
    assert _requirements([Span.of(opening), Span.of("Then the design follows.")])


# Found while fixing 5: "nothing" stems to "noth", so it was neither a negator nor a "small" object.


@pytest.mark.parametrize(
    "sentence",
    [
        "If we shipped the array now, it would cost nothing.",
        "Shipping the array now would cost nothing.",
    ],
)
def test_would_cost_nothing_vouches_for_the_claim(sentence: str) -> None:
    scenario = find_scenario("audit-log-list-design")
    assert grade(scenario, _insert_second(_strong(scenario), sentence)).decision == "wrong"


def test_nothing_negates() -> None:
    from api_trainer.trainer._text import phrase

    assert not Span.of("Nothing about retrying without a key is safe.").asserts(
        phrase("retrying without a key")
    )
    assert Span.of("Retrying without a key is safe.").asserts(phrase("retrying without a key"))
