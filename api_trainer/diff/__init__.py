"""``api-trainer diff``: breaking-change detection between two OpenAPI documents, with developer impact.

:func:`find_changes` pairs the two specs' operations (path templates normalised, so a renamed path
parameter is no change), compares every schema after ``$ref`` resolution, and runs the catalogue's rules;
it returns a :class:`DiffReport` of frozen :class:`Finding` objects. :func:`catalogue` lists every rule.
"""

from ._catalogue import catalogue, rule
from ._filters import FAIL_ON_CHOICES, Accepted, compile_pattern, fail_level, fails, load_accepted, narrow
from ._model import DiffReport, Finding, Level, Rule
from ._policy import Policy
from ._readable import check_readable
from ._walker import find_changes, normalise_path

__all__ = [
    "FAIL_ON_CHOICES",
    "Accepted",
    "DiffReport",
    "Finding",
    "Level",
    "Policy",
    "Rule",
    "catalogue",
    "check_readable",
    "compile_pattern",
    "fail_level",
    "fails",
    "find_changes",
    "load_accepted",
    "narrow",
    "normalise_path",
    "rule",
]
