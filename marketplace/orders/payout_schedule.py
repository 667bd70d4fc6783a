"""When each delivered order's money reaches the household: payable PAYOUT_AFTER_DAYS after delivery (for cash on
delivery, not before the service point has closed the day), then paid by a batch line. Payouts are made per
household, not per order, so they are read first in, first out: the oldest payable money is paid first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select

from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders.models import HOUSEHOLD_KINDS, LedgerEntry, LedgerKind, Order, PayoutItem
from marketplace.orders.payouts import delivered_at, hold
from marketplace.timeutil import as_utc, to_local, utcnow


@dataclass(frozen=True)
class OrderMoney:
    order_id: int
    number: str
    delivered_at: datetime
    #: what the order earned the household (goods − commission − surcharges), once its money landed; 0 before
    net: int
    #: the day it becomes payable (Vietnam date)
    payable_on: date
    #: "waiting_cash" (COD day not closed yet), "not_yet" (before payable_on), "payable", "scheduled" (in a batch
    #: line not yet paid), "paid"
    state: str
    paid_on: date | None = None
    batch_id: int | None = None


def schedule(household: Household, limit: int = 100, now: datetime | None = None) -> list[OrderMoney]:
    """The household's delivered orders, newest first, each with when its money is payable and when it was paid."""
    now = now or utcnow()
    delivered = delivered_at()
    credit = func.coalesce(func.sum(LedgerEntry.amount), 0)
    landed = func.coalesce(func.sum(case((LedgerEntry.amount > 0, 1), else_=0)), 0)
    rows = db.session.execute(
        select(Order.id, delivered.c.at, credit, landed)
        .join(delivered, delivered.c.order_id == Order.id)
        .outerjoin(
            LedgerEntry,
            (LedgerEntry.order_id == Order.id)
            & LedgerEntry.kind.in_([k for k in HOUSEHOLD_KINDS if k is not LedgerKind.PAYOUT]),
        )
        .where(Order.household_id == household.id)
        .group_by(Order.id, delivered.c.at)
        .order_by(delivered.c.at, Order.id)
    ).all()
    lines = db.session.execute(
        select(PayoutItem.amount, PayoutItem.paid_at, PayoutItem.batch_id)
        .where(PayoutItem.household_id == household.id)
        .order_by(PayoutItem.paid_at.is_(None), PayoutItem.paid_at, PayoutItem.id)
    ).all()
    paid = [(int(a), to_local(p).date(), b) for a, p, b in lines if p is not None]
    scheduled = [(int(a), None, b) for a, p, b in lines if p is None]
    out, running = [], 0
    for order_id, at, net, landed in rows:
        at, net = as_utc(at), int(net)
        payable_on = to_local(at + hold()).date()
        state, paid_on, batch_id = "not_yet", None, None
        if not landed:
            state = "waiting_cash"
        else:
            running += net
            cover = _covering(paid, running)
            if cover is not None:
                state, paid_on, batch_id = "paid", cover[1], cover[2]
            else:
                cover = _covering(paid + scheduled, running)
                if cover is not None:
                    state, batch_id = "scheduled", cover[2]
                elif as_utc(at) + hold() <= now:
                    state = "payable"
        out.append(OrderMoney(order_id, f"DH{order_id:06d}", at, net if landed else 0, payable_on, state, paid_on,
                              batch_id))
    out.reverse()
    return out[:limit]


def _covering(lines: list[tuple[int, date | None, int]], amount: int):
    """The first line at which the cumulative payouts reach `amount` (first in, first out), or None."""
    total = 0
    for line in lines:
        total += line[0]
        if total >= amount:
            return line
    return None
