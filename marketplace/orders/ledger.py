"""The append-only money ledger: one row per money movement, never edited in place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders.models import (
    HOUSEHOLD_KINDS,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
)
from marketplace.orders.states import FINAL


def record(
    order: Order | None, kind: LedgerKind, amount: int, memo: str = "", household_id: int | None = None
) -> LedgerEntry:
    """Append one entry (flushes). Amounts are signed đồng."""
    entry = LedgerEntry(
        household_id=household_id or order.household_id,
        order_id=order.id if order else None,
        kind=kind,
        amount=int(amount),
        memo=memo,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def record_delivery(order: Order) -> None:
    """A card-paid order reached the buyer: the sale becomes final, goods (+) and commission (−).

    A COD order writes nothing here: the cash is still in the postman's pocket. Its money lands when the service
    point closes the day (`record_cod_settlement`), so that what the household is owed is cash the post office holds.
    """
    if order.payment_method is PaymentMethod.COD:
        return
    record(order, LedgerKind.SALE, order.goods_total, order.number)
    if order.commission:
        record(order, LedgerKind.COMMISSION, -order.commission, order.number)


def record_cod_settlement(order: Order, collected: int, memo: str = "") -> None:
    """The cash of a delivered COD order was handed in at the end of the day: COD collected (+ goods and shipping),
    shipping (−, the post office's), commission (−); what remains (goods − commission) is payable to the household.

    Raises ValueError when the order is not a delivered COD order or was already settled.
    """
    if order.payment_method is not PaymentMethod.COD or order.status is not OrderStatus.DELIVERED:
        raise ValueError(f"order {order.id} is not a delivered COD order")
    already = db.session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .where(LedgerEntry.order_id == order.id, LedgerEntry.kind == LedgerKind.COD_COLLECTED)
    )
    if already:
        raise ValueError(f"order {order.id} was already settled")
    memo = memo or order.number
    record(order, LedgerKind.COD_COLLECTED, collected, memo)
    record(order, LedgerKind.SHIPPING, -order.shipping_fee, memo)
    if order.commission:
        record(order, LedgerKind.COMMISSION, -order.commission, memo)


def record_surcharge(order: Order, amount: int, reason: str) -> LedgerEntry | None:
    """Weight above the declared weight found at the counter: the household bears it (−); the buyer pays only
    what checkout showed. Nothing is written for 0."""
    if amount <= 0:
        return None
    return record(order, LedgerKind.SURCHARGE, -amount, f"{order.number} · {reason}"[:200])


def record_payout(household: Household, amount: int, memo: str = "") -> LedgerEntry:
    """Money transferred to the household. Raises ValueError for a non-positive amount."""
    if amount <= 0:
        raise ValueError("payout must be positive")
    return record(None, LedgerKind.PAYOUT, -amount, memo, household_id=household.id)


@dataclass(frozen=True)
class Earnings:
    #: sales net of commission on delivered orders
    earned: int
    #: net of orders still on their way (for COD: cash not yet collected)
    pending: int
    paid_out: int

    @property
    def balance(self) -> int:
        return self.earned - self.paid_out


def earnings(household: Household) -> Earnings:
    """What the household has earned, what is pending and what has been paid out."""
    sums = dict(
        db.session.execute(
            select(LedgerEntry.kind, func.coalesce(func.sum(LedgerEntry.amount), 0))
            .where(LedgerEntry.household_id == household.id)
            .group_by(LedgerEntry.kind)
        ).all()
    )
    earned = sum(int(sums.get(kind, 0)) for kind in HOUSEHOLD_KINDS if kind is not LedgerKind.PAYOUT)
    paid_out = -int(sums.get(LedgerKind.PAYOUT, 0))
    open_statuses = [s for s in OrderStatus if s not in FINAL]
    net = func.coalesce(func.sum(Order.goods_total - Order.commission), 0)
    pending = db.session.scalar(
        select(net).where(
            Order.household_id == household.id,
            Order.status.in_(open_statuses),
            Order.payment_status.in_([PaymentStatus.PAID, PaymentStatus.COD_PENDING]),
        )
    )
    settled = select(LedgerEntry.id).where(
        LedgerEntry.order_id == Order.id, LedgerEntry.kind == LedgerKind.COD_COLLECTED
    )
    # delivered, cash collected, day not yet closed at the service point
    unsettled = db.session.scalar(
        select(net).where(
            Order.household_id == household.id,
            Order.status == OrderStatus.DELIVERED,
            Order.payment_method == PaymentMethod.COD,
            ~settled.exists(),
        )
    )
    return Earnings(earned=earned, pending=int(pending or 0) + int(unsettled or 0), paid_out=paid_out)


def entries(household: Household, limit: int = 100) -> list[LedgerEntry]:
    return list(
        db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.household_id == household.id)
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
        )
    )
