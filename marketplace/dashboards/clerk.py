"""The clerk's desk figures per Vietnam day at one service point: parcels accepted (EMA), delivered (EMI), failed
delivery attempts (EMH) and cash on delivery collected at the door, read from the tracking events of that point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from marketplace.dashboards.sqltime import as_date, local_day, local_days, start_of_local_day
from marketplace.extensions import db
from marketplace.postal.models import Parcel, TrackingEvent

PERIODS = (7, 30)
COUNTED = {"EMA": "accepted", "EMI": "delivered", "EMH": "failed"}


@dataclass(frozen=True)
class DeskDay:
    day: date
    accepted: int = 0
    delivered: int = 0
    failed: int = 0
    #: đồng collected at the door
    cod_collected: int = 0


def desk_by_day(point_id: int | None, days: int = 7, today: date | None = None) -> list[DeskDay]:
    """Per Vietnam day over the last `days` days at service point `point_id` (every point when None, for admins):
    events counted by code and the COD of parcels delivered there; one GROUP BY query.
    Raises ValueError for another period."""
    if days not in PERIODS:
        raise ValueError("period must be 7 or 30 days")
    day_list = local_days(days, today)
    since = start_of_local_day(day_list[0])
    day = local_day(TrackingEvent.occurred_at).label("day")
    delivered_cash = func.sum(func.coalesce(Parcel.cod_collected, Parcel.cod_amount))
    stmt = (
        select(day, TrackingEvent.code, func.count(TrackingEvent.id), delivered_cash)
        .join(Parcel, Parcel.id == TrackingEvent.parcel_id)
        .where(TrackingEvent.code.in_(tuple(COUNTED)), TrackingEvent.occurred_at >= since)
        .group_by(day, TrackingEvent.code)
    )
    if point_id is not None:
        stmt = stmt.where(TrackingEvent.point_id == point_id)
    counts: dict[date, dict[str, int]] = {}
    for d, code, n, cash in db.session.execute(stmt):
        bucket = counts.setdefault(as_date(d), {})
        bucket[COUNTED[code]] = int(n)
        if code == "EMI":
            bucket["cod_collected"] = int(cash or 0)
    return [DeskDay(d, **counts.get(d, {})) for d in day_list]
