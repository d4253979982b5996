"""What a user does with the unmodified stripe package against the mock."""

from __future__ import annotations

import httpx
import pytest
import stripe

from .conftest import RunningMock

NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


def test_an_unmodified_client_creates_and_confirms_a_payment_intent(payments: RunningMock) -> None:
    client = payments.client()  # no stripe_version: the SDK sends its own pinned, newer version
    intent = client.v1.payment_intents.create(
        params={"amount": 2000, "currency": "usd", "automatic_payment_methods": NO_REDIRECTS}
    )
    assert intent.status == "requires_payment_method"
    confirmed = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert confirmed.status == "succeeded" and confirmed.amount_received == 2000
    assert confirmed.latest_charge is not None and confirmed.latest_charge.startswith("ch_")
    [entry, *_] = payments.journal("/v1/payment_intents")
    assert entry["requested_version"] == stripe.api_version
    assert (
        entry["version"] == "2023-08-16" and confirmed.last_response.headers["Stripe-Version"] == "2023-08-16"
    )


def test_customer_lifecycle_and_auto_paging(payments: RunningMock) -> None:
    client = payments.client()
    created = client.v1.customers.create(
        params={
            "email": "jenny@example.com",
            "name": "Jenny",
            "metadata": {"order_id": "6735", "tier": "gold"},
        }
    )
    assert created.metadata["tier"] == "gold"
    assert client.v1.customers.retrieve(created.id).email == "jenny@example.com"
    updated = client.v1.customers.update(created.id, params={"name": "Jenny Rosen", "metadata": {"tier": ""}})
    assert updated.name == "Jenny Rosen" and updated.metadata.to_dict() == {"order_id": "6735"}
    deleted = client.v1.customers.delete(created.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.customers.update(created.id, params={"name": "x"})
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"

    ids = [client.v1.customers.create(params={"email": f"c{n}@example.com"}).id for n in range(25)]
    first_page = client.v1.customers.list(params={"limit": 10})
    assert first_page.has_more and first_page.url == "/v1/customers" and len(first_page.data) == 10
    seen = [c.id for c in first_page.auto_paging_iter()]
    assert seen == list(reversed(ids))  # newest first, every one exactly once, across three pages
    listed = [e for e in payments.journal("/v1/customers") if e["method"] == "GET"]
    assert len(listed) == 3 and "starting_after=" in listed[-1]["query"]


def test_pm_card_visa_succeeds(payments: RunningMock) -> None:
    intent = payments.client().v1.payment_intents.create(
        params={
            "amount": 1500,
            "currency": "eur",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "automatic_payment_methods": NO_REDIRECTS,
            "expand": ["latest_charge", "payment_method"],
        }
    )
    assert intent.status == "succeeded"
    assert intent.latest_charge.object == "charge" and intent.latest_charge.paid is True
    assert intent.payment_method.card.last4 == "4242"


@pytest.mark.parametrize(
    ("payment_method", "code", "decline_code"),
    [
        ("pm_card_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"),
        ("pm_card_chargeDeclinedLostCard", "card_declined", "lost_card"),
        ("pm_card_chargeDeclinedStolenCard", "card_declined", "stolen_card"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", None),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", None),
        ("pm_card_chargeDeclinedProcessingError", "processing_error", None),
    ],
)
def test_declining_test_cards_raise_card_errors(
    payments: RunningMock, payment_method: str, code: str, decline_code: str | None
) -> None:
    client = payments.client()
    with pytest.raises(stripe.CardError) as caught:
        client.v1.payment_intents.create(
            params={
                "amount": 2000,
                "currency": "usd",
                "payment_method": payment_method,
                "confirm": True,
                "automatic_payment_methods": NO_REDIRECTS,
            }
        )
    error = caught.value
    assert error.http_status == 402 and error.code == code
    assert error.error is not None and error.error.decline_code == decline_code
    assert error.error.payment_intent.status == "requires_payment_method"
    assert error.error.payment_intent.last_payment_error.code == code
    assert error.request_id is not None and error.request_id.startswith("req_")
    # The failed attempt is state: the PaymentIntent and a failed charge exist.
    intent = client.v1.payment_intents.retrieve(
        error.error.payment_intent.id, params={"expand": ["latest_charge"]}
    )
    assert intent.latest_charge.status == "failed" and intent.latest_charge.failure_code == code


def test_authentication_required_card_needs_action(payments: RunningMock) -> None:
    intent = payments.client().v1.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "usd",
            "payment_method": "pm_card_authenticationRequired",
            "confirm": True,
            "automatic_payment_methods": NO_REDIRECTS,
        }
    )
    assert intent.status == "requires_action" and intent.next_action.type == "use_stripe_sdk"


