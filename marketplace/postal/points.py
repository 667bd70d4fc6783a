"""Service points: the registry, clerks' assignments, CSV loading and routing of parcels to points."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, event, inspect, select, update
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.postal.errors import InvalidAddress, NoServicePoint, NotAllowed
from marketplace.postal.geodata import haversine_m, in_vietnam
from marketplace.postal.models import ClerkAssignment, PointStatus, ServicePoint

CSV_COLUMNS = ("code", "name", "ward_code", "lat", "lng", "opening_hours")


@dataclass(frozen=True)
class PointData:
    code: str
    name: str
    ward_code: int
    lat: float
    lng: float
    opening_hours: str = ""
    active: bool = True
    #: the counter's telephone (`024 3825 1234`, `+84…`); None leaves the stored one as it is
    phone: str | None = None


def get_point(code: str) -> ServicePoint | None:
    return db.session.scalar(select(ServicePoint).where(ServicePoint.code == (code or "").strip().upper()))


def upsert_point(data: PointData, refresh: bool = True) -> tuple[ServicePoint, bool]:
    """Create the point or update the one with the same code; returns (point, created). The households of its
    province are re-routed to their serving points (`refresh=False` for bulk loads, which call
    `refresh_serving_points` once per province at the end).

    Raises InvalidAddress for an unknown ward, coordinates outside Vietnam or an empty code/name.
    """
    code = data.code.strip().upper()
    if not code or not data.name.strip():
        raise InvalidAddress(_l("A service point needs a code and a name."))
    ward = db.session.get(Ward, data.ward_code)
    if ward is None:
        raise InvalidAddress(_l("Unknown ward code %(code)s.", code=data.ward_code))
    if not in_vietnam(data.lat, data.lng):
        raise InvalidAddress(_l("This position is outside Vietnam. Check the latitude and longitude."))
    point = get_point(code)
    created = point is None
    if created:
        point = ServicePoint(code=code)
        db.session.add(point)
    point.name = data.name.strip()
    point.ward_code = ward.code
    point.province_code = ward.province_code
    point.lat, point.lng = float(data.lat), float(data.lng)
    point.opening_hours = data.opening_hours.strip()
    point.active = data.active
    if data.phone is not None:
        point.phone = _counter_phone(data.phone)
    db.session.flush()
    if refresh:
        refresh_serving_points(point.province_code)
    return point, created


def _counter_phone(raw: str) -> str | None:
    """A counter's telephone as E.164 (`+842438251234`): landlines and mobiles, 9 or 10 digits after the 0. Raises
    InvalidAddress for anything else; empty gives None."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if not digits:
        return None
    match = re.fullmatch(r"(?:\+?84|0)(\d{9,10})", digits)
    if match is None:
        raise InvalidAddress(_l("A service point's phone is a Vietnamese number such as 024 3825 1234."))
    return f"+84{match.group(1)}"


