"""``api-trainer probe``: send a request the way the official SDK would and show every attempt.

``run_probe(ProbeRequest(...), policy_for("payments"))`` returns a :class:`ProbeResult` (frozen attempts,
final body); ``render_timeline`` prints it. Retry rules live in policies (:mod:`._policy`), chosen by ``--api``.
"""

from ._client import run_probe
from ._model import Attempt, Decision, ProbeRequest, ProbeResult
from ._policy import POLICIES, RetryPolicy, StripePolicy, policy_for
from ._render import render_timeline

__all__ = [
    "POLICIES",
    "Attempt",
    "Decision",
    "ProbeRequest",
    "ProbeResult",
    "RetryPolicy",
    "StripePolicy",
    "policy_for",
    "render_timeline",
    "run_probe",
]
