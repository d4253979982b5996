"""Regressions for the second round of grader reports, each built from the scenario writer's example."""

from __future__ import annotations

import pytest

from api_trainer.trainer import _lexicon as lex
from api_trainer.trainer import find_scenario
from api_trainer.trainer._grader import _asserted_unframed, _marker, _requirements, grade
from api_trainer.trainer._model import Scenario
from api_trainer.trainer._text import Span, phrase, sentences


def _strong(scenario: Scenario) -> str:
    return next(c.answer for c in scenario.calibration if c.label == "strong")


def _insert_second(answer: str, sentence: str) -> str:
    """The strong answer with ``sentence`` added after its first sentence (the last one stays last)."""
    parts = sentences(answer)
    return " ".join([parts[0], sentence, *parts[1:]])


def _replace_first(answer: str, sentence: str) -> str:
    return " ".join([sentence, *sentences(answer)[1:]])


# 1. Numbers with units, framed as the starting point, count as requirements.


@pytest.mark.parametrize(
    "opening",
    [
        "Given 40,000 exports a day, each taking 2 to 20 minutes, and proxies that cut requests at 60 seconds.",
        "First the numbers: 40,000 exports a day, 2 to 20 minutes each, and a 60 second proxy limit.",
        "My assumptions: about 40,000 exports a day, up to 20 minutes each, and a 60 second proxy cut-off.",
        "The scale is 10,000 TPS at 99.99% availability.",
    ],
)
def test_numbers_framed_as_requirements_count(opening: str) -> None:
    assert _requirements([Span.of(opening), Span.of("Then the design follows.")])


@pytest.mark.parametrize(
    "opening",
    [
        "Given the choice, I would build an export job.",  # a frame without a number
        "The job runs 3 workers behind one queue.",  # a number without a frame or a unit
    ],
)
def test_a_frame_or_a_number_alone_is_not_requirements(opening: str) -> None:
    assert not _requirements([Span.of(opening), Span.of("Then the design follows.")])


def test_design_answer_opening_with_given_and_numbers_passes() -> None:
    scenario = find_scenario("report-export-job-design")
    # The calibration answer without its own requirement markers ("constraints", "given that").
    design = _strong(scenario).replace("Given that, the export", "The export")
    given = "Given 40,000 exports a day, each taking 2 to 20 minutes, and proxies that cut requests at 60 seconds."
    result = grade(scenario, _replace_first(design, given))
    assert result.moves.requirements
    assert result.passed, result.feedback
    # The same answer opening on the design alone misses the move, and fails on it.
    result = grade(scenario, _replace_first(design, "I have looked at how the export works today."))
    assert not result.moves.requirements
    assert not result.passed


# 2. Conditionals, contrasts and concessions are not claims.


@pytest.mark.parametrize(
    ("scenario_id", "sentence"),
    [
        ("sql-statement-long-query", "Increasing the timeout only moves the wall a few minutes further out."),
        ("delivery-retry-design", "Retrying forever would hammer dead endpoints and fill our queues."),
        (
            "endpoint-404-to-stop",
            "Following redirects sounds convenient, but it could send signed payloads anywhere.",
        ),
    ],
)
def test_claim_framed_as_a_consequence_or_concession_is_not_asserted(scenario_id: str, sentence: str) -> None:
    scenario = find_scenario(scenario_id)
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.unsafe_claims == ()
    assert result.decision == "right", result.feedback
    assert result.passed, result.feedback


