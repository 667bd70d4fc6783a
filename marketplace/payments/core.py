"""What every way of paying in advance shares, whatever the provider: the money arrived (`capture`), the payment
failed or expired (`fail`), an order's money goes back (`refund_order`), unpaid checkouts expire (`expire_checkout`).

The method modules (`payments/methods/`) call these; the order state machine and the ledger see only them, so they do
not change per method.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.locks import begin_write
from marketplace.orders import ledger
from marketplace.orders.models import Checkout, LedgerKind, Order, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)


def capture(checkout: Checkout, reference: str) -> None:
    """The checkout's money arrived (exactly its total): its orders become paid and each one's payment lands in the
    ledger (captured: + goods and shipping). Orders already cancelled (a payment that arrived late) are refunded by
    their method. Notifies the households. Callers hold their payment row's lock and check it is not paid yet."""
    checkout.payment_status = PaymentStatus.PAID
    for order in checkout.orders:
        order.payment_status = PaymentStatus.PAID
        ledger.record(order, LedgerKind.CARD_CAPTURED, order.total, reference[:200])
        if order.status in (OrderStatus.CANCELLED, OrderStatus.REJECTED):
            refund_order(order)
    db.session.flush()
    from marketplace.notifications import services as notify

    for order in checkout.orders:
        notify.payment_received(order)


def fail(checkout: Checkout, reason: str, status: PaymentStatus) -> None:
    """The payment failed or expired: cancel the checkout's unpaid orders (their stock comes back)."""
    from marketplace.orders.services import advance

    checkout.payment_status = status
    for order in checkout.orders:
        if order.payment_status is not PaymentStatus.UNPAID:
            continue
        if order.status is OrderStatus.PLACED:
            advance(order, OrderStatus.CANCELLED, None, reason)
        order.payment_status = status
    db.session.flush()


def refund_order(order: Order):
    """Give a paid order's money back through its method (idempotent per order): the provider's refund for a card or
    VNPay, an administrator's task for a bank transfer. Raises PaymentError when the provider refuses."""
    from marketplace.payments import methods

    return methods.get(order.payment_method).refund(order)


def unpaid_past_deadline(now: datetime | None = None) -> list[int]:
    """Ids of checkouts paid in advance (any method) still unpaid after their hold time."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Checkout.id, Checkout.pay_by).where(
            Checkout.payment_method != PaymentMethod.COD,
            Checkout.payment_status == PaymentStatus.UNPAID,
            Checkout.pay_by.is_not(None),
        )
    ).all()
    return [checkout_id for checkout_id, pay_by in rows if as_utc(pay_by) <= now]


def expire_checkout(checkout_id: int, now: datetime | None = None) -> bool:
    """Cancel one unpaid checkout past its deadline and give its stock back; True when it was expired.

    Its method first locks its payment row (the provider's notifications lock it too) and asks the provider once
    more: a payment found there (a notification lost or late) is applied instead of the expiry.
    """
    from marketplace.payments import methods

    now = now or utcnow()
    begin_write()
    method = db.session.scalar(select(Checkout.payment_method).where(Checkout.id == checkout_id))
    if method is None or method is PaymentMethod.COD:
        return False
    handler = methods.get(method)
    handler.lock(checkout_id)
    checkout = db.session.scalar(
        select(Checkout).where(Checkout.id == checkout_id).execution_options(populate_existing=True)
    )
    if checkout.payment_status is not PaymentStatus.UNPAID or as_utc(checkout.pay_by) > now:
        return False
    if handler.paid_meanwhile(checkout):
        return False
    fail(checkout, "payment_expired", PaymentStatus.EXPIRED)  # a reason key: the timeline says it in words
    return True