def test_manual_capture_partial_and_refunds(payments: RunningMock) -> None:
    client = payments.client()
    intent = client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_mastercard",
            "confirm": True,
            "capture_method": "manual",
            "automatic_payment_methods": NO_REDIRECTS,
        }
    )
    assert intent.status == "requires_capture" and intent.amount_capturable == 5000
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.payment_intents.capture(intent.id, params={"amount_to_capture": 6000})
    assert too_much.value.param == "amount_to_capture"
    captured = client.v1.payment_intents.capture(intent.id, params={"amount_to_capture": 4000})
    assert captured.status == "succeeded" and captured.amount_received == 4000
    with pytest.raises(stripe.InvalidRequestError) as twice:
        client.v1.payment_intents.capture(intent.id)
    assert twice.value.code == "payment_intent_unexpected_state"

    partial = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1500})
    assert partial.status == "succeeded" and partial.amount == 1500
    with pytest.raises(stripe.InvalidRequestError) as over:
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 3000})
    assert over.value.code == "amount_too_large" and over.value.param == "amount"
    rest = client.v1.refunds.create(params={"charge": captured.latest_charge})
    assert rest.amount == 2500
    charge = client.v1.charges.retrieve(captured.latest_charge)
    assert charge.refunded is True and charge.amount_captured == 4000
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.refunds.create(params={"charge": charge.id})
    assert again.value.code == "charge_already_refunded"
    refunds = client.v1.refunds.list(params={"charge": charge.id})
    assert [r.amount for r in refunds.data] == [2500, 1500]


def test_cancel(payments: RunningMock) -> None:
    client = payments.client()
    intent = client.v1.payment_intents.create(params={"amount": 900, "currency": "usd"})
    canceled = client.v1.payment_intents.cancel(intent.id, params={"cancellation_reason": "abandoned"})
    assert canceled.status == "canceled" and canceled.cancellation_reason == "abandoned"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})


def test_one_payment_intent_in_two_versions(payments: RunningMock) -> None:
    client = payments.client()
    intent = client.v1.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "automatic_payment_methods": NO_REDIRECTS,
        }
    )
    old = payments.http.get(f"/v1/payment_intents/{intent.id}", headers={"Stripe-Version": "2020-08-27"})
    new = payments.http.get(f"/v1/payment_intents/{intent.id}", headers={"Stripe-Version": "2022-11-15"})
    assert old.headers["Stripe-Version"] == "2020-08-27" and new.headers["Stripe-Version"] == "2022-11-15"
    old_body, new_body = old.json(), new.json()
    assert "latest_charge" not in old_body
    assert (
        old_body["charges"]["object"] == "list"
        and old_body["charges"]["data"][0]["id"] == intent.latest_charge
    )
    assert old_body["charges"]["data"][0]["refunds"]["object"] == "list"
    assert "charges" not in new_body and new_body["latest_charge"] == intent.latest_charge
    # The SDK with an explicit version sees the same thing.
    pinned = payments.client(stripe_version="2020-08-27").v1.payment_intents.retrieve(intent.id)
    assert pinned.charges.data[0].id == intent.latest_charge


