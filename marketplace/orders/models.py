import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.catalog.models import Listing, Unit
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.households.models import Household
from marketplace.postal.models import DigitalAddress, Service
from marketplace.timeutil import utcnow


class OrderStatus(enum.Enum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    READY_FOR_HANDOVER = "ready_for_handover"
    HANDED_OVER = "handed_over"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class PaymentMethod(enum.Enum):
    COD = "cod"
    CARD = "card"
    #: bank transfer to the operator's account from a VietQR code (NAPAS 247)
    VIETQR = "vietqr"
    VNPAY = "vnpay"


class PaymentStatus(enum.Enum):
    #: paid in advance (card, transfer, VNPay): waiting for the provider's word that the money is there
    UNPAID = "unpaid"
    PAID = "paid"
    FAILED = "failed"
    #: not paid within the method's hold time (its stock went back)
    EXPIRED = "expired"
    REFUNDED = "refunded"
    #: paid by bank transfer and to be given back: an administrator's task until the transfer back is made
    REFUND_PENDING = "refund_pending"
    #: cash on delivery, still to be collected at the door
    COD_PENDING = "cod_pending"
    #: cash on delivery collected by the postman
    COD_COLLECTED = "cod_collected"
    #: cash on delivery for an order that never reached the buyer: nothing owed
    NOT_REQUIRED = "not_required"


class Checkout(db.Model):
    """One buyer's purchase: one payment, one delivery address, one order per household."""

    __tablename__ = "checkouts"
    __table_args__ = (
        CheckConstraint("total >= 0", name="total_not_negative"),
        UniqueConstraint("buyer_id", "submission_key", name="uq_checkouts_buyer_submission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    payment_method: Mapped[PaymentMethod] = mapped_column(Enum(PaymentMethod, native_enum=False, length=8))
    payment_status: Mapped[PaymentStatus] = mapped_column(Enum(PaymentStatus, native_enum=False, length=16))
    #: goods + shipping of every order, đồng
    total: Mapped[int] = mapped_column(BigInteger)
    recipient: Mapped[str] = mapped_column(String(120))
    #: E.164
    phone: Mapped[str] = mapped_column(String(16))
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    address_line: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: an unpaid card checkout is cancelled after this time and its stock returned
    pay_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the digital address the buyer gave at checkout (its ward and line were copied into the fields above)
    digital_address_id: Mapped[int | None] = mapped_column(ForeignKey("digital_addresses.id"), index=True)
    #: the id of the checkout form that placed it: a repeated submit finds this checkout instead of placing another
    submission_key: Mapped[str | None] = mapped_column(String(64))
    #: the service point where the buyer collects the parcels (a lower fee), instead of delivery to the door
    pickup_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))

    buyer: Mapped[User] = relationship()
    ward: Mapped[Ward] = relationship()
    digital_address: Mapped[DigitalAddress | None] = relationship()
    orders: Mapped[list["Order"]] = relationship(back_populates="checkout", order_by="Order.id")


class Order(db.Model):
    """The part of a checkout one household fulfils; travels as one parcel."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("goods_total >= 0 AND shipping_fee >= 0 AND commission >= 0", name="money_not_negative"),
        CheckConstraint("commission <= goods_total", name="commission_within_goods"),
        Index("ix_orders_household_status", "household_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, native_enum=False, length=24), default=OrderStatus.PLACED, index=True
    )
    payment_method: Mapped[PaymentMethod] = mapped_column(Enum(PaymentMethod, native_enum=False, length=8), index=True)
    payment_status: Mapped[PaymentStatus] = mapped_column(Enum(PaymentStatus, native_enum=False, length=16))
    goods_total: Mapped[int] = mapped_column(BigInteger)
    shipping_fee: Mapped[int] = mapped_column(BigInteger)
    shipping_service: Mapped[Service] = mapped_column(Enum(Service, native_enum=False, length=16))
    weight_grams: Mapped[int] = mapped_column(Integer)
    #: marketplace commission on the goods, from each line's category rate at the time of the order
    commission: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    buyer: Mapped[User] = relationship()
    household: Mapped[Household] = relationship()
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.id")
    events: Mapped[list["OrderEvent"]] = relationship(back_populates="order", order_by="OrderEvent.id")

    @property
    def total(self) -> int:
        """What the buyer pays for this order: goods and shipping."""
        return self.goods_total + self.shipping_fee

    @property
    def cod_due(self) -> int:
        """Cash the postman collects at the door: goods and shipping for a COD order still to be collected."""
        return self.total if self.payment_status is PaymentStatus.COD_PENDING else 0

    @property
    def household_net(self) -> int:
        return self.goods_total - self.commission

    @property
    def number(self) -> str:
        return f"DH{self.id:06d}"


class OrderLine(db.Model):
    """A snapshot of what was bought: title, unit, price and weight as they were at checkout."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    unit: Mapped[Unit] = mapped_column(Enum(Unit, native_enum=False, length=16))
    unit_price: Mapped[int] = mapped_column(BigInteger)
    weight_grams: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    commission_bps: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="lines")
    listing: Mapped[Listing] = relationship()

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(db.Model):
    """One transition of an order: who, when (UTC), from, to, why. Append-only."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    #: empty for the system (expiry, webhooks)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    from_status: Mapped[OrderStatus | None] = mapped_column(Enum(OrderStatus, native_enum=False, length=24))
    to_status: Mapped[OrderStatus] = mapped_column(Enum(OrderStatus, native_enum=False, length=24))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class LedgerKind(enum.Enum):
    #: goods sold (+), credited to the household when a card-paid order is delivered
    SALE = "sale"
    #: marketplace commission (−) on a sale or on collected cash
    COMMISSION = "commission"
    #: shipping (−) deducted from the cash collected for a COD order: it belongs to the post office
    SHIPPING = "shipping"
    #: cash on delivery (+ goods and shipping), credited when the service point closes the day it was delivered
    COD_COLLECTED = "cod_collected"
    #: weight found at the counter above the declared weight (−), borne by the household
    SURCHARGE = "surcharge"
    #: payment captured in advance (+ goods and shipping), whatever the rail: card, bank transfer or VNPay (the
    #: order's payment method says which, the memo carries the provider's reference); the name is historical
    CARD_CAPTURED = "card_captured"
    #: money given back to the buyer (−)
    REFUND = "refund"
    #: money transferred to the household (−)
    PAYOUT = "payout"


#: the kinds that make up a household's balance (the others trace where the card money is)
HOUSEHOLD_KINDS = (
    LedgerKind.SALE,
    LedgerKind.COD_COLLECTED,
    LedgerKind.SHIPPING,
    LedgerKind.COMMISSION,
    LedgerKind.SURCHARGE,
    LedgerKind.PAYOUT,
)


class LedgerEntry(db.Model):
    """One money movement; rows are never updated or deleted (corrections are new rows)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_household_kind", "household_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[LedgerKind] = mapped_column(Enum(LedgerKind, native_enum=False, length=16))
    #: signed đồng
    amount: Mapped[int] = mapped_column(BigInteger)
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


