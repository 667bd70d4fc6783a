"""The household dashboard: sales and earnings per Vietnam day, top listings, alerts, orders waiting, balance.

Every figure is aggregated in SQL (GROUP BY); the page costs a fixed number of queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from marketplace.catalog.models import Availability, Listing, ListingStatus
from marketplace.dashboards.sqltime import as_date, local_day, local_days, start_of_local_day
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders import ledger
from marketplace.orders.models import (
    HOUSEHOLD_KINDS,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
)
from marketplace.timeutil import local_today

PERIODS = (30, 90)
LOW_STOCK = 5
PREORDER_SOON_DAYS = 14
#: orders that count as sales: not cancelled or rejected, and not a card order still waiting for its money
NOT_SALES = (OrderStatus.CANCELLED, OrderStatus.REJECTED)
UNPAID = (PaymentStatus.UNPAID, PaymentStatus.EXPIRED, PaymentStatus.FAILED)


@dataclass(frozen=True)
class DayPoint:
    day: date
    sales: int
    earnings: int


@dataclass(frozen=True)
class TopListing:
    listing_id: int
    title: str
    quantity: int
    revenue: int


@dataclass(frozen=True)
class HouseholdDashboard:
    days: int
    series: list[DayPoint]
    top: list[TopListing]
    low_stock: list[Listing]
    preorders_soon: list[Listing]
    waiting: dict[OrderStatus, int]
    balance: ledger.Earnings

    @property
    def sales_total(self) -> int:
        return sum(p.sales for p in self.series)

    @property
    def earnings_total(self) -> int:
        return sum(p.earnings for p in self.series)


def household_dashboard(household: Household, days: int = 30, today: date | None = None) -> HouseholdDashboard:
    """Everything on the household's dashboard for the last `days` Vietnam days (30 or 90), in seven queries.

    Sales are the goods of orders placed that day (not cancelled, rejected or unpaid); earnings are the ledger's
    sales net of commission recorded that day (on delivery). Raises ValueError for another period.
    """
    if days not in PERIODS:
        raise ValueError("period must be 30 or 90 days")
    today = today or local_today()
    day_list = local_days(days, today)
    since = start_of_local_day(day_list[0])
    counts = _sales_by_day(household.id, since)
    earned = _earnings_by_day(household.id, since)
    series = [DayPoint(d, counts.get(d, 0), earned.get(d, 0)) for d in day_list]
    return HouseholdDashboard(
        days=days,
        series=series,
        top=top_listings(household.id, since),
        **_alerts(household.id, today),
        waiting=waiting_orders(household.id),
        balance=ledger.earnings(household),
    )


def _sales_by_day(household_id: int, since) -> dict[date, int]:
    day = local_day(Order.created_at).label("day")
    rows = db.session.execute(
        select(day, func.sum(Order.goods_total))
        .where(
            Order.household_id == household_id,
            Order.created_at >= since,
            Order.status.not_in(NOT_SALES),
            Order.payment_status.not_in(UNPAID),
        )
        .group_by(day)
    ).all()
    return {as_date(d): int(total or 0) for d, total in rows}


#: what a household earns, the day it is credited: card sales at delivery, COD cash when the point closes the day,
#: less commission, shipping kept by the post office and counter surcharges (payouts are not earnings)
EARNING_KINDS = tuple(kind for kind in HOUSEHOLD_KINDS if kind is not LedgerKind.PAYOUT)


def _earnings_by_day(household_id: int, since) -> dict[date, int]:
    day = local_day(LedgerEntry.created_at).label("day")
    rows = db.session.execute(
        select(day, func.sum(LedgerEntry.amount))
        .where(
            LedgerEntry.household_id == household_id,
            LedgerEntry.created_at >= since,
            LedgerEntry.kind.in_(EARNING_KINDS),
        )
        .group_by(day)
    ).all()
    return {as_date(d): int(total or 0) for d, total in rows}


def top_listings(household_id: int, since, limit: int = 5) -> list[TopListing]:
    """The household's best sellers since `since`, by goods sold (from the order lines)."""
    revenue = func.sum(OrderLine.unit_price * OrderLine.quantity).label("revenue")
    rows = db.session.execute(
        select(OrderLine.listing_id, func.max(OrderLine.title), func.sum(OrderLine.quantity), revenue)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.household_id == household_id,
            Order.created_at >= since,
            Order.status.not_in(NOT_SALES),
            Order.payment_status.not_in(UNPAID),
        )
        .group_by(OrderLine.listing_id)
        .order_by(revenue.desc(), OrderLine.listing_id)
        .limit(limit)
    ).all()
    return [TopListing(lid, title, int(qty), int(rev)) for lid, title, qty, rev in rows]


def _alerts(household_id: int, today: date) -> dict[str, list[Listing]]:
    """Low stock (under 5 units or under the minimum order) and pre-orders whose harvest starts within two weeks,
    in one query."""
    low = and_(
        Listing.availability == Availability.IN_STOCK,
        or_(Listing.stock < LOW_STOCK, Listing.stock < Listing.min_order_qty),
    )
    soon = and_(
        Listing.availability == Availability.PREORDER,
        Listing.harvest_start.is_not(None),
        Listing.harvest_start <= today + timedelta(days=PREORDER_SOON_DAYS),
        or_(Listing.harvest_end.is_(None), Listing.harvest_end >= today),
    )
    rows = list(
        db.session.scalars(
            select(Listing)
            .where(Listing.household_id == household_id, Listing.status == ListingStatus.ACTIVE, or_(low, soon))
            .order_by(Listing.stock, Listing.id)
        )
    )
    return {
        "low_stock": [r for r in rows if r.availability is Availability.IN_STOCK],
        "preorders_soon": sorted(
            (r for r in rows if r.availability is Availability.PREORDER), key=lambda r: (r.harvest_start, r.id)
        ),
    }


def waiting_orders(household_id: int) -> dict[OrderStatus, int]:
    """Orders waiting for the household: placed (to confirm) and confirmed (to prepare), counted in one query."""
    rows = db.session.execute(
        select(Order.status, func.count(Order.id))
        .where(
            Order.household_id == household_id,
            Order.status.in_((OrderStatus.PLACED, OrderStatus.CONFIRMED)),
            Order.payment_status.not_in(UNPAID),
        )
        .group_by(Order.status)
    ).all()
    out = {OrderStatus.PLACED: 0, OrderStatus.CONFIRMED: 0}
    out.update({status: int(n) for status, n in rows})
    return out
