"""Demo service points: one per ward of the given provinces, at deterministic plausible positions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.households.models import Household
from marketplace.postal.addresses import create_address
from marketplace.postal.geodata import ward_position
from marketplace.postal.models import DigitalAddress, ServicePoint
from marketplace.timeutil import utcnow
from marketplace.postal.points import (
    PointData,
    assign_clerk,
    delivery_point,
    origin_point,
    point_of,
    refresh_serving_points,
    upsert_point,
)

DEMO_HOURS = "T2–T7 7:00–17:30; CN 7:00–11:30"


def demo_point_code(ward_code: int) -> str:
    return f"BC{ward_code:05d}"


def create_demo_points(province_codes: Iterable[int]) -> int:
    """Give every ward of `province_codes` one service point (idempotent); returns how many were created."""
    created = 0
    province_codes = sorted(set(province_codes))
    existing = set(db.session.scalars(select(ServicePoint.code)))
    for ward in db.session.scalars(select(Ward).where(Ward.province_code.in_(list(province_codes)))):
        code = demo_point_code(ward.code)
        if code in existing:
            continue
        lat, lng = ward_position(ward.province_code, ward.code)
        upsert_point(
            PointData(
                code=code, name=f"Bưu cục {ward.name}", ward_code=ward.code, lat=lat, lng=lng, opening_hours=DEMO_HOURS,
                phone=f"0{ward.province_code:02d}9{ward.code % 10**7:07d}",  # made up: the demo's counters
            ),
            refresh=False,
        )
        created += 1
    db.session.flush()
    if created:
        for province_code in province_codes:
            refresh_serving_points(province_code)
    return created


#: the demo buyer's home: Phường Hoàn Kiếm, Hà Nội
DEMO_BUYER_WARD = 70
DEMO_BUYER_LINE = "12 Hàng Bạc"


def ensure_demo_postal(
    clerk: User,
    buyer: User,
    households: Iterable[Household],
    verifier: User | None = None,
    buyer_clerk: User | None = None,
) -> dict[str, str]:
    """The postal side of the demo (idempotent): a service point in every ward of the households' provinces and the
    buyer's, the clerk at the point serving the first household, and verified digital addresses for the buyer and
    every household. Returns what the demo accounts list shows: the clerk's point and the buyer's address code."""
    households = list(households)
    create_demo_points({h.province_code for h in households} | {_province_of(DEMO_BUYER_WARD)})
    point = origin_point(households[0].ward_code)
    if point_of(clerk) is None:
        assign_clerk(clerk, point)
    if buyer_clerk is not None and point_of(buyer_clerk) is None:  # delivers the demo buyer's parcels
        assign_clerk(buyer_clerk, delivery_point(DEMO_BUYER_WARD))
    verifier = verifier or clerk  # an administrator: the demo's addresses lie all over the country
    buyer_address = _address(buyer, None, DEMO_BUYER_WARD, DEMO_BUYER_LINE, verifier)
    for household in households:
        _address(household.user, household, household.ward_code, household.address_line, verifier)
    db.session.flush()
    mine = point_of(clerk)
    return {"clerk_point": f"{mine.code} · {mine.name}", "buyer_address": buyer_address.code}


def _province_of(ward_code: int) -> int:
    return db.session.get(Ward, ward_code).province_code


def _address(user: User, household: Household | None, ward_code: int, line: str, clerk: User) -> DigitalAddress:
    existing = db.session.scalar(select(DigitalAddress).where(DigitalAddress.user_id == user.id).limit(1))
    if existing is not None:
        return existing
    lat, lng = ward_position(_province_of(ward_code), ward_code)
    lat += (user.id % 40) * 0.0002  # neighbours in one ward get distinct codes
    address = create_address(user, lat, lng, ward_code, line or "—", household_id=household.id if household else None)
    if not address.verified:  # seed data, as checked by postal staff (not a staff action to audit)
        address.verified_by_id = clerk.id
        address.verified_at = utcnow()
    return address
