"""The deprecation and stability policy a diff applies, configurable as oasdiff's is.

An operation or parameter removed after it was deprecated is a warning when its ``x-sunset`` date (for an
operation also a ``Sunset`` response header's) has passed (or it has none), and breaking before it; an operation removed without a deprecation is breaking.
With a minimum deprecation period (``--deprecation-days-stable``, and ``--deprecation-days-beta`` for
``x-stability-level: beta``), a new deprecation must announce a sunset at least that many days ahead.
``x-stability-level`` (draft < alpha < beta < stable) says how much a client may rely on an operation:
removing a draft or alpha one needs no deprecation and deprecating it no period, and lowering the level of
an operation is itself a breaking change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Policy:
    deprecation_days_beta: int = 0
    deprecation_days_stable: int = 0
    today: date = field(default_factory=date.today)
