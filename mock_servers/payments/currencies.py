"""The currencies a PaymentIntent accepts: ISO 4217 codes that are money (from pycountry's ISO 4217 data).

Left out are the codes that are not a currency anyone is charged in: precious metals, SDR and other
X-prefixed units (XAU, XDR, XTS, XXX, ...; but XAF, XCD, XOF and XPF are real currencies), and the ISO "fund"
codes (BOV, CLF, COU, MXV, USN, CHE, CHW, UYI, UYW). Stripe's own list is narrower per account; an unknown code
gets Stripe's answer, "Invalid currency: xyz. Stripe currently supports these currencies: usd, aed, ...",
param ``currency`` (the API error as quoted in lukec/stripe-perl issue #156).
"""

from __future__ import annotations

from functools import cache

__all__ = ["invalid_currency_message", "supported_currencies"]

_X_CURRENCIES = frozenset({"XAF", "XCD", "XOF", "XPF"})
_FUNDS = frozenset({"BOV", "CLF", "COU", "MXV", "USN", "CHE", "CHW", "UYI", "UYW"})


@cache
def supported_currencies() -> tuple[str, ...]:
    """Lower-case codes, ``usd`` first as in Stripe's message, then alphabetical."""
    import pycountry  # its data loads on first use; only a currency check needs it

    codes = {
        c.alpha_3.lower()
        for c in pycountry.currencies
        if c.alpha_3 not in _FUNDS and (not c.alpha_3.startswith("X") or c.alpha_3 in _X_CURRENCIES)
    }
    return ("usd", *sorted(codes - {"usd"}))


def invalid_currency_message(currency: str) -> str:
    return f"Invalid currency: {currency}. Stripe currently supports these currencies: " + ", ".join(
        supported_currencies()
    )
