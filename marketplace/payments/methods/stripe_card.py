"""Card payments through the card gateway (Stripe PaymentIntents in VND, `payments/gateway.py`): the intent is
created when the pay page opens, Stripe.js confirms it, and only the signed webhook makes the order paid."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.locks import begin_write
from marketplace.orders import ledger
from marketplace.orders.models import Checkout, LedgerKind, Order, PaymentMethod, PaymentStatus
from marketplace.payments import core
from marketplace.payments.errors import PaymentError, ProviderUnreachable
from marketplace.payments.gateway import WebhookEvent, card_configured, get_gateway
from marketplace.payments.models import CardPayment, IntentStatus, PaymentEvent, Refund

log = logging.getLogger(__name__)


def card_payment_of(checkout: Checkout) -> CardPayment | None:
    return db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout.id))


def start_card_payment(checkout: Checkout) -> CardPayment:
    """Create (once) the gateway's payment intent for an unpaid card checkout; flushes.

    The idempotency key is per checkout, so a retried request never creates a second intent.
    Raises CardNotConfigured, PaymentError.
    """
    existing = card_payment_of(checkout)
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
    if not payment_method_id.startswith("pm_") or len(payment_method_id) > 64:
        raise PaymentError()
    payment = _fresh_intent(checkout)
    if payment is None:
        return "succeeded"
    intent = get_gateway().confirm_intent(
        payment.intent_id, payment_method_id, idempotency_key=f"confirm-{payment.intent_id}-{payment_method_id}"
    )
    return intent.status


def _fresh_intent(checkout: Checkout) -> CardPayment | None:
    """The checkout's card payment, on an intent that can take a new card: after a declined attempt the old intent is
    cancelled at the provider and a new one made for the same amount (its idempotency key names the old intent, so
    two retries at once make one). None when a success nobody had told us of yet was found (and applied). Commits
    nothing (the caller commits whatever the card did); raises PaymentError when the checkout can no longer be paid."""
    begin_write()
    payment = db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout.id).with_for_update())
    db.session.refresh(checkout)
    if payment is None or checkout.payment_status is not PaymentStatus.UNPAID:
        raise PaymentError(_l("This payment can no longer be made."))
    gateway = get_gateway()
    current = gateway.retrieve_intent(payment.intent_id)
    if current.status == "succeeded":
        mark_paid(payment)
        return None
    if current.status == "canceled" or (current.status == "requires_payment_method" and current.last_error):
        if current.status != "canceled":
            gateway.cancel_intent(payment.intent_id)
        intent = gateway.create_intent(
            payment.amount, idempotency_key=f"checkout-{checkout.id}-after-{payment.intent_id}",
            metadata={"checkout_id": str(checkout.id), "replaces": payment.intent_id},
        )
        payment.intent_id, payment.client_secret = intent.id, intent.client_secret
        db.session.flush()
    return payment


def handle_event(event: WebhookEvent) -> bool:
    """Apply a verified webhook event once. Returns False for a replay (an event id already stored).

    The event id is stored in the same transaction as its effect. Events about unknown intents are stored and
    ignored. A `payment_failed` after a success changes nothing. Raises IntegrityError when the same event is being
    applied concurrently (the caller rolls back and answers 200: the other delivery applies it).
    """
    begin_write()
    if db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event.id)) is not None:
        return False
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
        elif status == "canceled":
            mark_failed(payment, reason="payment_cancelled")
        # a declined attempt ends nothing: the order waits for another card (or cash on delivery) until its hold ends
    return True


def last_attempt_failed(checkout: Checkout) -> bool:
    """Whether the card's latest attempt was declined (the pay page says so and asks for another card)."""
    payment = card_payment_of(checkout)
    if payment is None or payment.status is not IntentStatus.PENDING:
        return False
    latest = db.session.scalar(
        select(PaymentEvent.type).where(PaymentEvent.intent_id == payment.intent_id).order_by(PaymentEvent.id.desc())
    )
    return latest == "payment_intent.payment_failed"


def switch_to_cod(buyer, checkout: Checkout) -> None:
    """The buyer gives up paying by card for this checkout and pays cash on delivery instead: the intent is cancelled
    at the provider first (so it can never be charged), then the checkout and its orders become cash on delivery and
    the households are told of the order. Raises PaymentError (not the buyer's, no longer unpaid, or the provider
    could not confirm the cancellation: nothing changes then)."""
    begin_write()
    payment = db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout.id).with_for_update())
    db.session.refresh(checkout)
    if checkout.buyer_id != buyer.id or checkout.payment_status is not PaymentStatus.UNPAID:
        raise PaymentError(_l("This payment can no longer be made."))
    if payment is not None:
        gateway = get_gateway()
        intent = gateway.retrieve_intent(payment.intent_id)
        if intent.status == "succeeded":  # paid meanwhile: take the payment, not cash
            mark_paid(payment)
            return
        if intent.status != "canceled":
            gateway.cancel_intent(payment.intent_id)
        payment.status = IntentStatus.CANCELED
    checkout.payment_method = PaymentMethod.COD
    checkout.payment_status = PaymentStatus.COD_PENDING
    checkout.pay_by = None
    from marketplace.notifications import services as notify

    for order in checkout.orders:
        order.payment_method = PaymentMethod.COD
        order.payment_status = PaymentStatus.COD_PENDING
        notify.payment_received(order)  # the household now has an order to confirm
    db.session.flush()


