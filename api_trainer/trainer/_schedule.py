"""FSRS scheduling per scenario: a grade becomes a rating, a rating moves the scenario's card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler

if TYPE_CHECKING:  # the grader is imported when an answer is graded, not to show the first prompt
    from ._grader import Grade

# One learning step of an hour: a failed scenario (Again) comes back the same day, an hour later, while a
# pass (Good) goes to FSRS's day intervals. Without a step both came back after a day, so a wrong pick and
# a pass looked the same on the schedule.
RETRY_STEP = timedelta(hours=1)
_SCHEDULER = Scheduler(learning_steps=(RETRY_STEP,), relearning_steps=(RETRY_STEP,), enable_fuzzing=False)


def rating_for(grade: Grade, hints_used: int = 0, *, first_choice_right: bool = True) -> Rating:
    """Failed badly: Again. Failed, or passed with hints: Hard. Passed: Good. Passed with every move: Easy.

    A learner who first chose an unsafe option and then explained the right one after seeing the feedback has
    learned something, but does not yet know it: Hard at best, Again when the explanation fails too."""
    if not first_choice_right or grade.decision == "wrong":
        return Rating.Hard if grade.passed else Rating.Again
    if not grade.passed:
        return Rating.Again if grade.score < 0.4 else Rating.Hard
    if hints_used:
        return Rating.Hard
    if grade.moves.trade_off and grade.moves.instrumentation and grade.moves.product_close:
        return Rating.Easy
    return Rating.Good


def new_card() -> Card:
    return Card()


def review(card: Card, rating: Rating, when: datetime | None = None) -> Card:
    when = when or datetime.now(UTC)
    updated, _log = _SCHEDULER.review_card(card, rating, review_datetime=when)
    return updated
