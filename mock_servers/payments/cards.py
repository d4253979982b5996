"""Stripe's test payment methods (api-semantics A5) and what charging each one does.

Both spellings are accepted: ``pm_card_visa_chargeDeclined`` and the brand-less ``pm_card_chargeDeclined``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str | None
    message: str


@dataclass(frozen=True)
class TestCard:
    brand: str
    last4: str
    funding: str = "credit"
    decline: Decline | None = None
    requires_action: bool = False
    attachable: bool = True


_GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")

_CARDS: dict[str, TestCard] = {
    "pm_card_visa": TestCard("visa", "4242"),
    "pm_card_visa_debit": TestCard("visa", "5556", "debit"),
    "pm_card_mastercard": TestCard("mastercard", "4444"),
    "pm_card_amex": TestCard("amex", "8431"),
    "pm_card_chargeDeclined": TestCard("visa", "0002", decline=_GENERIC, attachable=False),
    "pm_card_chargeDeclinedInsufficientFunds": TestCard(
        "visa",
        "9995",
        decline=Decline("card_declined", "insufficient_funds", "Your card has insufficient funds."),
        attachable=False,
    ),
    "pm_card_chargeDeclinedLostCard": TestCard(
        "visa",
        "9987",
        decline=Decline("card_declined", "lost_card", "Your card was declined."),
        attachable=False,
    ),
    "pm_card_chargeDeclinedStolenCard": TestCard(
        "visa",
        "9979",
        decline=Decline("card_declined", "stolen_card", "Your card was declined."),
        attachable=False,
    ),
    "pm_card_chargeDeclinedExpiredCard": TestCard(
        "visa", "0069", decline=Decline("expired_card", None, "Your card has expired."), attachable=False
    ),
    "pm_card_chargeDeclinedIncorrectCvc": TestCard(
        "visa",
        "0127",
        decline=Decline("incorrect_cvc", None, "Your card's security code is incorrect."),
        attachable=False,
    ),
    "pm_card_chargeDeclinedProcessingError": TestCard(
        "visa",
        "0119",
        decline=Decline(
            "processing_error",
            None,
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        attachable=False,
    ),
    "pm_card_chargeDeclinedVelocityLimitExceeded": TestCard(
        "visa",
        "6975",
        decline=Decline(
            "card_declined",
            "card_velocity_exceeded",
            "Your card was declined for making repeated attempts too frequently or exceeding its amount limit.",
        ),
        attachable=False,
    ),
    "pm_card_chargeCustomerFail": TestCard("visa", "0341", decline=_GENERIC),
    "pm_card_authenticationRequired": TestCard("visa", "3184", requires_action=True),
    "pm_card_threeDSecure2Required": TestCard("visa", "3220", requires_action=True),
    "pm_card_radarBlock": TestCard(
        "visa",
        "0019",
        decline=Decline("card_declined", "fraudulent", "Your card was declined."),
        attachable=False,
    ),
}


def test_card(payment_method_id: str) -> TestCard | None:
    """The test card a magic id names; ``pm_card_visa_chargeDeclined`` and ``pm_card_chargeDeclined`` alike."""
    card = _CARDS.get(payment_method_id)
    if card is None and payment_method_id.startswith("pm_card_visa_"):
        card = _CARDS.get("pm_card_" + payment_method_id.removeprefix("pm_card_visa_"))
    return card


def test_card_ids() -> list[str]:
    return sorted(_CARDS)
