"""The diff's value objects: levels, rules (the catalogue's entries) and findings (what a diff reports)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class Level(enum.Enum):
    """How a change affects an integrator. Ordered: ``INFO < WARNING < BREAKING``."""

    INFO = "info"
    WARNING = "warning"
    BREAKING = "breaking"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __str__(self) -> str:
        return self.value


_RANKS = {Level.INFO: 0, Level.WARNING: 1, Level.BREAKING: 2}


@dataclass(frozen=True)
class Rule:
    """One check of the catalogue.

    ``message`` and ``impact`` are ``str.format`` templates; every finding fills ``{target}`` (what changed,
    e.g. ``response property 'charges'``) and the rule's own fields (``{old}``, ``{new}``, ``{value}``...).
    ``why`` says in a sentence or two why the change breaks clients, or why it does not.
    """

    id: str
    level: Level
    area: str
    message: str
    impact: str
    why: str

    def __post_init__(self) -> None:
        if not _KEBAB.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not kebab-case")


@dataclass(frozen=True, slots=True)
class Finding:
    """One change the diff reports, for one operation (or for the whole API when ``operation`` is None).

    ``location`` is a JSON pointer through the operation into NEW, or into OLD when the rule reports a
    removal. ``component`` names the shared component the change lives in; ``component_message`` and
    ``component_impact`` say what changed relative to it (the same for every operation it reaches), for
    ``--group-by component``. None of the three is part of the JSON output.
    """

    id: str
    level: Level
    operation: str | None
    method: str | None
    path: str | None
    location: str
    message: str
    impact: str
    component: str | None = None
    component_message: str | None = None
    component_impact: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level.value,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "location": self.location,
            "message": self.message,
            "impact": self.impact,
        }


@dataclass(frozen=True)
class DiffReport:
    """Every finding of one diff, in a stable order, with the two specs' names."""

    old: str
    new: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level is level)

    @property
    def summary(self) -> dict[str, int]:
        return {level.value: self.count(level) for level in (Level.BREAKING, Level.WARNING, Level.INFO)}

    def at_or_above(self, level: Level) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level.rank >= level.rank)

    def as_json(self) -> dict[str, Any]:
        return {"changes": [f.as_json() for f in self.findings], "summary": self.summary}
