"""Cash on delivery: the postman collects goods and shipping at the door; the service point's day close lands it in
the ledger (`postal/reconciliation.py`). Nothing happens here before the door."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.orders.models import Checkout, Order, PaymentMethod, PaymentStatus


class CashOnDelivery:
    key = PaymentMethod.COD
    prepaid = False

    def label(self) -> str:
        return str(_l("Cash on delivery"))

    def available(self) -> bool:
        return True

    def hold(self):
        return None

    def create(self, checkout: Checkout) -> None:
        return None

    def pay_url(self, checkout: Checkout) -> None:
        return None

    def notify(self, notification: object) -> bool:
        return False

    def refund(self, order: Order) -> None:
        """Nothing was paid: an order that will not be delivered owes nothing (set by the order's move)."""
        if order.payment_status is PaymentStatus.COD_PENDING:
            order.payment_status = PaymentStatus.NOT_REQUIRED

    def status(self, checkout: Checkout) -> PaymentStatus:
        return checkout.payment_status

    def lock(self, checkout_id: int) -> None:
        return None

    def paid_meanwhile(self, checkout: Checkout) -> bool:
        return False


METHOD = CashOnDelivery()