@db.event.listens_for(LedgerEntry, "before_update")
def _ledger_is_append_only(_mapper, _connection, target: LedgerEntry) -> None:
    raise RuntimeError(f"ledger entry {target.id} is append-only: add a correcting entry instead")


class PayoutBatch(db.Model):
    """A set of transfers to households prepared together by an administrator and then marked paid."""

    __tablename__ = "payout_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    #: set when the last of its transfers was made (each line is paid on its own)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: the bank's reference of the transfer
    reference: Mapped[str] = mapped_column(String(200), default="")

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])
    items: Mapped[list["PayoutItem"]] = relationship(
        back_populates="batch", order_by="PayoutItem.id"
    )

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.items)


class PayoutItem(db.Model):
    __tablename__ = "payout_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "household_id", name="uq_payout_items_household"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("payout_batches.id", ondelete="CASCADE"), index=True
    )
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    #: đồng
    amount: Mapped[int] = mapped_column(BigInteger)
    #: where the money goes, copied from the household's bank account when the batch was made (empty: it had none)
    bank_bin: Mapped[str | None] = mapped_column(String(6))
    account_number: Mapped[str | None] = mapped_column(String(19))
    holder_name: Mapped[str | None] = mapped_column(String(50))
    #: set when this transfer was made; its PAYOUT ledger entry is written then
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: the bank's reference of the transfer
    reference: Mapped[str] = mapped_column(String(200), default="")

    batch: Mapped[PayoutBatch] = relationship(back_populates="items")
    household: Mapped[Household] = relationship()
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])

    @property
    def memo(self) -> str:
        """The transfer memo: ASCII, short, the line's own reference first."""
        return f"CNS CHI TRA {self.batch_id}-{self.id}"
