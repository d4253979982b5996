"""The payments mock: a stateful Stripe-like API served from the bundled ``payments`` specs.

``PaymentsMock(PaymentsConfig(...)).app`` is the ASGI app; ``api-trainer mock payments`` serves it. See
``app.py`` for the request pipeline and ``versions.py`` for the per-version shapes.
"""

from .app import TEST_KEY, PaymentsConfig, PaymentsMock

__all__ = ["TEST_KEY", "PaymentsConfig", "PaymentsMock"]
