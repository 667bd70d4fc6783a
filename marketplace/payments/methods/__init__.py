"""One interface for every way to pay; one module per method behind it.

    cod          cash on delivery: nothing to do before the door
    stripe_card  card through Stripe PaymentIntents (payments/gateway.py is the only module importing `stripe`)
    vietqr       bank transfer from a VietQR code, confirmed by the bank-statement service's webhook
    vnpay        VNPay's payment page, confirmed by its IPN

The rest of the app asks this module (`get`, `offered`) and never a method module directly; the order state machine
and the ledger do not change per method (they see `payments.core`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from marketplace.orders.models import Checkout, Order, PaymentMethod, PaymentStatus


class Method(Protocol):
    key: PaymentMethod
    #: paid before the goods leave: the checkout holds its stock until the money is there, or `hold()` runs out
    prepaid: bool

    def label(self) -> str:
        """What the buyer picks at checkout."""

    def available(self) -> bool:
        """Configured (keys, accounts) and so offered at checkout."""

    def hold(self) -> timedelta | None:
        """How long an unpaid checkout keeps its stock; None for methods paid at the door."""

    def create(self, checkout: Checkout) -> object:
        """Start (once) the payment with the provider; idempotent. Raises PaymentError."""

    def pay_url(self, checkout: Checkout) -> str | None:
        """Where the buyer goes after placing the checkout (None: the confirmation page)."""

    def notify(self, notification: object) -> object:
        """Apply a verified notification from the provider once (webhook, IPN, statement line)."""

    def refund(self, order: Order) -> object:
        """Give a paid order's money back (idempotent per order). Raises PaymentError."""

    def status(self, checkout: Checkout) -> PaymentStatus:
        """Where the payment stands (the pay page polls it)."""

    def lock(self, checkout_id: int) -> None:
        """Lock the method's payment row of the checkout (its notifications take the same lock)."""

    def paid_meanwhile(self, checkout: Checkout) -> bool:
        """Before an expiry: ask the provider once more and apply a payment found there; True if it was paid."""


def _registry() -> dict[PaymentMethod, Method]:
    from marketplace.payments.methods import cod, stripe_card, vietqr, vnpay

    return {m.METHOD.key: m.METHOD for m in (cod, stripe_card, vietqr, vnpay)}


def get(key: PaymentMethod) -> Method:
    return _registry()[key]


def offered() -> list[Method]:
    """The methods a buyer can choose now, cash on delivery first."""
    return [m for m in _registry().values() if m.available()]
