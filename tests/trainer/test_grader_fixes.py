"""Regressions for the problems scenario writers reported against the grader, each built from their example."""

from __future__ import annotations

import pytest

from api_trainer.trainer import _lexicon as lex
from api_trainer.trainer import find_scenario
from api_trainer.trainer._grader import _marker, grade
from api_trainer.trainer._model import Scenario
from api_trainer.trainer._text import Span, phrase, sentences


def _strong(scenario: Scenario) -> str:
    return next(c.answer for c in scenario.calibration if c.label == "strong")


def _insert_second(answer: str, sentence: str) -> str:
    """The strong answer with ``sentence`` added after its first sentence (the last one stays last)."""
    parts = sentences(answer)
    return " ".join([parts[0], sentence, *parts[1:]])


# 1. Lexicon markers match by stem: plurals and inflections count.


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        ("My requirements come first.", lex.REQUIREMENTS),
        ("Let me start from the constraints.", lex.REQUIREMENTS),
        ("Each cell gets its own error budgets.", lex.INSTRUMENT),
        ("Alerting on the duplicate rate tells us it works.", lex.INSTRUMENT),
    ],
)
def test_markers_match_by_stem(text: str, markers: tuple[str, ...]) -> None:
    assert _marker(Span.of(text), markers)


def test_markers_still_match_whole_words_only() -> None:
    # "peak" must not fire inside "speaking", nor "tps" inside "https".
    assert not _marker(Span.of("Speaking plainly, see https for details."), lex.REQUIREMENTS)


def test_design_answer_opening_with_requirements_plural_passes_the_gate() -> None:
    scenario = find_scenario("payments-10k-tps-design")
    answer = (
        "My requirements come first: 99.99% is four minutes of downtime a month, and one failed payment "
        "every second already uses all of it. So I would run active-active in two regions "
        "with automatic failover, merchants split into cells, and an idempotency key on every write, because "
        "a retry after a failover must never charge a card twice. Webhooks, receipts and fraud scoring leave "
        "the request path for queues, so merchants' developers see a fast API where a retry is always safe. "
        "The cost is more infrastructure, which is acceptable against contract penalties. We will track "
        "error budget burn per cell. For the business it means we meet the SLA and keep the large merchants' "
        "revenue."
    )
    result = grade(scenario, answer)
    assert result.moves.requirements
    assert result.passed, result.feedback


# 2. A claim stated as a consequence to avoid is not the learner asserting it.


@pytest.mark.parametrize(
    ("scenario_id", "sentence"),
    [
        ("retry-storm-jitter", "Raising retries to 10 would make this worse, not better."),
        ("bulk-partial-failure", "Ignoring the bad rows is worse: nobody learns which grants are missing."),
        ("jobs-multi-task-version", "Just changing 2.0 would fail thousands of pipelines overnight."),
        (
            "missing-job-error-code",
            "Today the message is the only signal, which is why clients should check the message for it.",
        ),
    ],
)
def test_claim_in_a_consequence_frame_is_not_asserted(scenario_id: str, sentence: str) -> None:
    scenario = find_scenario(scenario_id)
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.unsafe_claims == ()
    assert result.decision == "right"
    assert result.passed, result.feedback


@pytest.mark.parametrize(
    ("scenario_id", "sentence"),
    [
        ("retry-storm-jitter", "Raising retries to 10 is the right call, even if it feels worse at first."),
        ("bulk-partial-failure", "We ignore the bad rows; anything stricter would break scripts."),
        ("missing-job-error-code", "Clients should check the message, which is why we keep it stable."),
        ("retry-without-key", "Retrying without a key is fine and would hurt nobody."),
        ("bulk-partial-failure", "Ignoring the bad rows is no worse than failing the whole call."),
    ],
)
def test_claim_asserted_next_to_a_frame_still_counts(scenario_id: str, sentence: str) -> None:
    # The frame must be about the claim: after it ("X would make this worse") or a reason before it.
    scenario = find_scenario(scenario_id)
    result = grade(scenario, _insert_second(_strong(scenario), sentence))
    assert result.decision == "wrong"
    assert result.unsafe_claims
    assert not result.passed


# 3. A negator after the phrase that introduces a contrast does not negate it.


