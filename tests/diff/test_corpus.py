"""The diff on the real published Stripe specs in ../shared/corpus/stripe (3-4 MB each, heavily recursive).

Set API_TRAINER_CORPUS to use another copy; the tests skip, saying so, only when the corpus is absent.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from api_trainer.diff import Level, check_readable, find_changes
from api_trainer.render.diff import fold_by_component
from api_trainer.specs import Spec, load_spec

STRIPE_SPECS = [
    "spec3-34ddc7fe-2020-04-13.json",
    "spec3-6546d96d-2021-04-12.json",
    "spec3-e0123a38-2022-04-12.json",
    "spec3-63a67463-2023-09-12.yaml",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", STRIPE_SPECS)
def test_a_real_stripe_spec_diffed_against_itself_has_no_findings(corpus_dir: Path, name: str) -> None:
    spec = load_spec(str(corpus_dir / "stripe" / name))
    # A deep copy, so that no node is shared between the sides (parsing the YAML one twice takes 8 s).
    twin = Spec(copy.deepcopy(spec.document), source=spec.source, path=spec.path)
    check_readable(spec)  # what the command checks before comparing: real specs pass it
    report = find_changes(spec, twin)
    assert report.findings == ()


@pytest.mark.slow
def test_stripe_2021_04_12_to_2022_04_12_breaking_changes_match_the_changelog(corpus_dir: Path) -> None:
    """Every distinct breaking change of this diff, checked by hand against Stripe's changelog and API docs:

    - Checkout Session creation no longer documents ad-hoc ``line_items[amount|currency|name|description|
      images]`` (replaced by ``price``/``price_data``, see Stripe's "Checkout prices migration guide") nor
      ``shipping_rates`` (replaced by ``shipping_options``); Stripe made both removals breaking in API version
      2022-08-01 after deprecating them, and the spec stopped documenting them in between.
    - ``PUT /v1/account/logout`` and ``PUT /v1/accounts/{account}/logout`` (Express dashboard logout, a
      deprecated Connect endpoint) are gone from the spec.
    - ``lookup_key`` on prices: the documented limit is 200 characters, the 2021 spec said 5000.
    - Customer portal ``business_profile.privacy_policy_url``/``terms_of_service_url`` became optional
      (the API docs list them as "nullable string"); likewise card ``three_d_secure_details.result`` and
      ``version`` became nullable. Both are response changes reported once per operation that can return the
      component (364 operations reach ``three_d_secure_details`` through expandable fields).
    """
    stripe = corpus_dir / "stripe"
    old = load_spec(str(stripe / "spec3-6546d96d-2021-04-12.json"))
    new = load_spec(str(stripe / "spec3-e0123a38-2022-04-12.json"))
    report = find_changes(old, new)
    breaking = report.at_or_above(Level.BREAKING)
    components, loose = fold_by_component(breaking)
    folded = {
        (component, change.id, change.message)
        for component, changes in components.items()
        for change in changes
    }
    assert folded == {
        ("three_d_secure_details", "response-property-became-optional",
         "response property 'three_d_secure_details.result' is no longer required (may be absent)"),
        ("three_d_secure_details", "response-property-became-nullable",
         "response property 'three_d_secure_details.result' may now be null"),
        ("three_d_secure_details", "response-property-became-optional",
         "response property 'three_d_secure_details.version' is no longer required (may be absent)"),
        ("three_d_secure_details", "response-property-became-nullable",
         "response property 'three_d_secure_details.version' may now be null"),
        ("portal_business_profile", "response-property-became-optional",
         "response property 'portal_business_profile.privacy_policy_url' is no longer required (may be absent)"),
        ("portal_business_profile", "response-property-became-nullable",
         "response property 'portal_business_profile.privacy_policy_url' may now be null"),
        ("portal_business_profile", "response-property-became-optional",
         "response property 'portal_business_profile.terms_of_service_url' is no longer required (may be absent)"),
        ("portal_business_profile", "response-property-became-nullable",
         "response property 'portal_business_profile.terms_of_service_url' may now be null"),
    }  # fmt: skip
    assert {(f.operation, f.id, f.message) for f in loose} == {
        ("PUT /v1/account/logout", "api-path-removed-without-deprecation",
         "removed PUT /v1/account/logout (the whole path) without deprecating it first"),
        ("PUT /v1/accounts/{account}/logout", "api-path-removed-without-deprecation",
         "removed PUT /v1/accounts/{account}/logout (the whole path) without deprecating it first"),
        *(("POST /v1/checkout/sessions", "request-property-removed", f"removed request property '{name}'")
          for name in ("shipping_rates", "line_items[].amount", "line_items[].currency",
                       "line_items[].description", "line_items[].images", "line_items[].name")),
        *((operation, "request-property-max-length-decreased",
           "request property 'lookup_key': maxLength tightened from 5000 to 200")
          for operation in ("POST /v1/prices", "POST /v1/prices/{price}")),
    }  # fmt: skip
    # The non-breaking side is there too: 53 new operations, and new enum values in responses as warnings.
    assert sum(1 for f in report.findings if f.id == "endpoint-added") == 53
    assert any(
        f.id == "response-property-enum-value-added" and f.level is Level.WARNING for f in report.findings
    )
