"""The clerk's desk figures per Vietnam day: parcels accepted, delivered, failed and cash on delivery collected.

Built over what orders record (order events and the ledger), for the whole network: per service point figures
need the postal service points and parcels, which come with the postal feature (then filter by the point here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from marketplace.dashboards.sqltime import as_date, local_day, local_days, start_of_local_day
from marketplace.extensions import db
from marketplace.orders.models import LedgerEntry, LedgerKind, OrderEvent, OrderStatus

PERIODS = (7, 30)
COUNTED = {
    OrderStatus.HANDED_OVER: "accepted",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.DELIVERY_FAILED: "failed",
}


@dataclass(frozen=True)
class DeskDay:
    day: date
    accepted: int = 0
    delivered: int = 0
    failed: int = 0
    #: đồng collected at the door
    cod_collected: int = 0


def desk_by_day(days: int = 7, today: date | None = None) -> list[DeskDay]:
    """Per Vietnam day over the last `days` days: orders handed to the post office (accepted), delivered, failed
    delivery attempts, and cash on delivery collected; two GROUP BY queries. Raises ValueError for another period."""
    if days not in PERIODS:
        raise ValueError("period must be 7 or 30 days")
    day_list = local_days(days, today)
    since = start_of_local_day(day_list[0])
    day = local_day(OrderEvent.created_at).label("day")
    counts: dict[date, dict[str, int]] = {}
    for d, status, n in db.session.execute(
        select(day, OrderEvent.to_status, func.count(OrderEvent.id))
        .where(OrderEvent.to_status.in_(tuple(COUNTED)), OrderEvent.created_at >= since)
        .group_by(day, OrderEvent.to_status)
    ):
        counts.setdefault(as_date(d), {})[COUNTED[status]] = int(n)
    cash_day = local_day(LedgerEntry.created_at).label("day")
    cash = {
        as_date(d): int(total or 0)
        for d, total in db.session.execute(
            select(cash_day, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.kind == LedgerKind.COD_COLLECTED, LedgerEntry.created_at >= since)
            .group_by(cash_day)
        )
    }
    return [DeskDay(d, **counts.get(d, {}), cod_collected=cash.get(d, 0)) for d in day_list]
