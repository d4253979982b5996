"""Operations without a stateful handler, served from Stripe's published spec, through the official client."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from .conftest import RunningMock


def test_nested_resources_see_stateful_parents_and_keep_their_own_state(payments: RunningMock) -> None:
    client = payments.client().v1
    customer = client.customers.create(params={"email": "ada@example.com"})
    tax_id = client.customers.tax_ids.create(customer.id, params={"type": "eu_vat", "value": "DE123456789"})
    assert tax_id.id.startswith("txi_") and tax_id.object == "tax_id"
    assert tax_id.value == "DE123456789" and tax_id.customer == customer.id and tax_id.livemode is False
    listed = client.customers.tax_ids.list(customer.id)
    assert [t.id for t in listed.data] == [tax_id.id]
    assert client.customers.tax_ids.retrieve(customer.id, tax_id.id).value == "DE123456789"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.customers.tax_ids.list("cus_nope")
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"
    assert str(missing.value.user_message) == "No such customer: 'cus_nope'"
    served = {(e["path"], e["served"]) for e in payments.journal()}
    assert ("/v1/customers", "handler") in served
    assert (f"/v1/customers/{customer.id}/tax_ids", "spec") in served


def test_inferred_crud_on_a_resource_the_mock_has_no_handler_for(payments: RunningMock) -> None:
    products = payments.client().v1.products
    created = products.create(params={"name": "T-shirt", "metadata": {"size": "M"}})
    assert created.id.startswith("prod_") and created.name == "T-shirt"
    assert created.metadata.to_dict() == {"size": "M"}
    assert products.retrieve(created.id).name == "T-shirt"
    assert products.update(created.id, params={"name": "Tee"}).name == "Tee"
    other = products.create(params={"name": "Mug"})
    paged = [p.id for p in products.list(params={"limit": 1}).auto_paging_iter()]
    assert sorted(paged) == sorted([created.id, other.id])
    deleted = products.delete(created.id)
    assert deleted.deleted is True and deleted.id == created.id
    with pytest.raises(stripe.InvalidRequestError, match="No such product: 'prod_nope'"):
        products.retrieve("prod_nope")
    with pytest.raises(stripe.InvalidRequestError, match="unknown parameter: colour") as unknown:
        products.create(params={"name": "x", "colour": "red"})  # type: ignore[typeddict-unknown-key]
    assert unknown.value.code == "parameter_unknown"


def test_actions_answer_with_the_stored_object_and_expand_works(payments: RunningMock) -> None:
    client = payments.client().v1
    customer = client.customers.create(params={"email": "bob@example.com"})
    charge = client.charges.create(params={"amount": 1500, "currency": "usd", "customer": customer.id})
    assert charge.id.startswith("ch_") and charge.amount == 1500
    assert client.charges.retrieve(charge.id).amount == 1500  # the stateful handler reads it
    updated = client.charges.update(
        charge.id, params={"description": "gift", "expand": ["customer", "balance_transaction"]}
    )
    assert updated.description == "gift"
    assert updated.customer.email == "bob@example.com"  # expanded from the stored customer
    assert updated.balance_transaction.object == "balance_transaction"  # expanded from the spec's schema
    captured = client.charges.capture(charge.id)
    assert captured.id == charge.id and captured.amount == 1500 and captured.description == "gift"
    with pytest.raises(stripe.InvalidRequestError, match="No such charge: 'ch_nope'"):
        client.charges.capture("ch_nope")


def test_search_balance_and_unknown_urls(payments: RunningMock) -> None:
    client = payments.client().v1
    found = client.customers.search(params={"query": "email:'x@y.z'"})
    assert found.object == "search_result"  # /v1/customers/search, not customer 'search'
    assert client.balance.retrieve().object == "balance"
    unknown = payments.http.get("/v1/not_a_resource")
    assert unknown.status_code == 404 and "Unrecognized request URL" in unknown.json()["error"]["message"]


def test_idempotency_and_drop_after_commit_on_a_spec_served_create(payments: RunningMock) -> None:
    rule = {"match": {"method": "POST", "path": "/v1/products"}, "fault": "drop-after-commit", "times": 1}
    payments.add_fault(rule)
    headers = {"Idempotency-Key": "prod-once"}
    with pytest.raises(httpx.TransportError):
        payments.http.post("/v1/products", data={"name": "Keyed"}, headers=headers)
    retried = payments.http.post("/v1/products", data={"name": "Keyed"}, headers=headers)
    assert retried.status_code == 200 and retried.headers["Idempotent-Replayed"] == "true"
    assert len(payments.http.get("/v1/products").json()["data"]) == 1
    payments.add_fault(rule)
    with pytest.raises(httpx.TransportError):
        payments.http.post("/v1/products", data={"name": "Unkeyed"})
    payments.http.post("/v1/products", data={"name": "Unkeyed"})
    names = [p["name"] for p in payments.http.get("/v1/products").json()["data"]]
    assert sorted(names) == ["Keyed", "Unkeyed", "Unkeyed"]  # without a key, the retry created twice


def test_the_stripe_spec_loads_on_the_first_request_that_needs_it(payments_with: Any) -> None:
    with payments_with() as mock:
        assert "spec" not in vars(mock.mock.stripe)  # not at start-up
        assert mock.http.post("/v1/customers", data={"email": "a@b.co"}).status_code == 200
        assert "spec" not in vars(mock.mock.stripe)  # a literal path with a handler needs no lookup
        assert mock.http.get("/v1/balance").status_code == 200
        assert "spec" in vars(mock.mock.stripe)


def test_a_multipart_file_upload_is_read_and_checked(payments: RunningMock) -> None:
    upload = {"file": ("evidence.png", b"\x89PNG\r\n", "image/png")}
    stored = payments.http.post("/v1/files", data={"purpose": "dispute_evidence"}, files=upload)
    assert stored.status_code == 200, stored.text
    assert stored.json()["object"] == "file" and stored.json()["purpose"] == "dispute_evidence"
    assert stored.json()["id"].startswith("file_")
    wrong = payments.http.post("/v1/files", data={"purpose": "selfie"}, files=upload)
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "purpose"
