"""Demo service points: one per ward of the given provinces, at deterministic plausible positions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.postal.geodata import ward_position
from marketplace.postal.models import ServicePoint
from marketplace.postal.points import PointData, upsert_point

DEMO_HOURS = "T2–T7 7:00–17:30; CN 7:00–11:30"


def demo_point_code(ward_code: int) -> str:
    return f"BC{ward_code:05d}"


def create_demo_points(province_codes: Iterable[int]) -> int:
    """Give every ward of `province_codes` one service point (idempotent); returns how many were created."""
    created = 0
    existing = set(db.session.scalars(select(ServicePoint.code)))
    for ward in db.session.scalars(select(Ward).where(Ward.province_code.in_(list(province_codes)))):
        code = demo_point_code(ward.code)
        if code in existing:
            continue
        lat, lng = ward_position(ward.province_code, ward.code)
        upsert_point(
            PointData(
                code=code, name=f"Bưu cục {ward.name}", ward_code=ward.code, lat=lat, lng=lng, opening_hours=DEMO_HOURS
            )
        )
        created += 1
    db.session.flush()
    return created
