"""Pickup at the service point: the buyer collects the parcel at the counter instead of a delivery to the door.

The parcel travels to the chosen point like any other; the clerk records "arrived for pickup" (EDH) and the buyer is
told; at the counter the buyer shows the six-digit code (or its QR on the order page) and the clerk hands the parcel
over (EMI, with the cash for a COD order). A parcel not collected within POSTAL_PICKUP_DAYS (7) goes back to the
household (RTS), by the periodic sweep `postal.return_uncollected`.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.jobs.queue import task
from marketplace.postal.desk import _at_destination, _audit
from marketplace.postal.errors import InvalidParcel
from marketplace.postal.models import Parcel, ParcelStatus, TrackingEvent
from marketplace.postal.tracking import ensure_allowed, record_event
from marketplace.timeutil import as_utc, to_local, utcnow
from marketplace.web import vnd

#: pickup costs this share of the tariff less (no round to the door), rounded down to 1.000 ₫
DISCOUNT_PERCENT = 25


def pickup_fee(fee: int) -> int:
    """The fee for collecting at the point instead of a delivery to the door."""
    return max(0, (fee * (100 - DISCOUNT_PERCENT) // 100) // 1000 * 1000)


def keep_days() -> int:
    return int(current_app.config.get("POSTAL_PICKUP_DAYS", 7))


def collect_by(parcel: Parcel):
    """The last local day the parcel waits at the counter (None before it arrived)."""
    if parcel.arrived_for_pickup_at is None:
        return None
    return to_local(as_utc(parcel.arrived_for_pickup_at) + timedelta(days=keep_days())).date()


def arrived(clerk: User, parcel: Parcel) -> TrackingEvent:
    """Record that a pickup parcel is at the counter (EDH; received first when it had not been, EMG); the buyer is
    told where and until when. Raises ParcelNotFound, InvalidParcel (not a pickup parcel) or IllegalTransition."""
    point = _at_destination(clerk, parcel)
    if not parcel.pickup:
        raise InvalidParcel(_l("This parcel is delivered to the door, not collected here."))
    if parcel.status in (ParcelStatus.ACCEPTED, ParcelStatus.IN_TRANSIT):
        record_event(parcel, "EMG", clerk, point)
    ensure_allowed(parcel, "EDH")
    event = record_event(parcel, "EDH", clerk, point)
    parcel.arrived_for_pickup_at = utcnow()
    db.session.flush()
    _audit(clerk, "parcel.pickup_arrived", parcel)
    if parcel.order is not None:
        from marketplace.notifications import services as notify

        with force_locale("vi"):
            detail = str(_l("%(point)s, until %(day)s. Show your pickup code.", point=f"{point.code} · {point.name}",
                            day=f"{collect_by(parcel):%d/%m/%Y}"))
        notify.notice(parcel.order.buyer, parcel.order, "relief_pickup_ready", detail)
    return event


def collect(clerk: User, parcel: Parcel, code: str, cod_collected: int) -> TrackingEvent:
    """Hand a pickup parcel to the person showing its code (EMI), collecting its COD amount.

    Raises ParcelNotFound, InvalidParcel (not waiting for pickup, wrong code, wrong amount) or IllegalTransition."""
    point = _at_destination(clerk, parcel)
    if not parcel.pickup or parcel.arrived_for_pickup_at is None or parcel.status is not ParcelStatus.AT_DELIVERY_POINT:
        raise InvalidParcel(_l("This parcel is not waiting for pickup here."))
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    if not parcel.pickup_code or not hmac.compare_digest(typed, parcel.pickup_code):
        raise InvalidParcel(_l("The pickup code does not match. Ask for the six digits on the buyer's order page."))
    if cod_collected != parcel.cod_amount:
        raise InvalidParcel(_l("The postman must collect exactly %(amount)s.", amount=vnd(parcel.cod_amount)))
    event = record_event(parcel, "EMI", clerk, point, cod_collected=cod_collected)
    parcel.postman_id = clerk.id  # the clerk holds the cash for the day's close, like a postman
    db.session.flush()
    _audit(clerk, "parcel.pickup_collect", parcel, lambda: vnd(cod_collected))
    return event


def uncollected(limit: int = 500) -> list[Parcel]:
    """Pickup parcels past their last day at the counter (by the index on arrived_for_pickup_at)."""
    cutoff = utcnow() - timedelta(days=keep_days())
    return list(db.session.scalars(
        select(Parcel)
        .where(Parcel.arrived_for_pickup_at < cutoff, Parcel.pickup.is_(True),
               Parcel.status == ParcelStatus.AT_DELIVERY_POINT)
        .order_by(Parcel.arrived_for_pickup_at)
        .limit(limit)
    ))


@task("postal.return_uncollected")
def return_uncollected() -> int:
    """The daily sweep: pickup parcels not collected in time start back to their household (RTS; the order is
    returned, a card payment refunded). Idempotent: a parcel already returning is not found again."""
    count = 0
    for parcel in uncollected():
        record_event(parcel, "RTS", None, parcel.destination_point, source="pickup-sweep")
        count += 1
    return count
