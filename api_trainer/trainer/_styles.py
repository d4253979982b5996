"""Company interview styles, read from ``styles.toml``, and how a style changes the verdict on a grade.

A style never changes how an answer is read: the grader reads it once. :func:`apply_style` then asks, of that
one ``Grade``, the extra moves the style requires, and says in words why a pass in general is not a pass in
this company's loop.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ._grader import Grade
from ._model import Scenario

_FIELDS = ("moves", "translation")


@dataclass(frozen=True)
class Pillar:
    id: str
    label: str
    topics: tuple[str, ...]
    kinds: tuple[str, ...]
    questions: int


@dataclass(frozen=True)
class Requirement:
    field: str  # "moves.<name>" or "translation.<name>"
    kinds: tuple[str, ...]
    reason: str  # why an answer without it fails in this style, in words
    pillars: tuple[str, ...] = ()  # only questions of these pillars (all when empty)

    def applies(self, scenario: Scenario, pillar: str | None) -> bool:
        in_pillar = not self.pillars or pillar is None or pillar in self.pillars
        return scenario.kind in self.kinds and in_pillar

    @property
    def move(self) -> str:
        """The name the follow-ups use: ``developer`` for ``translation.developer``."""
        return self.field.split(".", 1)[1]

    def met(self, grade: Grade) -> bool:
        group, name = self.field.split(".", 1)
        return bool(getattr(getattr(grade, group), name))


@dataclass(frozen=True)
class Style:
    id: str
    label: str
    summary: str
    pillars: tuple[Pillar, ...]
    requires: tuple[Requirement, ...]


@dataclass(frozen=True)
class StyledGrade:
    """A grade as this company's loop judges it: ``passed`` only when the grade passed and the style's
    requirements for this kind of question are met; ``reasons`` says why not."""

    grade: Grade
    style: str
    passed: bool
    reasons: tuple[str, ...]
    missing: tuple[str, ...]  # the required moves the answer missed (follow-up names)


@cache
def _data() -> dict[str, object]:
    raw = (files("api_trainer.trainer") / "styles.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def follow_up_questions() -> dict[str, str]:
    """Move name to the follow-up question asked when an answer missed it, in the order tried."""
    table = _data()["follow_ups"]
    assert isinstance(table, dict)
    return {str(k): str(v) for k, v in table.items()}


@cache
def styles() -> dict[str, Style]:
    table = _data()["styles"]
    assert isinstance(table, dict)
    out: dict[str, Style] = {}
    for sid, raw in table.items():
        requires = tuple(
            Requirement(r["field"], tuple(r["kinds"]), r["reason"], tuple(r.get("pillars", ())))
            for r in raw.get("requires", [])
        )
        for r in requires:
            group, _, name = r.field.partition(".")
            if group not in _FIELDS or not name:
                raise ValueError(f"styles.toml: style '{sid}': unknown field '{r.field}'")
        out[sid] = Style(
            id=sid,
            label=raw["label"],
            summary=raw["summary"],
            pillars=tuple(
                Pillar(p["id"], p["label"], tuple(p["topics"]), tuple(p["kinds"]), int(p["questions"]))
                for p in raw["pillars"]
            ),
            requires=requires,
        )
    return out


def apply_style(grade: Grade, scenario: Scenario, style: Style, pillar: str | None = None) -> StyledGrade:
    """The grade under ``style``: a requirement applies when the scenario's kind is one it names and, if it
    names pillars, the question was asked for one of them (``pillar`` None: outside a loop, always)."""
    unmet = [r for r in style.requires if r.applies(scenario, pillar) and not r.met(grade)]
    reasons = tuple(f"{style.label} style: {r.reason}." for r in unmet)
    return StyledGrade(
        grade=grade,
        style=style.id,
        passed=grade.passed and not unmet,
        reasons=reasons,
        missing=tuple(r.move for r in unmet),
    )
