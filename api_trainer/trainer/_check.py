"""``scenarios check``: every calibration answer must grade as labelled, the reference must pass, and a pack's
options must not give the right one away by its length."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

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
    from ._grader import grade  # imported here: showing a scenario never needs the grader

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
        ref = grade(s, s.reference, s.right)  # the reference explains the right option
        results.append(CalibrationResult(s.id, "reference", ref.passed, ref.score, ref.decision, ref.passed))
        strong = [r.score for r in results if r.label == "strong"]
        weak = [r.score for r in results if r.label not in ("strong", "reference")]
        ranked = not strong or not weak or min(strong) > max(weak)
        checks.append(ScenarioCheck(s.id, s.topic, tuple(results), ranked))
    return tuple(checks)


# A pack fails when its right option is strictly the longest in more than this share of its scenarios, or when
# the right option's length over the median length of the others has a pack median outside these bounds.
MAX_LONGEST_SHARE = 0.40
RATIO_BOUNDS = (0.75, 1.33)


@dataclass(frozen=True)
class OptionBias:
    """How much an option's length tells about being right, over every scenario of a pack."""

    scenarios: int
    right_longest: int  # scenarios whose right option is strictly longer than every other
    median_ratio: float  # median over scenarios of len(right) / median(len(other options))
    worst: tuple[tuple[str, float], ...]  # the scenarios with the highest ratios, highest first

    @property
    def longest_share(self) -> float:
        return self.right_longest / self.scenarios if self.scenarios else 0.0

    @property
    def ok(self) -> bool:
        low, high = RATIO_BOUNDS
        return self.longest_share <= MAX_LONGEST_SHARE and (
            not self.scenarios or low <= self.median_ratio <= high
        )


def option_bias(scenarios: Sequence[Scenario]) -> OptionBias:
    """Every scenario counts, design questions too: ``train --options`` shows their options as well."""
    ratios: list[tuple[str, float]] = []
    longest = 0
    for s in scenarios:
        right = len(s.right_option.text)
        others = [len(o.text) for o in s.options if o.id != s.right]
        ratios.append((s.id, right / statistics.median(others)))
        longest += right > max(others)
    median = statistics.median(r for _, r in ratios) if ratios else 0.0
    worst = tuple(sorted(ratios, key=lambda item: -item[1])[:3])
    return OptionBias(len(ratios), longest, round(median, 3), tuple((i, round(r, 2)) for i, r in worst))
