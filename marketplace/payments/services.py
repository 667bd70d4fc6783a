"""Payment operations: start a card payment, apply webhook events once, refund, expire unpaid checkouts."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders import ledger
from marketplace.orders.services import begin_write
from marketplace.orders.models import Checkout, LedgerKind, Order, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.payments.errors import PaymentError
from marketplace.payments.gateway import WebhookEvent, get_gateway
from marketplace.payments.models import CardPayment, IntentStatus, PaymentEvent, Refund
from marketplace.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)


def start_card_payment(checkout: Checkout) -> CardPayment:
    """Create (once) the gateway's payment intent for an unpaid card checkout; flushes.

    The idempotency key is per checkout, so a retried request never creates a second intent.
    Raises CardNotConfigured, PaymentError.
    """
    existing = db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout.id))
    if existing is not None:
        return existing
    gateway = get_gateway()
    intent = gateway.create_intent(
        checkout.total,
        idempotency_key=f"checkout-{checkout.id}-{checkout.created_at.timestamp():.0f}",
        metadata={"checkout_id": str(checkout.id)},
    )
    payment = CardPayment(
        checkout_id=checkout.id,
        provider=gateway.name,
        intent_id=intent.id,
        client_secret=intent.client_secret,
        amount=intent.amount,
        currency=intent.currency,
        status=IntentStatus.PENDING,
    )
    db.session.add(payment)
    db.session.flush()
    return payment


def card_setup_secret(checkout: Checkout) -> str:
    """A fresh card-setup secret for the payment page (creating one charges nothing). Raises PaymentError."""
    return get_gateway().create_card_setup(idempotency_key=f"setup-{checkout.id}-{uuid.uuid4().hex}")


def confirm_card(checkout: Checkout, payment_method_id: str) -> str:
    """Confirm the checkout's intent with the payment method made on the page; returns the intent's status
    (`succeeded`, `processing`, `requires_action`, …). The order turns paid only when the webhook says so.

    Raises PaymentError when the checkout is no longer payable, the method id is malformed or the card is declined.
    """
    payment = card_payment_of(checkout)
    if payment is None or checkout.payment_status is not PaymentStatus.UNPAID:
        raise PaymentError(_l("This payment can no longer be made."))
    if not payment_method_id.startswith("pm_") or len(payment_method_id) > 64:
        raise PaymentError()
    intent = get_gateway().confirm_intent(
        payment.intent_id, payment_method_id, idempotency_key=f"confirm-{payment.intent_id}-{payment_method_id}"
    )
    return intent.status


def handle_event(event: WebhookEvent) -> bool:
    """Apply a verified webhook event once. Returns False for a replay (an event id already stored).

    The event id is stored in the same transaction as its effect. Events about unknown intents are stored and
    ignored. A `payment_failed` after a success changes nothing. Raises IntegrityError when the same event is being
    applied concurrently (the caller rolls back and answers 200: the other delivery applies it).
    """
    begin_write()
    if db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event.id)) is not None:
        return False
    # a concurrent delivery of the same event makes this flush (or the commit) raise IntegrityError: the caller
    # rolls back and answers 200, the other delivery applies it
    db.session.add(PaymentEvent(event_id=event.id, type=event.type, intent_id=event.intent_id))
    db.session.flush()
    if not event.intent_id:
        return True
    # the row lock serialises two different events about the same intent (PostgreSQL; SQLite has BEGIN IMMEDIATE)
    payment = db.session.scalar(select(CardPayment).where(CardPayment.intent_id == event.intent_id).with_for_update())
    if payment is None:
        log.warning("webhook %s for unknown intent %s", event.id, event.intent_id)
        return True
    if event.type == "payment_intent.succeeded":
        mark_paid(payment)
    elif event.type in ("payment_intent.payment_failed", "payment_intent.canceled"):
        if payment.status is not IntentStatus.PENDING:
            return True  # out of order or repeated: a success (or an earlier failure) is final
        status = _current_status(payment, fallback=event.intent_status)
        if status == "succeeded":  # the failure is older than a success we have not heard of yet
            mark_paid(payment)
        elif status in ("requires_payment_method", "canceled", None):
            mark_failed(payment, reason=event.type)
    return True


def _current_status(payment: CardPayment, fallback: str | None) -> str | None:
    """The intent's status as the gateway sees it now (events may be stale); the event's own when unreachable."""
    try:
        return get_gateway().retrieve_intent(payment.intent_id).status
    except PaymentError:
        return fallback


def mark_paid(payment: CardPayment) -> None:
    """The card payment succeeded: orders become paid; orders already cancelled (late payment) are refunded."""
    if payment.status is IntentStatus.SUCCEEDED:
        return
    payment.status = IntentStatus.SUCCEEDED
    checkout = payment.checkout
    checkout.payment_status = PaymentStatus.PAID
    for order in checkout.orders:
        order.payment_status = PaymentStatus.PAID
        ledger.record(order, LedgerKind.CARD_CAPTURED, order.total, payment.intent_id)
        if order.status in (OrderStatus.CANCELLED, OrderStatus.REJECTED):
            refund_order(order)
    db.session.flush()
    from marketplace.notifications import services as notify

    for order in checkout.orders:
        notify.payment_received(order)


def mark_failed(payment: CardPayment, reason: str) -> None:
    """The card payment failed: cancel the unpaid orders of its checkout (their stock comes back)."""
    payment.status = IntentStatus.FAILED
    _fail_checkout(payment.checkout, reason, PaymentStatus.FAILED)


def _fail_checkout(checkout: Checkout, reason: str, status: PaymentStatus) -> None:
    from marketplace.orders.services import advance

    checkout.payment_status = status
    for order in checkout.orders:
        if order.payment_status is not PaymentStatus.UNPAID:
            continue
        if order.status is OrderStatus.PLACED:
            advance(order, OrderStatus.CANCELLED, None, reason)
        order.payment_status = status
    db.session.flush()


def refund_order(order: Order) -> Refund:
    """Refund a paid card order in full through the gateway (idempotent per order); flushes. Raises PaymentError."""
    existing = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
    if existing is not None:
        return existing
    payment = db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == order.checkout_id))
    if payment is None or payment.status is not IntentStatus.SUCCEEDED:
        raise PaymentError()
    result = get_gateway().refund(payment.intent_id, order.total, idempotency_key=f"refund-order-{order.id}")
    refund = Refund(
        order_id=order.id,
        card_payment_id=payment.id,
        provider_refund_id=result.id,
        amount=result.amount,
        status=result.status,
    )
    db.session.add(refund)
    order.payment_status = PaymentStatus.REFUNDED
    ledger.record(order, LedgerKind.REFUND, -result.amount, result.id)
    db.session.flush()
    return refund


def unpaid_past_deadline(now: datetime | None = None) -> list[int]:
    """Ids of card checkouts still unpaid after their 30 minutes."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Checkout.id, Checkout.pay_by).where(
            Checkout.payment_method == PaymentMethod.CARD,
            Checkout.payment_status == PaymentStatus.UNPAID,
            Checkout.pay_by.is_not(None),
        )
    ).all()
    return [checkout_id for checkout_id, pay_by in rows if as_utc(pay_by) <= now]


