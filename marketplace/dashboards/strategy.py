"""The operator's strategy dashboard: households onboarded, verified and selling per province against targets,
wards covered, orders and kilograms delivered, on-time delivery and the share of cash on delivery.

A fixed number of GROUP BY queries, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.dashboards.errors import InvalidTarget
from marketplace.dashboards.models import ProvinceTarget
from marketplace.dashboards.sqltime import as_date, days_between, local_day, local_days, start_of_local_day
from marketplace.extensions import db
from marketplace.geo.models import Province, Ward
from marketplace.households.models import Household, HouseholdStatus
from marketplace.orders.models import Order, OrderEvent, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.postal.models import Service
from marketplace.timeutil import utcnow

PERIODS = (30, 90, 365)
#: an order is on time when delivered within this many days (24-hour periods) of being placed ...
ON_TIME_DAYS = 3
#: ... or this many for perishable produce (sent express because a line keeps 7 days or less)
ON_TIME_DAYS_PERISHABLE = 2
NOT_PAID = (PaymentStatus.UNPAID, PaymentStatus.EXPIRED, PaymentStatus.FAILED)


@dataclass(frozen=True)
class ProvinceRow:
    code: int
    name: str
    onboarded: int
    verified: int
    selling: int
    target: int | None

    @property
    def target_share(self) -> float | None:
        """Selling households as a share of the target (None without a target)."""
        return self.selling / self.target if self.target else None


@dataclass(frozen=True)
class WardCoverage:
    selling_wards: int
    total_wards: int

    @property
    def share(self) -> float:
        return self.selling_wards / self.total_wards if self.total_wards else 0.0


@dataclass(frozen=True)
class Deliveries:
    orders: int
    grams: int
    on_time: int
    orders_placed: int
    cod_orders: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.orders if self.orders else None

    @property
    def cod_share(self) -> float | None:
        return self.cod_orders / self.orders_placed if self.orders_placed else None


@dataclass(frozen=True)
class DeliveryDay:
    day: date
    orders: int
    grams: int


def _sells():
    """The household (outer query) has at least one active listing: a correlated EXISTS on the household_id index."""
    return (
        select(Listing.id).where(Listing.household_id == Household.id, Listing.status == ListingStatus.ACTIVE).exists()
    )


def province_rows() -> list[ProvinceRow]:
    """All 34 provinces with households onboarded, verified and selling, and the operator's target, ranked by
    selling households (one query)."""
    verified = Household.status == HouseholdStatus.VERIFIED
    rows = db.session.execute(
        select(
            Province.code,
            Province.name,
            func.count(Household.id),
            func.coalesce(func.sum(case((verified, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(verified, _sells()), 1), else_=0)), 0),
            ProvinceTarget.selling_households,
        )
        .select_from(Province)
        .outerjoin(Household, Household.province_code == Province.code)
        .outerjoin(ProvinceTarget, ProvinceTarget.province_code == Province.code)
        .group_by(Province.code, Province.name, ProvinceTarget.selling_households)
    ).all()
    out = [
        ProvinceRow(code, name.removeprefix("Thành phố ").removeprefix("Tỉnh "), int(o), int(v), int(s), t)
        for code, name, o, v, s, t in rows
    ]
    return sorted(out, key=lambda r: (-r.selling, -r.verified, -r.onboarded, r.code))


def ward_coverage() -> WardCoverage:
    """Wards with at least one selling household, out of all wards (3,321 since July 2025), in one query."""
    covered = (
        select(func.count(func.distinct(Household.ward_code)))
        .where(Household.status == HouseholdStatus.VERIFIED, _sells())
        .scalar_subquery()
    )
    total = select(func.count(Ward.code)).scalar_subquery()
    n, all_wards = db.session.execute(select(covered, total)).one()
    return WardCoverage(int(n or 0), int(all_wards or 0))


def deliveries(days: int = 30, today: date | None = None) -> Deliveries:
    """Orders and grams delivered in the last `days` Vietnam days, how many on time, and the share of cash on
    delivery among orders placed (and not left unpaid) in the same days; two queries."""
    since = start_of_local_day(local_days(days, today)[0])
    elapsed = days_between(Order.created_at, OrderEvent.created_at)
    express = Order.shipping_service == Service.EXPRESS
    on_time = or_(and_(express, elapsed <= ON_TIME_DAYS_PERISHABLE), and_(~express, elapsed <= ON_TIME_DAYS))
    n, grams, in_time = db.session.execute(
        select(
            func.count(Order.id),
            func.coalesce(func.sum(Order.weight_grams), 0),
            func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
        )
        .join(OrderEvent, and_(OrderEvent.order_id == Order.id, OrderEvent.to_status == OrderStatus.DELIVERED))
        .where(Order.status == OrderStatus.DELIVERED, OrderEvent.created_at >= since)
    ).one()
    placed, cod = db.session.execute(
        select(
            func.count(Order.id),
            func.coalesce(func.sum(case((Order.payment_method == PaymentMethod.COD, 1), else_=0)), 0),
        ).where(Order.created_at >= since, Order.payment_status.not_in(NOT_PAID))
    ).one()
    return Deliveries(int(n), int(grams), int(in_time), int(placed), int(cod))


def deliveries_by_day(days: int = 30, today: date | None = None) -> list[DeliveryDay]:
    """Orders and grams delivered per Vietnam day (day of the delivery event), zeros filled in; one query."""
    day_list = local_days(days, today)
    day = local_day(OrderEvent.created_at).label("day")
    rows = db.session.execute(
        select(day, func.count(Order.id), func.coalesce(func.sum(Order.weight_grams), 0))
        .join(OrderEvent, and_(OrderEvent.order_id == Order.id, OrderEvent.to_status == OrderStatus.DELIVERED))
        .where(Order.status == OrderStatus.DELIVERED, OrderEvent.created_at >= start_of_local_day(day_list[0]))
        .group_by(day)
    ).all()
    found = {as_date(d): (int(n), int(g)) for d, n, g in rows}
    return [DeliveryDay(d, *found.get(d, (0, 0))) for d in day_list]


def active_service_points() -> int:
    """Service points open for business (`active`)."""
    from marketplace.postal.models import ServicePoint

    return int(db.session.scalar(select(func.count(ServicePoint.id)).where(ServicePoint.active.is_(True))) or 0)


def set_target(admin: User, province_code: int, selling_households: int) -> ProvinceTarget:
    """Set the target of selling households for a province (replaces the previous one).

    Raises InvalidTarget for a non-admin, an unknown province or a negative or absurd number.
    """
    if admin.role is not Role.ADMIN:
        raise InvalidTarget()
    if db.session.get(Province, province_code) is None:
        raise InvalidTarget()
    if not isinstance(selling_households, int) or not 0 <= selling_households <= 10_000_000:
        raise InvalidTarget()
    target = db.session.get(ProvinceTarget, province_code)
    if target is None:
        target = ProvinceTarget(province_code=province_code, selling_households=selling_households)
        db.session.add(target)
    target.selling_households = selling_households
    target.updated_by_id = admin.id
    target.updated_at = utcnow()
    db.session.flush()
    return target


def period_or_default(value: str | None, default: int = 30) -> int:
    return int(value) if value and value.isdigit() and int(value) in PERIODS else default