def test_2023_08_16_requires_return_url_unless_redirects_are_off(payments: RunningMock) -> None:
    client = payments.client()
    intent = client.v1.payment_intents.create(params={"amount": 2000, "currency": "usd"})
    assert intent.automatic_payment_methods.enabled is True  # on by default since 2023-08-16
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert caught.value.param == "return_url"
    ok = client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_visa", "return_url": "https://example.com/done"}
    )
    assert ok.status == "succeeded"
    older = payments.client(stripe_version="2022-11-15").v1.payment_intents.create(
        params={"amount": 2000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )
    assert older.status == "succeeded" and older.automatic_payment_methods is None


def test_data_is_scoped_per_key_and_basic_auth_works(payments: RunningMock) -> None:
    mine = payments.client().v1.customers.create(params={"email": "me@example.com"})
    with pytest.raises(stripe.InvalidRequestError):
        payments.client(key="sk_test_someone_else").v1.customers.retrieve(mine.id)
    basic = httpx.get(f"{payments.base_url}/v1/customers/{mine.id}", auth=("sk_test_trainer_1234", ""))
    assert basic.status_code == 200 and basic.json()["email"] == "me@example.com"


@pytest.mark.parametrize(
    "query",
    [
        "expand[]=customer&expand[]=latest_charge",
        "expand[0]=customer&expand[1]=latest_charge",
        "expand%5B0%5D=customer&expand%5B1%5D=latest_charge",
        "expand%5B%5D=customer&expand%5B%5D=latest_charge",
    ],
)
def test_expand_in_every_encoding(payments: RunningMock, query: str) -> None:
    client = payments.client()
    customer = client.v1.customers.create(params={"email": "e@example.com"})
    intent = client.v1.payment_intents.create(
        params={
            "amount": 700,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "automatic_payment_methods": NO_REDIRECTS,
        }
    )
    body = payments.http.get(f"/v1/payment_intents/{intent.id}?{query}").json()
    assert body["customer"]["email"] == "e@example.com" and body["latest_charge"]["object"] == "charge"
    listed = payments.http.get("/v1/payment_intents?expand[]=data.customer").json()
    assert listed["data"][0]["customer"]["id"] == customer.id


def test_payment_intent_with_shipping_and_payment_method_options(payments: RunningMock) -> None:
    client = payments.client()
    intent = client.v1.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "usd",
            "payment_method_types": ["card"],
            "shipping": {
                "name": "Jenny Rosen",
                "address": {"line1": "510 Townsend St", "city": "San Francisco", "country": "US"},
                "carrier": "USPS",
            },
            "payment_method_options": {"card": {"request_three_d_secure": "any"}},
            "transfer_group": "order-6735",
            "payment_method_data": {
                "type": "card",
                "card": {"token": "tok_visa"},
                "billing_details": {"email": "jenny@example.com"},
            },
            "mandate_data": {"customer_acceptance": {"type": "offline"}},
        }
    )
    assert intent.shipping is not None and intent.shipping.name == "Jenny Rosen"
    assert intent.shipping.address is not None and intent.shipping.address.city == "San Francisco"
    assert intent.shipping.address.postal_code is None and intent.shipping.carrier == "USPS"
    assert intent.payment_method_options is not None
    assert intent.payment_method_options.card is not None
    assert intent.payment_method_options.card.request_three_d_secure == "any"
    assert intent.transfer_group == "order-6735" and intent.status == "requires_confirmation"
    method = client.v1.payment_methods.retrieve(str(intent.payment_method))
    assert method.card is not None and method.card.last4 == "4242"
    assert method.billing_details.email == "jenny@example.com"
    confirmed = client.v1.payment_intents.confirm(intent.id)
    assert confirmed.status == "succeeded" and confirmed.shipping is not None
    again = client.v1.payment_intents.retrieve(intent.id)
    assert again.shipping == confirmed.shipping and again.transfer_group == "order-6735"