def test_contrast_after_the_phrase_does_not_negate_it() -> None:
    assert Span.of("Send 429 Too Many Requests, not 503.").asserts(phrase("429 too many requests"))
    assert Span.of("Return 429 and not a 503 for quota.").asserts(phrase("return 429"))


@pytest.mark.parametrize(
    "text",
    [
        "Retrying without a key is not safe.",
        "Retrying without a key does not work.",
        "Retrying without a key never works.",
        "Never retry without a key.",
    ],
)
def test_predicate_and_leading_negations_still_negate(text: str) -> None:
    assert not Span.of(text).asserts(phrase("retry without a key"))


def test_send_429_not_503_commits_to_the_right_option() -> None:
    scenario = find_scenario("quota-429-not-503")
    answer = (
        "When a project goes over its own quota we return 429, not 503. A 503 makes customers' monitors think we are down, so their on-call is paged "
        "for what is really their plan limit. With a 429 their client backs off by itself and the developer "
        "reads which quota was hit instead of opening a ticket. The result is fewer false P1 support tickets "
        "and more customers upgrading their plan."
    )
    result = grade(scenario, answer)
    assert result.decision == "right", result.feedback


# 4. The causal link reaches developer points made earlier in the answer.

RETRY_STORM = (
    "Only the SDK retries now, with capped exponential backoff and jitter, a retry budget of about ten "
    "percent of traffic, and it honours Retry-After. The gateway, the BFF and the order service stop "
    "retrying. Developers still get automatic recovery from short blips without writing retry code, and "
    "overload appears as a clear error instead of a hang. The trade-off is that a few requests fail during "
    "a long outage instead of hanging, which is acceptable. I'd alert on retries as a share of traffic. "
    "Blips stay blips, so customers keep ordering and we pay no SLA credits."
)


def test_business_sentence_links_to_developer_points_made_earlier() -> None:
    result = grade(find_scenario("retry-storm-jitter"), RETRY_STORM)
    assert result.linked
    assert result.passed, (result.score, result.feedback)


def test_business_sentence_without_a_connective_is_still_unlinked() -> None:
    unlinked = RETRY_STORM.replace(", so customers keep", ". Customers keep")
    result = grade(find_scenario("retry-storm-jitter"), unlinked)
    assert not result.linked
    assert not result.passed


# 5. Trade-off and instrumentation phrasings.


@pytest.mark.parametrize(
    "text",
    [
        "You give up jump-to-page, which is acceptable.",
        "We pay for it by storing keys for a day, which is cheap.",
        "We trade a little latency for safety, and that is worth it.",
        "It comes at the cost of a second table, which is acceptable.",
        "The price is one more queue, and it is worth it.",
    ],
)
def test_trade_off_phrasings(text: str) -> None:
    span = Span.of(text)
    assert _marker(span, lex.TRADE_OFF)
    assert _marker(span, lex.ACCEPTABLE)


@pytest.mark.parametrize(
    "text",
    [
        "Success looks like zero duplicate shipments.",
        "We'd track the duplicate rate per day.",
        "A dashboard shows the share of v1 calls.",
        "We alert on the retry share.",
        "Two SLOs cover it.",
    ],
)
def test_instrumentation_phrasings(text: str) -> None:
    assert _marker(Span.of(text), lex.INSTRUMENT)


# 6. A claim floated inside a hedge is a hedge, unless the answer also asserts it plainly.

HEDGED_CLAIM = (
    "Per-endpoint versions might help, but they add complexity, and better docs could be enough. It depends "
    "on how many customers complain, so we could wait a quarter and see what the developers ask for before "
    "we decide anything."
)


def test_claim_inside_a_hedge_grades_hedged() -> None:
    result = grade(find_scenario("webhook-version-upgrade"), HEDGED_CLAIM)
    assert result.decision == "hedged"
    assert any(f.startswith("Commit to one option") for f in result.feedback)
    assert not result.passed


def test_claim_asserted_plainly_elsewhere_stays_wrong() -> None:
    plain = HEDGED_CLAIM + " Honestly, docs are enough here."
    result = grade(find_scenario("webhook-version-upgrade"), plain)
    assert result.decision == "wrong"
    assert result.unsafe_claims
