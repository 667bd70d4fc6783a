"""End-of-day COD reconciliation at a service point.

For each postman, the cash the system expects is the COD collected on the parcels he delivered that local day
(Asia/Ho_Chi_Minh); the clerk types what he handed in. Closing the day stores one record per point and day (who
closed it, each postman's expected / reported / difference) and moves each delivered COD order's money into the
household ledger (`orders.ledger.record_cod_settlement`): the household is owed what its buyers paid whatever a
postman handed in — a shortage is the post office's, flagged on the record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.postal.desk import desk_point
from marketplace.postal.errors import InvalidParcel, PostalError
from marketplace.postal.models import (
    CodReconciliation,
    CodReconciliationLine,
    Parcel,
    ParcelStatus,
    ServicePoint,
    TrackingEvent,
)
from marketplace.staff import audit
from marketplace.timeutil import VN_TZ, local_today, utcnow
from marketplace.web import vnd


class AlreadyClosed(PostalError):
    """The day was closed before at this point (a day closes once)."""


@dataclass
class PostmanDay:
    """The cash one carrier owes the point for a day: one of its postmen, or a partner network whose couriers
    delivered parcels of the point (their events came through the tracking API, with no postman of ours)."""

    postman: User | None
    #: the partner network's name (its API token) when `postman` is None
    carrier: str = ""
    parcels: list[Parcel] = field(default_factory=list)
    #: the parcels among them delivered on an earlier day that had already been closed (recorded late)
    late: list[Parcel] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(p.cod_collected or 0 for p in self.parcels)

    @property
    def key(self) -> int | str:
        """The carrier's key in the close-day form and in `close_day`'s `reported`: the postman's id, or
        `net-<n>` for a partner network."""
        if self.postman is not None:
            return self.postman.id
        return "net-" + hashlib.sha1(self.carrier.encode()).hexdigest()[:10]

    @property
    def name(self) -> str:
        return self.postman.name if self.postman is not None else self.carrier


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which a local (Asia/Ho_Chi_Minh) day starts and ends."""
    start = datetime.combine(day, time(0), tzinfo=VN_TZ)
    return start, start + timedelta(days=1)


def closed_day(point: ServicePoint, day: date) -> CodReconciliation | None:
    return db.session.scalar(
        select(CodReconciliation).where(CodReconciliation.point_id == point.id, CodReconciliation.day == day)
    )


def expected_by_postman(point: ServicePoint, day: date) -> list[PostmanDay]:
    """Parcels delivered by the point on `day` and not yet reconciled, grouped by who carried the cash (the parcel's
    postman, or the clerk who recorded a delivery at the counter), by name. A delivery recorded after its own day was
    closed (a late event from the network, a forgotten round) is settled with the next day closed after it."""
    start, end = day_bounds(day)
    closed_before = set(
        db.session.scalars(
            select(CodReconciliation.day).where(CodReconciliation.point_id == point.id, CodReconciliation.day < day)
        )
    )
    rows = db.session.execute(
        select(Parcel, TrackingEvent)
        .join(TrackingEvent, TrackingEvent.parcel_id == Parcel.id)
        .where(
            Parcel.destination_point_id == point.id,
            Parcel.status == ParcelStatus.DELIVERED,
            Parcel.reconciliation_id.is_(None),
            TrackingEvent.code == "EMI",
            TrackingEvent.applied.is_(True),
            TrackingEvent.occurred_at < end,
        )
        .order_by(Parcel.id)
    ).all()
    days: dict[int | str, PostmanDay] = {}
    for parcel, event in rows:
        occurred = event.occurred_at if event.occurred_at.tzinfo else event.occurred_at.replace(tzinfo=timezone.utc)
        late = occurred < start
        if late and occurred.astimezone(VN_TZ).date() not in closed_before:
            continue  # its own day is still open: it is settled when that day closes
        carrier_id = parcel.postman_id or event.actor_id
        if carrier_id is not None:
            day_of = PostmanDay(postman=db.session.get(User, carrier_id))
        else:  # delivered through the partner network's API: its couriers hand the cash in
            day_of = PostmanDay(postman=None, carrier=event.source)
        day_of = days.setdefault(day_of.key, day_of)
        if parcel not in day_of.parcels:
            day_of.parcels.append(parcel)
            if late:
                day_of.late.append(parcel)
    return sorted(days.values(), key=lambda d: (d.postman is None, d.name, str(d.key)))


def close_day(clerk: User, day: date, reported: dict[int | str, int]) -> CodReconciliation:
    """Close `day` at the clerk's point with the cash each carrier handed in (`reported`: `PostmanDay.key` → đồng):
    store the record and its lines, mark the parcels reconciled and credit each delivered COD order to its household.

    Raises NotAllowed (not a clerk of a point), InvalidParcel (a future day, a missing or negative amount) or
    AlreadyClosed (the day was closed before, also when two clerks close it at once).
    """
    from marketplace.orders import ledger
    from marketplace.locks import begin_write
    from marketplace.orders.models import OrderStatus, PaymentMethod

    point = desk_point(clerk)
    begin_write()  # SQLite: take the write lock before reading, so two clerks closing at once queue
    if day > local_today():
        raise InvalidParcel(_l("A day can be closed only once it has started."))
    if closed_day(point, day) is not None:
        raise AlreadyClosed(_l("This day is already closed at your post office."))
    postmen = expected_by_postman(point, day)
    for pd in postmen:
        amount = reported.get(pd.key)
        if amount is None or amount < 0:
            raise InvalidParcel(_l("Enter the cash %(name)s handed in (0 if none).", name=pd.name))
    record = CodReconciliation(
        point_id=point.id,
        day=day,
        expected=sum(pd.expected for pd in postmen),
        reported=sum(reported[pd.key] for pd in postmen),
        closed_by_id=clerk.id,
        closed_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(record)
            db.session.flush()
    except IntegrityError:
        raise AlreadyClosed(_l("This day is already closed at your post office.")) from None
    for pd in postmen:
        db.session.add(
            CodReconciliationLine(
                reconciliation_id=record.id,
                postman_id=pd.postman.id if pd.postman is not None else None,
                carrier=pd.carrier,
                parcels=len(pd.parcels),
                expected=pd.expected,
                reported=reported[pd.key],
            )
        )
        for parcel in pd.parcels:
            parcel.reconciliation_id = record.id
            order = parcel.order
            if (
                order is not None
                and order.payment_method is PaymentMethod.COD
                and order.status is OrderStatus.DELIVERED
                and parcel.cod_collected
            ):
                ledger.record_cod_settlement(order, parcel.cod_collected, f"{order.number} · {point.code} {day}")
    db.session.flush()
    audit.record(
        clerk, "day.close", "reconciliation", record.id,
        lambda: f"{point.code} {day}: {vnd(record.expected)} / {vnd(record.reported)}",
    )
    return record


def history(point: ServicePoint, limit: int = 30) -> list[CodReconciliation]:
    return list(
        db.session.scalars(
            select(CodReconciliation)
            .where(CodReconciliation.point_id == point.id)
            .order_by(CodReconciliation.day.desc())
            .limit(limit)
        )
    )
