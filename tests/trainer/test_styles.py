"""Company styles change grading as docs/interview.md documents: per style, an answer that passes in one style
and fails in another, for that style's documented reason.

Google and Amazon are shown on answers graded by the grader as written. For the others the answer is a strong
calibration answer whose grade has exactly one field switched off (``dataclasses.replace``): the style rule is
a function over a grade, and this pins it to the one field it documents.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from api_trainer.trainer import find_scenario
from api_trainer.trainer._grader import Grade, grade
from api_trainer.trainer._interview import choose_follow_up, plan_loop
from api_trainer.trainer._styles import apply_style, follow_up_questions, styles

STYLES = styles()


def _strong(scenario_id: str) -> tuple[Grade, object]:
    scenario = find_scenario(scenario_id)
    c = next(c for c in scenario.calibration if c.label == "strong")
    result = grade(scenario, c.answer, c.choice)
    assert result.passed
    return result, scenario


_DASHBOARD_TAIL = """
The rollup takes each tile from 41 seconds to a second or two, so analysts stop waiting and the team's cost
per query is predictable. The catch is up to an hour of lag, which is fine because nothing newer exists.
I'd track bytes scanned per account and cache hits. We launch a dashboard people will actually use, for a
few hundred dollars a day rather than sixty thousand."""
ARCHITECTURE_FIRST = (
    """I would have the tiles read a per-account daily rollup rebuilt after each hourly load, with results
cached until the next load. Here is why: five hundred analysts refreshing every five minutes over a ten-hour
day is 60,000 refreshes, each scanning about 200 GB, so roughly 12 petabytes a day; at $5 per TB that is
around $60,000 a day. Since data only arrives hourly, most of those refreshes recompute an answer we already
have, so I would also set a query budget per account."""
    + _DASHBOARD_TAIL
)
REQUIREMENTS_FIRST = (
    """Before choosing anything: 500 analysts refresh every five minutes over a ten-hour day, 60,000 refreshes
of about 200 GB each, so roughly 12 petabytes and $60,000 a day at $5 per TB, and the data only arrives
hourly. Given that, I would have the tiles read a per-account daily rollup rebuilt after each hourly load,
with results cached until the next load and a query budget per account."""
    + _DASHBOARD_TAIL
)


def test_google_fails_a_design_answer_that_starts_with_the_architecture() -> None:
    scenario = find_scenario("dashboard-query-cost")
    result = grade(scenario, ARCHITECTURE_FIRST)
    assert result.passed and result.moves.requirements and not result.moves.requirements_first
    assert apply_style(result, scenario, STYLES["stripe"]).passed
    google = apply_style(result, scenario, STYLES["google"])
    assert not google.passed
    assert google.missing == ("requirements_first",)
    assert "before its first architecture choice" in google.reasons[0]
    # the same content with the numbers first passes the Google style
    reordered = grade(scenario, REQUIREMENTS_FIRST)
    assert apply_style(reordered, scenario, STYLES["google"]).passed


def test_amazon_fails_a_fault_tolerance_answer_without_the_failure_story() -> None:
    scenario = find_scenario("status-200-but-failed")
    result = grade(scenario, scenario.reference)
    assert result.passed and not result.moves.failure_mode
    assert apply_style(result, scenario, STYLES["stripe"]).passed
    amazon = apply_style(result, scenario, STYLES["amazon"], pillar="fault-tolerance")
    assert not amazon.passed and amazon.missing == ("failure_mode",)
    assert "what degrades gracefully" in amazon.reasons[0]
    # outside the fault-tolerance pillar the failure story is not asked for
    assert apply_style(result, scenario, STYLES["amazon"], pillar="incomplete-information").passed


def test_amazon_passes_the_same_kind_of_answer_once_it_tells_the_failure_story() -> None:
    scenario = find_scenario("status-200-but-failed")
    story = (
        " When the provisioning fails, the dashboard degrades gracefully: the user sees the failed status and"
        " its error at once instead of a green 200, and can retry."
    )
    result = grade(scenario, scenario.reference + story)
    assert result.passed and result.moves.failure_mode
    assert apply_style(result, scenario, STYLES["amazon"], pillar="fault-tolerance").passed


@pytest.mark.parametrize(
    ("style", "other", "scenario_id", "group", "field", "reason"),
    [
        ("stripe", "google", "retry-without-key", "translation", "developer", "integrating developer"),
        ("databricks", "stripe", "warehouse-export-design", "moves", "trade_off", "names the trade-off"),
        ("snowflake", "google", "retry-without-key", "translation", "business", "go-to-market angle"),
        ("meta", "stripe", "retry-without-key", "moves", "product_close", "user and product outcome"),
    ],
)
def test_style_requires_its_documented_field(
    style: str, other: str, scenario_id: str, group: str, field: str, reason: str
) -> None:
    result, scenario = _strong(scenario_id)
    without = replace(result, **{group: replace(getattr(result, group), **{field: False})})
    assert apply_style(result, scenario, STYLES[style]).passed  # type: ignore[arg-type]
    assert apply_style(without, scenario, STYLES[other]).passed  # type: ignore[arg-type]
    styled = apply_style(without, scenario, STYLES[style])  # type: ignore[arg-type]
    assert not styled.passed
    assert styled.missing == (field,)
    assert reason in styled.reasons[0]


def test_a_style_requirement_comes_first_as_the_follow_up() -> None:
    scenario = find_scenario("dashboard-query-cost")
    result = grade(scenario, ARCHITECTURE_FIRST)
    google = apply_style(result, scenario, STYLES["google"])
    assert choose_follow_up(google, scenario) == "requirements_first"
    assert "Before any architecture" in follow_up_questions()["requirements_first"]
    stripe = apply_style(result, scenario, STYLES["stripe"])
    assert choose_follow_up(stripe, scenario) != "requirements_first"  # not a Stripe emphasis


def test_every_style_plans_four_to_six_questions_or_names_its_missing_pillars() -> None:
    from api_trainer.trainer import load_pack

    pack = load_pack()
    for style in STYLES.values():
        plan = plan_loop(style, pack, seed=3)
        assert 1 <= len(plan.questions) <= 6
        if len(plan.questions) < 4:
            assert plan.empty_pillars
        assert len({q.scenario.id for q in plan.questions}) == len(plan.questions)
        empty = [
            p.id for p in style.pillars if not any(s.topic in p.topics and s.kind in p.kinds for s in pack)
        ]
        assert [p.id for p in plan.empty_pillars] == empty