def expire_checkout(checkout_id: int, now: datetime | None = None) -> bool:
    """Cancel one unpaid card checkout past its deadline and give its stock back; True when it was expired.

    The payment row is locked first (the webhook locks it too) and the checkout re-read, so a payment applied
    meanwhile wins; the intent is re-read at the gateway, and a success found there (webhook lost or late) is
    applied instead of the expiry.
    """
    now = now or utcnow()
    begin_write()
    payment = db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout_id).with_for_update())
    checkout = db.session.scalar(
        select(Checkout).where(Checkout.id == checkout_id).execution_options(populate_existing=True)
    )
    if checkout is None or checkout.payment_status is not PaymentStatus.UNPAID or as_utc(checkout.pay_by) > now:
        return False
    if payment is not None:
        try:
            gateway = get_gateway()
            intent = gateway.retrieve_intent(payment.intent_id)
            if intent.status == "succeeded":
                mark_paid(payment)
                return False
            if intent.status != "canceled":
                gateway.cancel_intent(payment.intent_id)
        except PaymentError:
            log.warning("could not re-check intent %s; expiring the checkout", payment.intent_id)
        payment.status = IntentStatus.CANCELED
    _fail_checkout(checkout, "payment not received within 30 minutes", PaymentStatus.EXPIRED)
    return True


def card_payment_of(checkout: Checkout) -> CardPayment | None:
    return db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout.id))
