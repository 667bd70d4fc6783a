"""Produce rescue drives: households of an affected or cut-off area featured, a flat delivery fee per weight band
(applied at the checkout by `relief.terms`), pre-orders gathered for one collection day, harvest-to-door time."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders.models import Order, OrderEvent, OrderStatus
from marketplace.relief.campaigns import slugify
from marketplace.relief.errors import InvalidCampaign, NotAllowed
from marketplace.relief.models import CampaignStatus, RescueDrive, RescueFeeBand, RescueHousehold, RescueOrder
from marketplace.staff import audit
from marketplace.timeutil import VN_TZ, as_utc, utcnow


def create(admin: User, title: str, collection_day: date, household_ids: list[int], bands: list[tuple[int, int]],
           event_id: int | None = None, description: str = "") -> RescueDrive:
    """An open drive featuring these households with flat fees per weight band ((max grams, fee), up to 30 kg).
    Raises NotAllowed or InvalidCampaign."""
    if admin is None or admin.role is not Role.ADMIN:
        raise NotAllowed()
    if not title.strip() or not household_ids:
        raise InvalidCampaign(_l("Give the drive a title and at least one household."))
    if not bands or any(not 0 < g <= 30_000 or not 0 <= f <= 1_000_000 for g, f in bands):
        raise InvalidCampaign(_l("Give weight bands up to 30 kg with their flat fees."))
    households = list(db.session.scalars(select(Household).where(Household.id.in_(household_ids))))
    if len(households) != len(set(household_ids)):
        raise InvalidCampaign(_l("Unknown household."))
    slug, n = slugify(title), 1
    while db.session.scalar(select(RescueDrive.id).where(RescueDrive.slug == slug)) is not None:
        n += 1
        slug = f"{slugify(title)}-{n}"
    drive = RescueDrive(slug=slug, title=title.strip(), description=description.strip(), event_id=event_id,
                        collection_day=collection_day, status=CampaignStatus.OPEN, created_by_id=admin.id,
                        created_at=utcnow())
    drive.households = [RescueHousehold(household_id=h.id) for h in households]
    drive.bands = [RescueFeeBand(max_grams=g, fee=f) for g, f in sorted(set(bands))]
    db.session.add(drive)
    db.session.flush()
    audit.record(admin, "relief.rescue_edit", "rescue_drive", drive.id,
                 f"+ {drive.title} · {len(households)} hộ · {collection_day:%d/%m/%Y}")
    return drive


def close(admin: User, drive: RescueDrive) -> None:
    if admin is None or admin.role is not Role.ADMIN:
        raise NotAllowed()
    drive.status = CampaignStatus.CLOSED
    db.session.flush()
    audit.record(admin, "relief.rescue_edit", "rescue_drive", drive.id, "closed")


def listings(drive: RescueDrive) -> list[Listing]:
    ids = [h.household_id for h in drive.households]
    return list(db.session.scalars(select(Listing).where(Listing.household_id.in_(ids),
                                                         Listing.status == ListingStatus.ACTIVE)
                                   .order_by(Listing.household_id, Listing.title)))


def preorders_by_household(drive: RescueDrive) -> dict[int, int]:
    """household id → orders of the drive waiting for the collection day (placed, confirmed, ready)."""
    rows = db.session.execute(
        select(Order.household_id, func.count(Order.id))
        .join(RescueOrder, RescueOrder.order_id == Order.id)
        .where(RescueOrder.drive_id == drive.id,
               Order.status.in_((OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.READY_FOR_HANDOVER)))
        .group_by(Order.household_id))
    return dict(rows.all())


def harvest_to_door_hours(drive: RescueDrive) -> float | None:
    """Median hours from the collection day's morning (7:00, the harvest handed in) to the delivery of the drive's
    delivered orders; None before any is delivered."""
    start = datetime.combine(drive.collection_day, time(7), tzinfo=VN_TZ)
    delivered = db.session.scalars(
        select(OrderEvent.created_at).join(RescueOrder, RescueOrder.order_id == OrderEvent.order_id)
        .where(RescueOrder.drive_id == drive.id, OrderEvent.to_status == OrderStatus.DELIVERED).limit(2000)
    ).all()
    hours = [max(0.0, (as_utc(t) - start).total_seconds() / 3600) for t in delivered]
    return round(statistics.median(hours), 1) if hours else None


def by_slug(slug: str) -> RescueDrive | None:
    return db.session.scalar(select(RescueDrive).where(RescueDrive.slug == slug))


def all_drives() -> list[RescueDrive]:
    return list(db.session.scalars(select(RescueDrive).order_by(RescueDrive.id.desc())))
