"""Service points closed or moved during an event: parcels on their way to one go to its alternate, households it
serves hand in at the alternate, and everybody concerned is told."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.notifications import services as notify
from marketplace.postal.models import Parcel, ParcelStatus, PointStatus, ServicePoint
from marketplace.postal.points import refresh_serving_points
from marketplace.relief.errors import InvalidPointStatus, NotAllowed
from marketplace.staff import audit
from marketplace.timeutil import utcnow

S = ParcelStatus
#: parcels not yet at their delivery point: their destination can still change
NOT_ARRIVED = (S.CREATED, S.ACCEPTED, S.IN_TRANSIT)

STATUS_LABELS = {
    PointStatus.OPEN: _l("Open"),
    PointStatus.CLOSED: _l("Closed"),
    PointStatus.MOVED: _l("Moved for now"),
}


def set_status(admin: User, point: ServicePoint, status: PointStatus, alternate: ServicePoint | None,
               note: str = "") -> dict[str, int]:
    """Open, close or move a point. Closed or moved, it needs an open alternate: parcels on their way to it (not yet
    arrived) and parcels still to be handed in there are sent to the alternate, the households it served hand in at
    the nearest open point, and buyers and households are told. Reopened, households come back to it (parcels
    already sent to the alternate stay there). Audited.

    Returns counts {"parcels": …, "households": …}. Raises NotAllowed or InvalidPointStatus."""
    if admin is None or admin.role is not Role.ADMIN:
        raise NotAllowed()
    if status is not PointStatus.OPEN:
        if alternate is None or alternate.id == point.id:
            raise InvalidPointStatus(_l("Choose the open post office that takes over its parcels."))
        if not alternate.is_open:
            raise InvalidPointStatus(_l("%(point)s is not open: choose an open post office.", point=alternate.code))
    before = point.status
    served = list(db.session.scalars(select(Household).where(Household.service_point_id == point.id)))
    point.status = status
    point.alternate_point_id = alternate.id if status is not PointStatus.OPEN else None
    point.status_note = (note or "").strip()[:300]
    point.status_changed_at = utcnow()
    db.session.flush()
    moved_parcels: list[Parcel] = []
    if status is not PointStatus.OPEN:
        moved_parcels = list(db.session.scalars(
            select(Parcel).where(Parcel.destination_point_id == point.id, Parcel.status.in_(NOT_ARRIVED))
        ))
        for parcel in moved_parcels:
            parcel.destination_point_id = alternate.id
        db.session.execute(
            update(Parcel)
            .where(Parcel.origin_point_id == point.id, Parcel.status == S.CREATED)
            .values(origin_point_id=alternate.id)
            .execution_options(synchronize_session="fetch")
        )
    refresh_serving_points(point.province_code)
    if alternate is not None and alternate.province_code != point.province_code:
        refresh_serving_points(alternate.province_code)
    db.session.flush()
    with force_locale("vi"):
        detail = _detail(point, alternate, status)
    kind = "relief_point_reopened" if status is PointStatus.OPEN else "relief_point_closed"
    for household in served:
        notify.notice(household.user, None, kind, detail)
    for parcel in moved_parcels:
        if parcel.order is not None:
            notify.notice(parcel.order.buyer, parcel.order, "relief_parcel_rerouted", detail)
    audit.record(admin, "relief.point_status", "service_point", point.id,
                 lambda: f"{point.code}: {before.value} → {status.value}"
                 + (f" → {alternate.code}" if alternate is not None and status is not PointStatus.OPEN else "")
                 + f" · {len(moved_parcels)} bưu gửi · {len(served)} hộ" + (f" · {point.status_note}" if note else ""))
    return {"parcels": len(moved_parcels), "households": len(served)}


def _detail(point: ServicePoint, alternate: ServicePoint | None, status: PointStatus) -> str:
    if status is PointStatus.OPEN:
        return f"{point.code} · {point.name}"
    return str(_l("%(point)s is %(status)s; use %(alternate)s instead.", point=f"{point.code} · {point.name}",
                  status=str(STATUS_LABELS[status]).lower(), alternate=f"{alternate.code} · {alternate.name}")) + (
        f" ({point.status_note})" if point.status_note else "")


def not_open() -> list[ServicePoint]:
    """Points closed or moved now, with their alternates (the public status page)."""
    return list(db.session.scalars(
        select(ServicePoint).where(ServicePoint.status != PointStatus.OPEN).order_by(ServicePoint.code)
    ))


def open_points_near(ward_code: int, limit: int = 8) -> list[ServicePoint]:
    """Open points of the ward's province, the ward's own first (for the reroute and pickup choices)."""
    from marketplace.geo.models import Ward
    from marketplace.postal.geodata import haversine_m, ward_position

    ward = db.session.get(Ward, ward_code)
    if ward is None:
        return []
    lat, lng = ward_position(ward.province_code, ward.code)
    points = list(db.session.scalars(
        select(ServicePoint).where(ServicePoint.province_code == ward.province_code, ServicePoint.active.is_(True),
                                   ServicePoint.status == PointStatus.OPEN)
    ))
    points.sort(key=lambda p: (p.ward_code != ward.code, haversine_m(lat, lng, p.lat, p.lng), p.code))
    return points[:limit]
