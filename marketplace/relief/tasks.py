"""Background tasks of disaster mode."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.jobs.queue import task


@task("relief.notify_event")
def notify_event(event_id: int) -> int:
    """Tell every household of an event's wards about it, once each (a retried or repeated job tells nobody twice).
    Returns how many were told."""
    from marketplace.households.models import Household
    from marketplace.notifications import services as notify
    from marketplace.notifications.models import Notification
    from marketplace.relief.models import DisasterEvent, DisasterEventWard

    event = db.session.get(DisasterEvent, event_id)
    if event is None or event.closed_at is not None:
        return 0
    detail = f"{event.title} (#{event.id})"[:300]
    already = select(Notification.user_id).where(Notification.kind == "relief_event", Notification.detail == detail)
    households = db.session.scalars(
        select(Household)
        .join(DisasterEventWard, DisasterEventWard.ward_code == Household.ward_code)
        .where(DisasterEventWard.event_id == event.id, Household.user_id.notin_(already))
    )
    told = 0
    for household in households:
        notify.notice(household.user, None, "relief_event", detail)
        told += 1
    return told
