import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
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
    """Money given back for one order through a provider (one refund per order: the call is idempotent per order)."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    #: the card payment refunded, or the VNPay payment (one of the two)
    card_payment_id: Mapped[int | None] = mapped_column(ForeignKey("card_payments.id"), index=True)
    vnpay_payment_id: Mapped[int | None] = mapped_column(ForeignKey("vnpay_payments.id"), index=True)
    provider_refund_id: Mapped[str] = mapped_column(String(80))
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[Order] = relationship()


class VnpayPayment(db.Model):
    """A checkout paid through VNPay's payment page: one merchant reference (vnp_TxnRef) per checkout."""

    __tablename__ = "vnpay_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), unique=True)
    #: vnp_TxnRef: ours, unique
    txn_ref: Mapped[str] = mapped_column(String(40), unique=True)
    #: đồng (VNPay's vnp_Amount is this × 100)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[IntentStatus] = mapped_column(Enum(IntentStatus, native_enum=False, length=16))
    #: from the IPN: VNPay's transaction number, the bank, the response code, the pay date (yyyyMMddHHmmss, GMT+7)
    transaction_no: Mapped[str] = mapped_column(String(20), default="")
    bank_code: Mapped[str] = mapped_column(String(20), default="")
    response_code: Mapped[str] = mapped_column(String(4), default="")
    pay_date: Mapped[str] = mapped_column(String(14), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    checkout: Mapped[Checkout] = relationship()


class TransferPayment(db.Model):
    """A checkout paid by bank transfer from a VietQR code: the payment code its memo must carry."""

    __tablename__ = "transfer_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), unique=True)
    #: the payment code (`TT000123`); the memo is the prefix, a space and this code
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: đồng to receive: the checkout's total
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    checkout: Mapped[Checkout] = relationship()


class TransactionStatus(enum.Enum):
    #: paid into its checkout (automatically, or matched by an administrator)
    MATCHED = "matched"
    #: waiting for an administrator: see `reason`
    QUEUED = "queued"
    #: an administrator chose to give (the rest of) it back: a refund task is open or done
    REFUNDED = "refunded"
    #: money going out, or to another account: nothing to do
    IGNORED = "ignored"


class QueueReason(enum.Enum):
    #: less than the checkout's total (the buyer may still send the rest with the same code)
    SHORT = "short"
    #: more than the checkout's total
    OVER = "over"
    #: for a checkout that had expired (its stock went back) or was already paid
    LATE = "late"
    #: no payment code found in the memo, or a code nobody has
    UNMATCHED = "unmatched"


class BankTransaction(db.Model):
    """One movement on the operator's collection account, as the bank-statement service reported it (webhook or
    list). Every incoming đồng is accounted for: `applied` went into its checkout, refund tasks give the rest back,
    and what is neither is held while it waits in the administrators' queue."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        UniqueConstraint("provider", "provider_id", name="uq_bank_transactions_provider_id"),
        CheckConstraint("amount >= 0 AND applied >= 0 AND applied <= amount", name="amounts"),
        Index("ix_bank_transactions_status_reason", "status", "reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the statement service (`sepay`) and its transaction id: a delivery seen twice is one row
    provider: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str] = mapped_column(String(64))
    #: the bank's name as the service gives it
    gateway: Mapped[str] = mapped_column(String(60), default="")
    account_number: Mapped[str] = mapped_column(String(32), default="")
    #: when the bank booked it (UTC)
    booked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: "in" or "out"
    direction: Mapped[str] = mapped_column(String(3))
    #: đồng
    amount: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[str] = mapped_column(String(500), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    #: the payment code found in the memo (ours), empty when none
    code: Mapped[str] = mapped_column(String(40), default="", index=True)
    status: Mapped[TransactionStatus] = mapped_column(Enum(TransactionStatus, native_enum=False, length=16))
    reason: Mapped[QueueReason | None] = mapped_column(Enum(QueueReason, native_enum=False, length=16))
    #: the checkout the code names (or an administrator matched it to)
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id"), index=True)
    #: đồng of this transaction paid into `checkout_id`
    applied: Mapped[int] = mapped_column(BigInteger, default=0)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    checkout: Mapped[Checkout | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()


class RefundTaskStatus(enum.Enum):
    OPEN = "open"
    DONE = "done"


class TransferRefund(db.Model):
    """Money to send back by bank transfer — an administrator's task, since a transfer cannot be reversed: an
    order paid by transfer that will not be delivered, or (part of) a transfer that paid nothing."""

    __tablename__ = "transfer_refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("order_id IS NOT NULL OR bank_transaction_id IS NOT NULL", name="for_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True)
    bank_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transactions.id"), index=True)
    #: whose money it is, when known (the order's buyer)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: đồng
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[RefundTaskStatus] = mapped_column(
        Enum(RefundTaskStatus, native_enum=False, length=8), default=RefundTaskStatus.OPEN, index=True
    )
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: when the transfer back was made, by whom, its bank reference and where it went
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str] = mapped_column(String(100), default="")
    bank_bin: Mapped[str] = mapped_column(String(6), default="")
    account_number: Mapped[str] = mapped_column(String(19), default="")
    holder_name: Mapped[str] = mapped_column(String(50), default="")

    order: Mapped[Order | None] = relationship()
    transaction: Mapped[BankTransaction | None] = relationship()
    buyer: Mapped[User | None] = relationship(foreign_keys=[buyer_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])


class BankAccount(db.Model):
    """Where a person is paid by transfer: a household's payouts, a buyer's refunds. Changes need the password again
    and are audited."""

    __tablename__ = "bank_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    #: the bank's NAPAS BIN (marketplace/payments/data/napas_banks.csv)
    bank_bin: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(19))
    #: as the bank knows it: upper case, without diacritics
    holder_name: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()
