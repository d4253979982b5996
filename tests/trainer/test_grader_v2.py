"""The grader's four root causes, pinned with answers of our own (none copied from the issue text).

1. No sentence position is a gate: an answer that closes on a metric passes.
2. Describing, rebutting, conceding and supposing an unsafe claim are not making it.
3. Concepts by meaning: paraphrases, inflections, bullets and arrows match; generic words do not.
4. Translation is judged against this scenario: a template or a pasted list of terms fails everywhere.
"""

from __future__ import annotations

import pytest

from api_trainer.trainer import find_scenario, load_pack
from api_trainer.trainer._grader import grade

RETRY = find_scenario("retry-without-key")

STRONG = (
    "I would require an Idempotency-Key on every POST to /v1/charges and keep the first result for a day, so "
    "when the app retries after the 10 second timeout the server hands back ch_1 instead of making ch_2. The "
    "merchant's developer can then retry safely without writing reconciliation code against the list endpoint. "
    "Customers stop being charged twice, which removes the refunds and support tickets behind this incident. "
    "The cost is a key store with a 24 hour window, which is cheap next to one chargeback."
)


def test_a_strong_answer_passes_with_and_without_its_pick() -> None:
    assert grade(RETRY, STRONG, "require-key").passed
    open_answer = grade(RETRY, STRONG)
    assert open_answer.passed and open_answer.decision == "right"


# 1. The close: a metric with no business word in it is a fine last sentence.
@pytest.mark.parametrize(
    "close",
    [
        "I would watch p99 latency per tier and the error-budget burn rate.",
        "Success is the weekly count of duplicate-charge reports from mobile traffic going to zero.",
    ],
)
def test_closing_on_a_metric_passes(close: str) -> None:
    result = grade(RETRY, STRONG + " " + close, "require-key")
    assert result.passed, result.gates
    assert result.moves.instrumentation


# 2. Not assertions: the unsafe idea told, rebutted, conceded or supposed.
@pytest.mark.parametrize(
    "sentence",
    [
        "Deduplicating by amount and card would be wrong, because two real orders of the same amount would merge.",
        "The team says retries without a key are harmless, but the incident shows otherwise.",
        "If we told clients never to retry, every timeout would become a lost sale.",
        "Waiting longer between attempts sounds simple, but it does not tell the server the second POST is a repeat.",
    ],
)
def test_describing_rebutting_conceding_or_supposing_is_not_claiming(sentence: str) -> None:
    result = grade(RETRY, STRONG + " " + sentence, "require-key")
    assert result.decision == "right", (result.unsafe_claims, result.feedback)
    assert result.passed, result.gates


def test_asserting_the_unsafe_claim_in_your_own_voice_still_overrides_the_pick() -> None:
    result = grade(
        RETRY,
        STRONG + " Honestly, retrying without a key is fine if clients wait long enough.",
        "require-key",
    )
    assert result.decision == "wrong"
    assert any("unsafe" in line for line in result.feedback)
    # the feedback quotes the learner's own sentence, never a rubric phrase as if they wrote it
    assert any("retrying without a key is fine" in line for line in result.feedback)


# 3. Meaning, not a phrase list.
def test_paraphrase_and_imperfect_english_pass() -> None:
    answer = (
        "I choose the idempotency key. Client send same key when it resend the charge after time out, and server "
        "give back the first result, not create second charge. For the integrator this mean they can retry "
        "without fear and not build own dedupe job. For business we have less refunds and less complaints, "
        "merchants keep trust in checkout. The price is storing keys 24 hours, is acceptable."
    )
    assert grade(RETRY, answer, "require-key").passed


def test_arrows_and_bullets_carry_the_chain() -> None:
    answer = (
        "- Decision: Idempotency-Key required on POST /v1/charges, first result kept 24 h\n"
        "- Retry after the timeout -> same key -> ch_1 replayed, no ch_2\n"
        "- Developers retry safely, no reconciliation scripts\n"
        "- Business: no double charges -> fewer refunds and support tickets\n"
        "- Metric: duplicate-charge tickets per week"
    )
    result = grade(RETRY, answer, "require-key")
    assert result.passed, result.gates
    assert result.linked


def test_generic_words_do_not_satisfy_the_scenario() -> None:
    generic = (
        "We should pick the option that builds trust. It is acceptable for developers, and it keeps costs "
        "acceptable for the business, which protects revenue and reduces support load. The trade-off is some "
        "complexity, which is worth it. I would track adoption and satisfaction to know it works."
    )
    result = grade(RETRY, generic, "require-key")
    assert not result.passed
    assert "grounding" in result.gates


# 4. Grounded translation: a template fails everywhere, and so does a list of terms in a causal frame.
TEMPLATE = (
    "The key is to put the integrating developer first. This choice gives them a predictable, well documented "
    "contract, so they spend less time on edge cases, which reduces support load and builds long-term trust. "
    "The trade-off is some extra work on our side, which is acceptable because it pays back across every "
    "customer. I would track adoption, error rates and support tickets to know it works."
)


