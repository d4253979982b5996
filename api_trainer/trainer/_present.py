"""What a learner sees before answering: a scenario with its options in a seeded, shuffled order.

The pack lists the recommended option first; showing that order would let "always pick 1" win. Every
presentation shuffles the options with a seed, so a test (or a learner repeating a drill) can fix the order,
and numbers them in the order shown. ``grade --choice`` keeps taking the option id, which never changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ._model import Option, Scenario

AUDIENCE_WORDS = {"developer": "a developer", "pm": "a PM", "executive": "an executive"}


@dataclass(frozen=True)
class Presentation:
    scenario: Scenario
    options: tuple[Option, ...]  # in the order shown; empty for an open question
    seed: int

    @property
    def open(self) -> bool:
        """An open question shows no options: the answer states the decision in its own words."""
        return not self.options

    def option_at(self, number: int) -> Option | None:
        """The option shown as ``number`` (1-based), if there is one."""
        return self.options[number - 1] if 1 <= number <= len(self.options) else None

    @property
    def audience(self) -> str:
        return AUDIENCE_WORDS.get(self.scenario.audience, self.scenario.audience)


def shows_options_by_default(scenario: Scenario) -> bool:
    """Design questions are open by default (an interview gives no options); decisions show theirs."""
    return scenario.kind != "design"


def shuffled(scenario: Scenario, seed: int) -> tuple[Option, ...]:
    # A string seed is hashed with SHA-512 by ``random``: the same seed and scenario give the same order on
    # every machine and Python version that keeps version-2 seeding (all supported ones).
    rng = random.Random(f"{scenario.id}:{seed}")
    options = list(scenario.options)
    rng.shuffle(options)
    return tuple(options)


def present(scenario: Scenario, seed: int, *, open_answer: bool | None = None) -> Presentation:
    """The scenario as shown with ``seed``; ``open_answer`` None follows the scenario's default."""
    is_open = not shows_options_by_default(scenario) if open_answer is None else open_answer
    return Presentation(scenario, () if is_open else shuffled(scenario, seed), seed)
