"""Disaster mode at the checkout: the one door `orders.checkout` calls (prices, rules, rescue orders), and what the
order summary shows (warnings, longer estimates)."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.postal.models import ServicePoint
from marketplace.relief import rules
from marketplace.relief.errors import DeliveryRestricted
from marketplace.relief.models import CampaignStatus, RescueDrive, RescueHousehold, RescueOrder


def rescue_drives_of(household_ids: set[int]) -> dict[int, RescueDrive]:
    """household id → the open rescue drive featuring it (one query)."""
    if not household_ids:
        return {}
    rows = db.session.execute(
        select(RescueHousehold.household_id, RescueDrive)
        .join(RescueDrive, RescueDrive.id == RescueHousehold.drive_id)
        .where(RescueHousehold.household_id.in_(household_ids), RescueDrive.status == CampaignStatus.OPEN)
        .order_by(RescueDrive.id)
    ).all()
    return {household_id: drive for household_id, drive in rows}


def band_fee(drive: RescueDrive, grams: int) -> int | None:
    """The drive's flat fee for a parcel of this weight (None above its heaviest band)."""
    return next((band.fee for band in drive.bands if grams <= band.max_grams), None)


def adjust(quotes: list, pickup: bool) -> list:
    """The quotes with the delivery terms applied: a household featured by an open rescue drive ships at the drive's
    flat fee for the parcel's weight band; collecting at a post office costs less (`postal.pickup.pickup_fee`)."""
    from marketplace.postal.pickup import pickup_fee

    drives = rescue_drives_of({q.group.household.id for q in quotes})
    out = []
    for q in quotes:
        fee = q.quote.fee
        drive = drives.get(q.group.household.id)
        flat = band_fee(drive, q.group.weight_grams) if drive is not None else None
        if flat is not None:
            fee = min(fee, flat)
        if pickup:
            fee = pickup_fee(fee)
        if drive is not None:
            q = replace(q, rescue_drive_id=drive.id)
        out.append(replace(q, quote=replace(q.quote, fee=fee)) if fee != q.quote.fee else q)
    return out


def enforce(review, ward: Ward, pickup_point_id: int | None) -> None:
    """Raise DeliveryRestricted when an active event blocks a group of the cart (or its non-priority goods), or the
    chosen pickup point is not open."""
    if pickup_point_id is not None:
        point = db.session.get(ServicePoint, pickup_point_id)
        if point is None or not point.is_open:
            raise DeliveryRestricted(problems=_l("the post office you chose for pickup is not open now."))
    rules.enforce(review, ward)


def after_place(placed) -> None:
    """Tag the orders of households featured by an open rescue drive (gathered for its collection day): `placed`
    pairs each new order with the shipping `adjust` priced it at, which names the drive."""
    tagged = [RescueOrder(order_id=order.id, drive_id=q.rescue_drive_id) for order, q in placed if q.rescue_drive_id]
    if tagged:
        db.session.add_all(tagged)
        db.session.flush()


def summary(review, ward_code: int | None, quotes) -> list[rules.Verdict] | None:
    """The verdict of each household group to this ward, for the order summary (None before a ward is chosen)."""
    ward = db.session.get(Ward, ward_code) if ward_code else None
    if ward is None or not review.groups:
        return None
    return rules.verdicts_for_review(review, ward, quotes)
