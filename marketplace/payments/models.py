import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from marketplace.timeutil import utcnow


class IntentStatus(enum.Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


class CardPayment(db.Model):
    """The gateway's payment intent for a card checkout (one per checkout)."""

    __tablename__ = "card_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(20), default="stripe")
    intent_id: Mapped[str] = mapped_column(String(80), unique=True)
    #: handed to the page so Stripe.js can confirm the payment; not a secret key
    client_secret: Mapped[str] = mapped_column(String(200))
    #: đồng (VND is zero-decimal)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="vnd")
    status: Mapped[IntentStatus] = mapped_column(Enum(IntentStatus, native_enum=False, length=16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    checkout: Mapped[Checkout] = relationship()


class PaymentEvent(db.Model):
    """A webhook event already handled; the unique id makes a replay a no-op."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(80))
    intent_id: Mapped[str | None] = mapped_column(String(80), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Refund(db.Model):
    """Money given back for one order (one refund per order: the gateway call is idempotent per order)."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    card_payment_id: Mapped[int] = mapped_column(ForeignKey("card_payments.id"), index=True)
    provider_refund_id: Mapped[str] = mapped_column(String(80))
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[Order] = relationship()