def read_points_csv(lines: Iterable[str]) -> Iterator[tuple[int, PointData]]:
    """Rows of a points CSV as (line number, PointData). Raises InvalidAddress naming the bad line."""
    reader = csv.DictReader(lines)
    missing = set(CSV_COLUMNS[:5]) - set(reader.fieldnames or ())
    if missing:
        raise InvalidAddress(f"missing columns: {', '.join(sorted(missing))}")
    for row in reader:
        try:
            yield (
                reader.line_num,
                PointData(
                    code=row["code"],
                    name=row["name"],
                    ward_code=int(row["ward_code"]),
                    lat=float(row["lat"]),
                    lng=float(row["lng"]),
                    opening_hours=row.get("opening_hours") or "",
                    phone=row.get("phone"),
                ),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidAddress(f"line {reader.line_num}: {exc}") from None


def assign_clerk(user: User, point: ServicePoint) -> ClerkAssignment:
    """Attach a clerk to one service point (replacing an earlier one). Raises NotAllowed for non-clerks."""
    if user.role not in (Role.CLERK, Role.ADMIN):
        raise NotAllowed(_l("Only postal staff work at a service point."))
    assignment = db.session.get(ClerkAssignment, user.id)
    if assignment is None:
        assignment = ClerkAssignment(user_id=user.id, service_point_id=point.id)
        db.session.add(assignment)
    else:
        assignment.service_point_id = point.id
    db.session.flush()
    return assignment


def point_of(user: User) -> ServicePoint | None:
    """The service point a clerk works at, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    assignment = db.session.get(ClerkAssignment, user.id)
    return assignment.service_point if assignment else None


def staff_of(point: ServicePoint) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ClerkAssignment, ClerkAssignment.user_id == User.id)
            .where(ClerkAssignment.service_point_id == point.id, User.active.is_(True))
            .order_by(User.name)
        )
    )


def _nearest(points: list[ServicePoint], lat: float | None, lng: float | None) -> ServicePoint:
    if lat is None or lng is None or len(points) == 1:
        return min(points, key=lambda p: p.code)
    return min(points, key=lambda p: (haversine_m(lat, lng, p.lat, p.lng), p.code))


def origin_point(ward_code: int) -> ServicePoint:
    """The point that accepts parcels from a household of this ward (its ward's point; else the province's nearest).

    Raises NoServicePoint when the province has no active point.
    """
    return delivery_point(ward_code)


def delivery_point(ward_code: int, lat: float | None = None, lng: float | None = None) -> ServicePoint:
    """The point serving a ward: among the ward's open points the nearest to (lat, lng); when they are all closed or
    moved for now, their open alternates; when the ward has none, the nearest open point of the same province (to
    the position, or to any when no position is known).

    Raises NoServicePoint when neither exists.
    """
    ward = db.session.get(Ward, ward_code)
    if ward is None:
        raise NoServicePoint(_l("Unknown ward."))
    active = and_(ServicePoint.active.is_(True), ServicePoint.status == PointStatus.OPEN)
    all_in_ward = list(db.session.scalars(select(ServicePoint).where(ServicePoint.ward_code == ward.code,
                                                                      ServicePoint.active.is_(True))))
    in_ward = [p for p in all_in_ward if p.status is PointStatus.OPEN]
    if in_ward:
        return _nearest(in_ward, lat, lng)
    # the ward's own points are closed or moved for now (an event): their open alternates serve it
    alternates = [p.alternate_point for p in all_in_ward if p.alternate_point is not None]
    alternates = [p for p in alternates if p.is_open]
    if alternates:
        return _nearest(alternates, lat, lng)
    in_province = list(
        db.session.scalars(select(ServicePoint).where(ServicePoint.province_code == ward.province_code, active))
    )
    if not in_province:
        raise NoServicePoint(_l("No post office serves %(ward)s yet.", ward=ward.full_name))
    if lat is None or lng is None:
        from marketplace.postal.geodata import ward_position

        lat, lng = ward_position(ward.province_code, ward.code)
    return _nearest(in_province, lat, lng)


# --- which point serves a household (the staff scope's key) ----------------------------------------------------------


def serving_point(ward_code: int) -> ServicePoint | None:
    """The point where households of this ward hand their parcels in (`origin_point`), or None when none exists."""
    try:
        return origin_point(ward_code)
    except NoServicePoint:
        return None


def refresh_serving_points(province_code: int) -> int:
    """Re-route every household of the province to its serving point after points changed (one UPDATE per ward
    whose households point elsewhere); returns the number of households moved."""
    from marketplace.households.models import Household

    wards = db.session.execute(
        select(Household.ward_code).where(Household.province_code == province_code).distinct()
    ).scalars()
    moved = 0
    for ward_code in list(wards):
        point = serving_point(ward_code)
        target = point.id if point is not None else None
        result = db.session.execute(
            update(Household)
            .where(Household.ward_code == ward_code, Household.service_point_id.is_distinct_from(target))
            .values(service_point_id=target)
            .execution_options(synchronize_session="fetch")
        )
        moved += result.rowcount
    return moved


@event.listens_for(Session, "before_flush")
def _route_households(session, _context, _instances) -> None:
    """A household created or moved to another ward gets its serving point in the same flush."""
    from marketplace.households.models import Household

    changed = [
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Household)
        and obj.ward_code is not None
        and (obj in session.new or inspect(obj).attrs.ward_code.history.has_changes())
    ]
    if not changed:
        return
    with session.no_autoflush:
        for household in changed:
            point = serving_point(household.ward_code)
            household.service_point_id = point.id if point is not None else None
