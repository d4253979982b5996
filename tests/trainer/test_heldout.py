"""Held-out answers, written apart from the calibration sets: weak kinds fail, strong ones pass."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from api_trainer.trainer import find_scenario
from api_trainer.trainer._grader import grade

HELDOUT = Path(__file__).parent / "heldout"
CASES = [
    (path.stem, i, answer["label"], answer["text"])
    for path in sorted(HELDOUT.glob("*.toml"))
    for i, answer in enumerate(tomllib.loads(path.read_text(encoding="utf-8"))["answer"])
]


@pytest.mark.parametrize(
    ("scenario_id", "index", "label", "text"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_heldout_answer_grades_as_labelled(scenario_id: str, index: int, label: str, text: str) -> None:
    try:
        scenario = find_scenario(scenario_id)
    except Exception:
        pytest.skip(f"scenario {scenario_id} is not bundled")
    result = grade(scenario, text)
    assert result.passed == (label == "strong"), (label, result.score, result.decision, result.feedback)
    if label == "wrong":
        assert result.decision == "wrong"
    if label == "hedge":
        assert result.decision == "hedged"


@pytest.mark.parametrize("scenario_id", sorted({c[0] for c in CASES}))
def test_heldout_strong_outscores_every_weak_answer(scenario_id: str) -> None:
    scenario = find_scenario(scenario_id)
    scores = {c[2]: grade(scenario, c[3]).score for c in CASES if c[0] == scenario_id}
    assert all(scores["strong"] > v for k, v in scores.items() if k != "strong"), scores