def test_customer_documented_parameters_are_kept(payments: RunningMock) -> None:
    client = payments.client()
    customer = client.v1.customers.create(
        params={
            "email": "jenny@example.com",
            "shipping": {"name": "Jenny Rosen", "address": {"line1": "510 Townsend St"}},
            "invoice_settings": {"footer": "Thank you", "custom_fields": [{"name": "VAT", "value": "GB1"}]},
            "tax_id_data": [{"type": "eu_vat", "value": "DE123456789"}],
            "test_clock": "clock_123",
            "next_invoice_sequence": 7,
        }
    )
    assert customer.shipping is not None and customer.shipping.name == "Jenny Rosen"
    assert customer.invoice_settings.footer == "Thank you"
    assert customer.invoice_settings.custom_fields is not None
    assert customer.invoice_settings.custom_fields[0].value == "GB1"
    assert customer.test_clock == "clock_123" and customer.next_invoice_sequence == 7
    updated = client.v1.customers.update(customer.id, params={"invoice_settings": {"footer": "Merci"}})
    assert updated.invoice_settings.footer == "Merci"
    assert updated.invoice_settings.custom_fields is not None  # other members are kept


def test_customer_search_is_a_search_not_a_retrieve(payments: RunningMock) -> None:
    client = payments.client()
    jenny = client.v1.customers.create(params={"email": "jenny@example.com", "metadata": {"tier": "gold"}})
    client.v1.customers.create(params={"email": "other@example.com"})
    found = client.v1.customers.search(params={"query": 'email:"jenny@example.com"'})
    assert found.object == "search_result" and [c.id for c in found.data] == [jenny.id]
    gold = client.v1.customers.search(params={"query": "metadata['tier']:'gold' AND email~\"jenny\""})
    assert [c.id for c in gold.data] == [jenny.id]
    pages = client.v1.customers.search(params={"query": 'email~"example"', "limit": 1})
    assert pages.has_more and pages.next_page
    assert len(list(pages.auto_paging_iter())) == 2


def test_expanding_a_field_that_is_not_expandable_is_refused(payments: RunningMock) -> None:
    client = payments.client()
    customer = client.v1.customers.create(params={"email": "x@example.com"})
    with pytest.raises(stripe.InvalidRequestError, match=r"cannot be expanded \(metadata\)"):
        client.v1.customers.retrieve(customer.id, params={"expand": ["metadata"]})
    with pytest.raises(stripe.InvalidRequestError, match=r"cannot be expanded \(description\)"):
        client.v1.customers.retrieve(customer.id, params={"expand": ["description"]})
    shown = client.v1.customers.retrieve(
        customer.id, params={"expand": ["invoice_settings.default_payment_method"]}
    )
    assert shown.invoice_settings.default_payment_method is None


def test_connect_and_capture_parameters_are_accepted_and_returned(payments: RunningMock) -> None:
    client = payments.client()
    intent = client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method_types": ["card"],
            "payment_method_data": {"type": "card", "card": {"token": "tok_visa"}},
            "confirm": True,
            "capture_method": "manual",
            "application_fee_amount": 200,
            "on_behalf_of": "acct_123",
            "transfer_data": {"destination": "acct_123"},
            "radar_options": {"session": "rse_1"},
            "use_stripe_sdk": True,
        }
    )
    assert intent.status == "requires_capture" and intent.application_fee_amount == 200
    assert intent.on_behalf_of == "acct_123" and intent.transfer_data is not None
    captured = client.v1.payment_intents.capture(
        intent.id,
        params={"amount_to_capture": 4000, "final_capture": True, "transfer_data": {"amount": 3000}},
    )
    assert captured.status == "succeeded" and captured.amount_received == 4000
    assert captured.transfer_data is not None and captured.transfer_data.amount == 3000
    assert captured.transfer_data.destination == "acct_123"
    customer = client.v1.customers.create(params={"invoice_prefix": "ACME1", "validate": True})
    assert customer.invoice_prefix == "ACME1"