@pytest.mark.parametrize(
    ("scenario_id", "sentence"),
    [
        ("delivery-retry-design", "Retrying forever would deliver every event in the end."),
        ("delivery-retry-design", "Retrying forever will send every event in the end."),
        ("delivery-retry-design", "Retrying forever just works."),
        ("delivery-retry-design", "Retrying forever would cost very little."),
        (
            "sql-statement-long-query",
            "Increasing the timeout only costs a little compute.",
        ),
        ("endpoint-404-to-stop", "Following redirects looks safe to me."),  # no contrast: not a concession
    ],
)
def test_claim_vouched_for_after_it_is_still_asserted(scenario_id: str, sentence: str) -> None:
    scenario = find_scenario(scenario_id)
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "wrong", result.feedback
    assert result.unsafe_claims


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("Waiting for the next version would cost five months.", "wait for the next version"),
        ("Increasing the timeout only moves the wall.", "increase the timeout"),
    ],
)
def test_consequence_frame_does_not_commit_to_the_option(text: str, option: str) -> None:
    assert not _asserted_unframed(Span.of(text), phrase(option))
    assert _asserted_unframed(Span.of(text.split(" would")[0].split(" only")[0] + "."), phrase(option))


def test_waiting_would_cost_is_not_choosing_to_wait() -> None:
    scenario = find_scenario("new-response-field")
    sentence = "Waiting for the next version would cost five months of customers asking for the field."
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "right"


def test_damage_verb_that_is_negated_still_asserts_the_claim() -> None:
    scenario = find_scenario("delivery-retry-design")
    sentence = "Retrying forever would not hurt anyone, so we never disable."
    assert grade(scenario, _insert_second(_strong(scenario), sentence)).decision == "wrong"


@pytest.mark.parametrize("lead", ["Rather than polling the statement", "Instead of polling the statement"])
def test_rather_than_and_instead_of_do_not_commit(lead: str) -> None:
    assert not Span.of(f"{lead}, we hold the request open.").asserts(phrase("poll the statement"))
    assert Span.of("We poll the statement.").asserts(phrase("poll the statement"))


def test_rather_than_the_right_option_reads_as_the_wrong_decision() -> None:
    answer = (
        "Rather than polling the statement, we keep the request open with a longer timeout, so the dashboard "
        "gets one answer and developers have less code to write. Customers see their numbers without any "
        "extra work on their side."
    )
    assert grade(find_scenario("sql-statement-long-query"), answer).decision == "wrong"


def test_without_before_a_phrase_does_not_commit_to_it() -> None:
    assert not Span.of("Ship without an idempotency key.").asserts(phrase("idempotency key"))


def test_hedge_in_one_clause_does_not_hedge_the_other() -> None:
    # The soft modal sits in the second clause: the first commits to the option.
    scenario = find_scenario("sql-statement-long-query")
    sentence = "We poll the statement by id, and a slow dashboard could still show a spinner."
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "right"


# 3. Speech attributed to someone else is not the learner's claim.


@pytest.mark.parametrize(
    "sentence",
    [
        "The team says adding an enum value is safe because the field is a string.",
        "The PM argues that enum additions are safe, but every closed switch breaks on them.",
        "Some would say new enum values are harmless.",
    ],
)
def test_attributed_claim_is_not_the_learners(sentence: str) -> None:
    scenario = find_scenario("enum-value-added")
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.unsafe_claims == ()
    assert result.passed, result.feedback


@pytest.mark.parametrize(
    "sentence",
    [
        "I would argue adding an enum value is safe.",
        "We think new enum values are harmless.",
        "They say it is risky, but adding an enum value is safe.",  # the learner's own voice after "but"
        "As the team says, adding an enum value is safe.",  # endorsed, not reported
        "The team says adding an enum value is safe, and they are right.",
    ],
)
def test_first_person_or_after_a_contrast_is_still_the_learners(sentence: str) -> None:
    scenario = find_scenario("enum-value-added")
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "wrong"
    assert result.unsafe_claims


# 4. Negation: prefixes, stop verbs, and a negator only reaches its own verb phrase.


def test_non_prefix_negates() -> None:
    span = Span.of("Every guideline lists new response fields as non-breaking.")
    assert not span.asserts(phrase("new fields are breaking"))
    assert span.asserts(phrase("non-breaking"))  # an option phrase that carries the prefix itself


