"""The append-only money ledger: one row per money movement, never edited in place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders.models import LedgerEntry, LedgerKind, Order, OrderStatus, PaymentStatus
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
    """The sale becomes final: goods (+), commission (−), shipping, and for COD the cash collected."""
    record(order, LedgerKind.SALE, order.goods_total, order.number)
    if order.commission:
        record(order, LedgerKind.COMMISSION, -order.commission, order.number)
    record(order, LedgerKind.SHIPPING, order.shipping_fee, order.number)
    if order.payment_status is PaymentStatus.COD_COLLECTED:
        record(order, LedgerKind.COD_COLLECTED, order.total, order.number)


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
    earned = int(sums.get(LedgerKind.SALE, 0)) + int(sums.get(LedgerKind.COMMISSION, 0))
    paid_out = -int(sums.get(LedgerKind.PAYOUT, 0))
    open_statuses = [s for s in OrderStatus if s not in FINAL]
    pending = db.session.scalar(
        select(func.coalesce(func.sum(Order.goods_total - Order.commission), 0)).where(
            Order.household_id == household.id,
            Order.status.in_(open_statuses),
            Order.payment_status.in_([PaymentStatus.PAID, PaymentStatus.COD_PENDING]),
        )
    )
    return Earnings(earned=earned, pending=int(pending or 0), paid_out=paid_out)


def entries(household: Household, limit: int = 100) -> list[LedgerEntry]:
    return list(
        db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.household_id == household.id)
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
        )
    )
