"""Claims in bundled scenarios that a review against public documentation found wrong (issue 12).

Each row names the scenario, the wrong claim's wording that must be gone from what the scenario says (its TOML
without comments), the corrected fact that must be present, and the source that must be named in a comment of
the same file. The wording is matched with whitespace folded, so re-wrapping a paragraph keeps the test true.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api_trainer.trainer import load_pack

PATHS = {s.id: s.path for s in load_pack()}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def _said(path: Path) -> str:
    """What the scenario says: every line that is not a TOML comment."""
    return _fold(
        "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    )


def _comments(path: Path) -> str:
    return _fold(
        "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    )


# (scenario, wrong wording that must be gone, corrected fact that must be said, source named in a comment)
CLAIMS = [
    (
        "enum-value-added",
        "success_with_failures",
        "success_with_retries",
        "docs.databricks.com/api/workspace/jobs",
    ),
    ("key-per-attempt", "422", "400 idempotency_error", "docs.stripe.com/api/idempotent_requests"),
    (
        "lab-stripe-version-field",
        "nothing in their code sends a stripe-version header; the account's pinned version decides the shape",
        "with a server-side sdk it would be the sdk's pinned version instead",
        "stripe-python changelog 6.0.0",
    ),
    (
        "lab-stripe-version-field",
        "",
        "every month with no breaking changes, and twice a year a major release",
        "docs.stripe.com/api/versioning",
    ),
    (
        "pin-account-version",
        "",
        "every month with no breaking changes, and twice a year a major release",
        "docs.stripe.com/api/versioning",
    ),
    (
        "nightly-sync-request-budget",
        "5.5 hours at the full limit",
        "each endpoint on its own defaults to 25 requests per second",
        "docs.stripe.com/rate-limits",
    ),
    (
        "nightly-sync-request-budget",
        "5.5 hours of using the entire limit",
        "about 22 hours",
        "docs.stripe.com/rate-limits",
    ),
    (
        "run-token-too-coarse",
        "",
        "how long databricks keeps a token reserved is not documented",
        "docs.databricks.com/api/workspace/jobs/submit",
    ),
    (
        "truncated-extract",
        "inline results stop at 25 mib",
        "an inline statement over 25 mib fails rather than being cut off",
        "docs.databricks.com/api/workspace/statementexecution",
    ),
    (
        "schema-evolution-rename",
        "",
        "delta type widening does not allow double to decimal",
        "docs.databricks.com/en/delta/type-widening.html",
    ),
    (
        "sdk-retry-policy",
        "",
        "stripe-python does not retry a 429 unless the server tells it to",
        "stripe-python _http_client.py",
    ),
    (
        "offset-vs-cursor",
        "limit=25",
        "offset on runs/list has been deprecated since 2023",
        "docs.databricks.com/api/workspace/jobs/listruns",
    ),
    (
        "offset-vs-cursor",
        "",
        "limit is documented as greater than 0 and less than 25",
        "databricks-sdk jobs.list_runs docstring",
    ),
    (
        "dashboard-query-cost",
        "$5 per tb",
        "billed for the time it runs, in dbus per hour",
        "docs.databricks.com/en/compute/sql-warehouse",
    ),
    (
        "dashboard-query-cost",
        "12 pb scanned",
        "about $1,200 a day",
        "databricks.com/product/pricing/databricks-sql",
    ),
    (
        "reset-header-semantics",
        "standard ratelimit",
        "ietf draft",
        "datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers",
    ),
    (
        "quota-429-not-503",
        "standard ratelimit",
        "ietf draft",
        "datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers",
    ),
    (
        "per-tenant-limits-design",
        "standard ratelimit",
        "ietf draft",
        "datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers",
    ),
]


@pytest.mark.parametrize(
    ("scenario", "wrong", "fact", "source"), CLAIMS, ids=[f"{c[0]}:{c[2][:24]}" for c in CLAIMS]
)
def test_claim_is_corrected_and_sourced(scenario: str, wrong: str, fact: str, source: str) -> None:
    path = PATHS[scenario]
    said = _said(path)
    if wrong:
        assert wrong not in said, f"{scenario} still says {wrong!r}"
    assert fact in said, f"{scenario} does not say {fact!r}"
    assert source in _comments(path), f"{scenario} names no source {source!r} in a comment"


def test_no_scenario_says_stripe_answers_a_key_mismatch_with_422() -> None:
    """Every scenario says the same: a reused key with different parameters is 400 idempotency_error at Stripe."""
    for sid, path in PATHS.items():
        said = _said(path)
        if "stripe" in said and "422" in said and "idempotency" in said:
            assert "400" in said, f"{sid} gives 422 for a key mismatch without Stripe's 400"