def test_un_prefix_negates() -> None:
    assert not Span.of("Retrying without a key is unsafe.").asserts(phrase("retrying without a key is safe"))
    assert Span.of("Retrying without a key is safe.").asserts(phrase("retrying without a key is safe"))
    # "unique" is not "un" + "ique"
    assert Span.of("A unique key per charge.").asserts(phrase("unique key"))


@pytest.mark.parametrize("text", ["Stop trusting arrival order.", "Avoid trusting arrival order."])
def test_stop_verbs_negate(text: str) -> None:
    assert not Span.of(text).asserts(phrase("trust arrival order"))


def test_never_elsewhere_in_the_sentence_does_not_flip_the_claim() -> None:
    text = "The docs never promised an order, undocumented behaviour can change freely."
    assert Span.of(text).asserts(phrase("undocumented behaviour can change"))
    answer = (
        "We keep relevance as the default. The docs never promised an order, undocumented behaviour can "
        "change, and customers who read only the first page relied on it at their own risk. It keeps our "
        "search better for developers, so customers get better results."
    )
    result = grade(find_scenario("undocumented-default-order"), answer)
    assert result.decision == "wrong"
    assert "undocumented-is-free" in result.unsafe_claims


@pytest.mark.parametrize(
    "text",
    [
        "We will never let clients retry without a key.",
        "No client should ever retry without a key.",
        "Never, under any circumstances, retry without a key.",
    ],
)
def test_negator_before_its_own_verb_phrase_still_negates(text: str) -> None:
    assert not Span.of(text).asserts(phrase("retry without a key"))


# 5. Particles that reverse a phrase are not filler.


def test_out_of_order_does_not_match_in_order() -> None:
    assert not Span.of("Webhooks arrive out of order after a retry.").has_in_order(phrase("arrive in order"))
    assert Span.of("Webhooks arrive in order.").has_in_order(phrase("arrive in order"))
    assert not Span.of("Turn the check off for partners.").has_in_order(phrase("turn the check on"))


# 6. Trade-off and metric phrasings.


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("It costs one extra API call per event, which is acceptable.", ""),
        ("There is a cost in storage for the keys, but it's cheap.", ""),
        ("It's a worse-looking number, but worth it.", ""),
        ("Each event costs one extra API call.", "That is a cheap price for a correct status."),
    ],
)
def test_trade_off_phrasings_round2(first: str, second: str) -> None:
    spans = [Span.of(first), Span.of(second)]
    assert _marker(spans[0], lex.TRADE_OFF)
    assert any(_marker(s, lex.ACCEPTABLE) for s in spans)


def test_keep_an_eye_on_is_instrumentation() -> None:
    assert _marker(Span.of("We keep an eye on the stale-event rate."), lex.INSTRUMENT)


# 7. Concept coverage: a strong answer cut down to half of the rubric reads thin.

THIN = (
    "All-or-nothing is the wrong model here because these are 500 separate grants, not one transaction. The "
    "downside is that clients must handle partial success, but that is fine because a silent skip or a vague "
    "400 is worse. We would track tickets mentioning bulk-grant errors week over week. The business payoff is "
    "onboarding that completes the same night and platform teams that trust our automation."
)


def test_half_the_rubric_is_not_enough() -> None:
    scenario = find_scenario("bulk-partial-failure")
    result = grade(scenario, THIN)
    assert 2 * len(result.concepts_hit) <= len(scenario.concepts)
    assert result.decision == "right" and result.linked and result.translation.product_sentence_last
    assert not result.passed
    assert any(f.startswith("Cover more of the ground") for f in result.feedback)


def test_every_strong_calibration_answer_covers_more_than_half() -> None:
    from api_trainer.trainer._loader import load_pack

    for scenario in load_pack():
        for c in scenario.calibration:
            if c.label == "strong":
                hit = grade(scenario, c.answer, c.choice).concepts_hit
                assert 2 * len(hit) > len(scenario.concepts), (scenario.id, hit)
