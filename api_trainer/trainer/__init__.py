"""The scenario trainer: scenarios as data, an explainable grader, FSRS reviews and a progress store."""

from ._loader import bundled_pack_dir, find_scenario, load_pack, load_scenario
from ._model import (
    AUDIENCES,
    COMPANIES,
    CONCEPT_KINDS,
    LABELS,
    TOPICS,
    Calibration,
    Concept,
    Lab,
    Option,
    Scenario,
    UnsafeClaim,
)

__all__ = [
    "AUDIENCES",
    "COMPANIES",
    "CONCEPT_KINDS",
    "LABELS",
    "TOPICS",
    "Calibration",
    "Concept",
    "Lab",
    "Option",
    "Scenario",
    "UnsafeClaim",
    "bundled_pack_dir",
    "find_scenario",
    "load_pack",
    "load_scenario",
]