def test_a_template_fails_every_bundled_scenario_and_ranks_below_its_strong_calibration() -> None:
    for scenario in load_pack():
        templated = grade(scenario, TEMPLATE, scenario.right)
        assert not templated.passed, scenario.id
        strong = [grade(scenario, c.answer, c.choice) for c in scenario.calibration if c.label == "strong"]
        assert all(templated.score < s.score for s in strong), scenario.id


def test_rubric_terms_pasted_into_a_causal_frame_are_not_an_explanation() -> None:
    terms = ", ".join(p for c in RETRY.concepts for p in c.phrases[:2])
    stuffed = f"We chose the key because {terms}, so developers, trust, revenue, which means churn, refunds, tickets."
    result = grade(RETRY, stuffed, "require-key")
    assert not result.passed
    assert "prose" in result.gates


def test_over_hedging_fails_even_with_the_right_pick() -> None:
    hedge = (
        "It depends on how often the mobile app times out. Idempotency keys might help, but we could also "
        "consider telling clients not to retry. I would want to sit down with engineering before deciding."
    )
    result = grade(RETRY, hedge, "require-key")
    assert result.decision == "hedged"
    assert not result.passed


def test_feedback_asks_a_question_about_this_scenario_and_never_quotes_the_rubric() -> None:
    thin = (
        "I would add an Idempotency-Key header to POST /v1/charges and replay the stored first result for 24 "
        "hours when the same key comes back, so the retry after the timeout returns ch_1."
    )
    result = grade(RETRY, thin, "require-key")
    assert not result.passed
    assert any(
        "Ask yourself:" in line and line.split("Ask yourself: ")[1] in RETRY.hints for line in result.feedback
    )
    rubric = {p for c in RETRY.concepts for p in c.phrases} | {c.label for c in RETRY.concepts}
    quoted = [part for line in result.feedback for part in line.split('"')[1::2]]
    assert not set(quoted) & rubric


def test_the_seeds_headline_answers() -> None:
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parent / "seed_answers.toml").read_text(encoding="utf-8"))
    scenario = find_scenario(data["scenario"])
    answers = {a["label"]: a for a in data["answer"]}
    strong = answers["strong"]
    for choice in (None, *strong["choices"]):
        assert grade(scenario, strong["text"], choice).passed, choice
    best_weak = max(
        grade(scenario, a["text"], c).score
        for k, a in answers.items()
        if k != "strong"
        for c in (None, *a["choices"])
    )
    for k, a in answers.items():
        if k != "strong":
            assert not any(grade(scenario, a["text"], c).passed for c in (None, *a["choices"])), k
    assert grade(scenario, strong["text"]).score > best_weak


# Found on the development half of the blind corpus (round 2 and 3 sessions); pinned with answers of our own.
def test_an_arrow_after_a_full_stop_opens_a_consequence() -> None:
    terse = (
        "Require an Idempotency-Key on POST /v1/charges and replay the first result for 24 h. "
        "-> Retries after the 10 s timeout are safe, no ch_2. -> Fewer refunds and support tickets. "
        "Metric: duplicate-charge tickets from mobile."
    )
    result = grade(RETRY, terse, "require-key")
    assert result.translation.developer, result.gates
    assert result.passed, result.gates


def test_buzzwords_strung_together_are_a_salad_even_with_the_right_pick() -> None:
    salad = (
        "We should leverage a best-in-class, frictionless idempotency layer for the mobile charge flow, so "
        "timeouts and retries become seamless for every developer. It unlocks omnichannel trust, protects "
        "revenue, cuts refunds and support tickets, and keeps ch_1 the only charge."
    )
    result = grade(RETRY, salad, "require-key")
    assert not result.passed
    assert "jargon" in result.gates
    assert any("buzzwords" in line for line in result.feedback)


def test_a_name_inside_a_path_or_a_compound_is_not_a_person() -> None:
    from api_trainer.trainer._grader import _person, _said
    from api_trainer.trainer._text import Span

    def person(text: str) -> bool:
        return _person(_said(Span.of(text)))

    for mechanism in (
        "Page through GET /v1/customers?limit=100 with starting_after.",
        "Route reads to the primary for read-your-writes within 10 s.",
        "The managed service quoted 6 engineer-months to build a custom cluster during development.",
    ):
        assert not person(mechanism), mechanism
    assert person("Integrators' code stops guessing, and merchants see one charge.")


def test_a_business_concept_said_in_order_is_a_business_outcome_without_a_person() -> None:
    scenario = find_scenario("new-response-field")
    answer = (
        "Ship network_token_used as an optional field in the current version: additive fields are non-breaking "
        "and the SDKs ignore unknown fields. -> Tolerant clients see nothing change, the one strict enterprise "
        "client gets a heads-up. The fraud program gets its data five months sooner. Watch deserialisation "
        "errors after release."
    )
    result = grade(scenario, answer, "ship-additive")
    assert result.translation.business, result.gates
