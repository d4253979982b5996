"""``scenarios check``: every calibration answer must grade as labelled, and the reference must pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._grader import grade
from ._model import Scenario


@dataclass(frozen=True)
class CalibrationResult:
    scenario: str
    label: str  # a calibration label, or "reference"
    passed: bool
    score: float
    decision: str
    ok: bool  # graded as its label says: strong and reference pass, every other label fails


@dataclass(frozen=True)
class ScenarioCheck:
    scenario: str
    topic: str
    results: tuple[CalibrationResult, ...]
    ranked: bool  # every strong answer outscores every weak one

    @property
    def ok(self) -> bool:
        return self.ranked and all(r.ok for r in self.results)


def check_scenarios(scenarios: Sequence[Scenario]) -> tuple[ScenarioCheck, ...]:
    checks = []
    for s in scenarios:
        results = []
        for c in s.calibration:
            g = grade(s, c.answer, c.choice)
            results.append(
                CalibrationResult(
                    s.id, c.label, g.passed, g.score, g.decision, g.passed == (c.label == "strong")
                )
            )
        ref = grade(s, s.reference)
        results.append(CalibrationResult(s.id, "reference", ref.passed, ref.score, ref.decision, ref.passed))
        strong = [r.score for r in results if r.label == "strong"]
        weak = [r.score for r in results if r.label not in ("strong", "reference")]
        ranked = not strong or not weak or min(strong) > max(weak)
        checks.append(ScenarioCheck(s.id, s.topic, tuple(results), ranked))
    return tuple(checks)
