"""The scenario model: frozen value objects the loader builds from a TOML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOPICS = (
    "idempotency",
    "errors",
    "versioning",
    "rate-limits",
    "pagination",
    "async",
    "webhooks",
    "breaking-changes",
    "data-pipelines",
    "sla",
    "estimation",
    "sql",
    "system-design",
    "data-architecture",
    "statistics",
    "ai-products",
    "behavioral",
)
COMPANIES = ("stripe", "databricks", "google", "amazon", "snowflake", "meta", "general")
AUDIENCES = ("developer", "pm", "executive")
CONCEPT_KINDS = ("technical", "developer", "business")
LABELS = ("strong", "engineering", "hedge", "salad", "wrong")
KINDS = ("decision", "design")
LAB_APIS = ("payments", "dataplatform", "diff")


@dataclass(frozen=True)
class Option:
    """One answer to the decision question, with what it does to the developer and the business."""

    id: str
    text: str
    developer: str
    business: str
    phrases: tuple[str, ...] = ()  # how an explanation commits to this option


@dataclass(frozen=True)
class Concept:
    """A rubric concept a strong answer names, matched by stems within one sentence."""

    id: str
    label: str
    kind: str  # technical | developer | business
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class UnsafeClaim:
    """A claim a wrong answer makes; matched negation-aware (``X is fine`` yes, ``X is not fine`` no)."""

    id: str
    claim: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Calibration:
    """An example answer with the grade it must get: ``strong`` passes, every other label fails."""

    label: str
    answer: str
    choice: str | None = None


@dataclass(frozen=True)
class Lab:
    """The seam for live labs: loaded and validated here, run by ``api_trainer.cli.lab``."""

    api: str
    goal: str
    check: str
    faults: tuple[dict[str, Any], ...] = ()
    params: dict[str, Any] = field(default_factory=dict)  # the check's own options (``[lab.params]``)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    topic: str
    companies: tuple[str, ...]
    difficulty: int
    kind: str
    situation: str
    snippet: str
    question: str
    options: tuple[Option, ...]
    right: str
    audience: str
    prompt: str
    concepts: tuple[Concept, ...]
    unsafe: tuple[UnsafeClaim, ...]
    hints: tuple[str, ...]
    reference: str
    calibration: tuple[Calibration, ...]
    path: Path
    lab: Lab | None = None
    format_version: int = 1
    also_right: tuple[str, ...] = ()  # other sound options (design questions accept more than one)

    @property
    def acceptable(self) -> frozenset[str]:
        """Every option that counts as a right decision."""
        return frozenset((self.right, *self.also_right))

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def right_option(self) -> Option:
        found = self.option(self.right)
        assert found is not None  # the loader checked it
        return found