def retry_refund(order_id: int) -> bool:
    """Try once more a refund the provider did not answer; True when it went through. Raises ProviderUnreachable
    (still no answer: the job is retried later) or PaymentError (refused)."""
    begin_write()
    refund = db.session.scalar(select(Refund).where(Refund.order_id == order_id).with_for_update())
    if refund is None or refund.status != PENDING:
        return False
    order = db.session.get(Order, order_id)
    payment = db.session.get(CardPayment, refund.card_payment_id)
    result = get_gateway().refund(payment.intent_id, refund.amount, idempotency_key=f"refund-order-{order.id}")
    refund.provider_refund_id, refund.status, refund.amount = result.id, result.status, result.amount
    order.payment_status = PaymentStatus.REFUNDED
    ledger.record(order, LedgerKind.REFUND, -result.amount, result.id)
    db.session.flush()
    return True


def pending_refunds() -> list[int]:
    """Orders whose card refund waits for the provider to answer."""
    return list(db.session.scalars(
        select(Refund.order_id).where(Refund.status == PENDING, Refund.card_payment_id.is_not(None))
    ))


#: a refund asked for while the provider did not answer: retried by a job until it goes through
PENDING = "pending"


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
    core.capture(payment.checkout, payment.intent_id)


def mark_failed(payment: CardPayment, reason: str) -> None:
    """The card payment failed: cancel the unpaid orders of its checkout (their stock comes back)."""
    payment.status = IntentStatus.FAILED
    core.fail(payment.checkout, reason, PaymentStatus.FAILED)


class StripeCard:
    key = PaymentMethod.CARD
    prepaid = True

    def label(self) -> str:
        return str(_l("Card (Visa, Mastercard)"))

    def available(self) -> bool:
        return card_configured(current_app.config)

    def hold(self) -> timedelta:
        return timedelta(minutes=current_app.config.get("CARD_HOLD_MINUTES", 30))

    def create(self, checkout: Checkout) -> CardPayment:
        return start_card_payment(checkout)

    def pay_url(self, checkout: Checkout) -> str:
        return url_for("payments.pay", checkout_id=checkout.id)

    def notify(self, notification: WebhookEvent) -> bool:
        return handle_event(notification)

    def refund(self, order: Order) -> Refund:
        """Refund a paid card order in full through the gateway (idempotent per order); flushes. Raises
        PaymentError."""
        existing = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
        if existing is not None:
            return existing
        payment = card_payment_of(order.checkout)
        if payment is None or payment.status is not IntentStatus.SUCCEEDED:
            raise PaymentError()
        try:
            result = get_gateway().refund(payment.intent_id, order.total, idempotency_key=f"refund-order-{order.id}")
        except ProviderUnreachable:
            # never a hanging request: the refund is queued, the order goes on (stock back), a job retries it
            refund = Refund(order_id=order.id, card_payment_id=payment.id, provider_refund_id="", amount=order.total,
                            status=PENDING)
            db.session.add(refund)
            order.payment_status = PaymentStatus.REFUND_PENDING
            db.session.flush()
            from marketplace.jobs.queue import enqueue
            from marketplace.notifications import services as notify

            enqueue("payments.retry_refund", order.id, key=f"refund-{order.id}")
            notify.refund_pending(order)
            return refund
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

    def status(self, checkout: Checkout) -> PaymentStatus:
        return checkout.payment_status

    def lock(self, checkout_id: int) -> None:
        db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == checkout_id).with_for_update())

    def paid_meanwhile(self, checkout: Checkout) -> bool:
        """Re-read the intent at the gateway: a success found there (webhook lost or late) is applied; otherwise the
        intent is cancelled so that it cannot be paid any more."""
        payment = card_payment_of(checkout)
        if payment is None:
            return False
        try:
            gateway = get_gateway()
            intent = gateway.retrieve_intent(payment.intent_id)
            if intent.status == "succeeded":
                mark_paid(payment)
                return True
            if intent.status != "canceled":
                gateway.cancel_intent(payment.intent_id)
        except PaymentError:
            log.warning("could not re-check intent %s; expiring the checkout", payment.intent_id)
        payment.status = IntentStatus.CANCELED
        return False


METHOD = StripeCard()
