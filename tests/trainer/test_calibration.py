"""Every bundled calibration answer grades as labelled; strong answers outscore weak ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api_trainer.trainer import LABELS, Scenario, load_pack
from api_trainer.trainer._grader import grade

SCENARIOS = load_pack()


def test_bundled_packs_hold_every_label() -> None:
    assert SCENARIOS
    for s in SCENARIOS:
        assert {c.label for c in s.calibration} >= set(LABELS), s.id


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_calibration_answers_grade_as_labelled(scenario: Scenario) -> None:
    strong_scores, weak_scores = [], []
    for c in scenario.calibration:
        result = grade(scenario, c.answer, c.choice)
        assert result.passed == (c.label == "strong"), (
            c.label,
            result.score,
            result.decision,
            result.feedback,
        )
        (strong_scores if c.label == "strong" else weak_scores).append(result.score)
    assert min(strong_scores) > max(weak_scores)
    assert grade(
        scenario, scenario.reference, scenario.right
    ).passed  # the reference explains the right option


def test_scenarios_check_passes_on_bundled_packs(run_cli: Callable[..., Any]) -> None:
    result = run_cli("scenarios", "check")
    assert result.exit_code == 0, result.stdout
    assert "grade as labelled" in result.stdout


def test_scenarios_check_exits_1_when_a_label_is_wrong(tmp_path: Any, run_cli: Callable[..., Any]) -> None:
    source = next(s for s in SCENARIOS if s.id == "retry-without-key").path.read_text(encoding="utf-8")
    # Relabel the engineering answer as strong: the grader must disagree, and check must say so.
    (tmp_path / "retry-without-key.toml").write_text(
        source.replace('label = "engineering"', 'label = "strong"', 1) + "\n", encoding="utf-8"
    )
    # Still one of each label is required, so add an engineering answer back.
    with (tmp_path / "retry-without-key.toml").open("a", encoding="utf-8") as f:
        f.write(
            '\n[[calibration]]\nlabel = "engineering"\nanswer = "Store keys in Redis with a TTL of one day."\n'
        )
    result = run_cli("scenarios", "check", str(tmp_path))
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
