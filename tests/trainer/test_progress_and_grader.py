"""Progress export/reset through the CLI, FSRS scheduling, and the grader's negation handling."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api_trainer.trainer import find_scenario
from api_trainer.trainer._grader import grade
from api_trainer.trainer._progress import next_scenario, summarise
from api_trainer.trainer._store import ProgressStore

SCENARIO = find_scenario("retry-without-key")
STRONG = next(c.answer for c in SCENARIO.calibration if c.label == "strong")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_unsafe_claim_is_negation_aware() -> None:
    base = (
        "We use idempotency keys so the developer can retry safely, which means fewer refunds and support "
        "tickets for merchants. "
    )
    assert grade(SCENARIO, base + "Retrying without a key is fine.").decision == "wrong"
    assert grade(SCENARIO, base + "Retrying without a key is not fine.").decision == "right"
    assert grade(SCENARIO, base + "Retrying without a key is never safe.").decision == "right"


def test_term_list_fails_the_prose_gate() -> None:
    terms = ", ".join(c.label for c in SCENARIO.concepts)
    result = grade(SCENARIO, terms)
    assert not result.prose
    assert not result.passed


def test_record_schedules_a_review_and_next_prefers_due(tmp_path: Path) -> None:
    scenarios = [SCENARIO, find_scenario("offset-vs-cursor")]
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        assert next_scenario(scenarios, store, T0) is SCENARIO
        card = store.record(SCENARIO, grade(SCENARIO, STRONG), STRONG, when=T0)
        assert card.due > T0
        assert next_scenario(scenarios, store, T0).id == "offset-vs-cursor"  # type: ignore[union-attr]
        assert next_scenario(scenarios, store, card.due) is SCENARIO  # due again: reviews come first
        summary = summarise(scenarios, store, T0)
        assert summary.attempts == 1
        assert summary.upcoming[0][0] == "retry-without-key"
        topic = next(m for m in summary.topics if m.name == "idempotency")
        assert (topic.answered, topic.passed) == (1, 1)


def test_progress_export_and_reset(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    db = tmp_path / "p.sqlite3"
    with ProgressStore(db) as store:
        store.record(
            SCENARIO, grade(SCENARIO, "Retrying without a key is fine, really it is fine."), "x", when=T0
        )
    out = tmp_path / "export" / "progress.json"
    result = run_cli("progress", "--db", str(db), "--export", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["attempts"][0]["scenario_id"] == "retry-without-key"
    assert data["attempts"][0]["decision"] == "wrong"
    assert "retry-without-key" in data["cards"]
    assert not list(out.parent.glob(".progress.json.*"))  # no temp file left behind
    assert run_cli("progress", "--db", str(db), "--reset", "--yes").exit_code == 0
    with ProgressStore(db) as store:
        assert store.attempts() == []


def test_env_var_chooses_the_database(tmp_path: Path, monkeypatch: Any, run_cli: Callable[..., Any]) -> None:
    monkeypatch.setenv("API_TRAINER_DB", str(tmp_path / "env.sqlite3"))
    result = run_cli("progress")
    assert result.exit_code == 0
    assert "No scenarios answered yet" in result.stdout
    assert (tmp_path / "env.sqlite3").exists()


def test_a_wrong_first_pick_then_a_right_explanation_is_reviewed_sooner(tmp_path: Path) -> None:
    """The explanation after a wrong pick is graded on its own decision, but the pick still shortens the
    interval: the same strong answer is due sooner than when the right option was picked first."""
    wrong_pick = next(o.id for o in SCENARIO.options if o.id != SCENARIO.right)
    result = grade(SCENARIO, STRONG)  # graded on what the explanation argues for
    assert result.passed
    with ProgressStore(tmp_path / "right.sqlite3") as store:
        right_first = store.record(SCENARIO, result, STRONG, when=T0)
    with ProgressStore(tmp_path / "wrong.sqlite3") as store:
        wrong_first = store.record(SCENARIO, result, STRONG, when=T0, first_choice=wrong_pick)
        (attempt,) = store.attempts()
    assert wrong_first.due < right_first.due
    assert attempt.choice == wrong_pick


def test_two_trainers_on_one_database_lose_no_review(tmp_path: Path, monkeypatch: Any) -> None:
    """Trainer A reads the card; before it writes, trainer B (another process) reviews the same scenario.
    A's write must build on B's card: both reviews count, whatever the order."""
    from api_trainer.trainer import _store
    from api_trainer.trainer._schedule import new_card, rating_for, review

    db = tmp_path / "shared.sqlite3"
    result = grade(SCENARIO, STRONG)
    t1 = T0.replace(day=9)
    with ProgressStore(db) as a, ProgressStore(db) as b:
        interleaved: list[str] = []

        def review_then_let_b_in(card: Any, rating: Any, when: Any = None) -> Any:
            if not interleaved:
                interleaved.append("b")
                b.record(
                    SCENARIO, result, STRONG, when=T0
                )  # B's whole review lands between A's read and write
            return review(card, rating, when)

        monkeypatch.setattr(_store, "review", review_then_let_b_in)
        a.record(SCENARIO, result, STRONG, when=t1)
        stored = a.card(SCENARIO.id)
    rating = rating_for(result)
    expected = review(review(new_card(), rating, T0), rating, t1)
    assert interleaved == ["b"] and stored is not None
    assert (stored.state, stored.step, stored.due) == (expected.state, expected.step, expected.due)
    assert stored.stability == expected.stability and stored.last_review == t1
    with ProgressStore(db) as again:
        assert len(again.attempts()) == 2
