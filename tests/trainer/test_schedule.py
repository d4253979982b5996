"""Scheduling that teaches: new scenarios interleave topics and rise in difficulty, a failure comes back
sooner than a pass, and a scenario failed three times is a leech that ``progress`` and ``train`` flag."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from api_trainer.trainer import find_scenario, load_pack
from api_trainer.trainer._grader import grade
from api_trainer.trainer._present import present
from api_trainer.trainer._progress import new_order, summarise
from api_trainer.trainer._session import run_session
from api_trainer.trainer._store import ProgressStore

SCENARIO = find_scenario("retry-without-key")
STRONG = next(c.answer for c in SCENARIO.calibration if c.label == "strong")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_new_scenarios_interleave_topics_and_rise_in_difficulty() -> None:
    order = new_order(load_pack())
    levels = [s.difficulty for s in order]
    assert levels == sorted(levels)
    first_level = [s for s in order if s.difficulty == levels[0]]
    topics = {s.topic for s in first_level}
    # the first len(topics) new scenarios are one per topic, and no topic repeats back to back there
    assert len({s.topic for s in first_level[: len(topics)]}) == len(topics)
    assert all(a.topic != b.topic for a, b in itertools.pairwise(order[: len(topics)]))


def test_a_wrong_pick_is_due_sooner_than_a_pass(tmp_path: Path) -> None:
    wrong = next(o.id for o in SCENARIO.options if o.id != SCENARIO.right)
    with ProgressStore(tmp_path / "pass.sqlite3") as store:
        passed = store.record(SCENARIO, grade(SCENARIO, STRONG, SCENARIO.right), STRONG, when=T0)
    with ProgressStore(tmp_path / "wrong.sqlite3") as store:
        result = grade(SCENARIO, STRONG, wrong)
        assert result.decision == "wrong" and not result.passed
        failed = store.record(SCENARIO, result, STRONG, when=T0)
    assert failed.due < passed.due
    assert (failed.due - T0).total_seconds() <= 3600  # back the same day, not after a day like a pass
    assert (passed.due - T0).days >= 1


def _failed_three_times(db: Path) -> None:
    wrong = next(o.id for o in SCENARIO.options if o.id != SCENARIO.right)
    with ProgressStore(db) as store:
        for hour in range(3):
            store.record(SCENARIO, grade(SCENARIO, STRONG, wrong), STRONG, when=T0.replace(hour=9 + hour))


def test_three_failures_make_a_leech_that_progress_shows(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    db = tmp_path / "p.sqlite3"
    _failed_three_times(db)
    with ProgressStore(db) as store:
        assert store.failures(SCENARIO.id) == 3
        summary = summarise([SCENARIO], store, T0)
    assert summary.leeches == ((SCENARIO.id, 3),)
    result = run_cli("progress", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "retry-without-key" in out and "last attempt failed; leech, failed 3 times" in out
    assert "Leeches (failed 3+ times): retry-without-key (3)" in out


def _scripted(lines: list[str]) -> Callable[[str], str]:
    feed: Iterator[str] = iter(lines)

    def ask(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return ask


def test_train_offers_hints_and_reference_to_a_leech(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    _failed_three_times(db)
    out = io.StringIO()
    console = Console(file=out, width=80, no_color=True)
    wrong = next(o for o in SCENARIO.options if o.id != SCENARIO.right)
    with ProgressStore(db) as store:
        # due again an hour after the last failure; pick a wrong option once more
        number = [o.id for o in present(SCENARIO, 0).options].index(wrong.id) + 1
        answers = [str(number), "Retrying without a key is fine if clients wait.", "", "h", "", "q"]
        later = T0.replace(hour=14)
        run_session(console, _scripted(answers), [SCENARIO], store, lambda: later, seed=0)
        assert store.failures(SCENARIO.id) == 4
    screen = " ".join(out.getvalue().split())
    assert "Leech: retry-without-key has failed 4 times" in screen
    assert f"Hint {len(SCENARIO.hints)}/{len(SCENARIO.hints)}" in screen  # every hint, on asking
