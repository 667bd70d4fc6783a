"""Look-ups over the administrative units, and loading them from `vietnam-provinces`."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.geo.models import Province, Region, Ward

NORTH = {1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37}
CENTRAL = {38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68}
SOUTH = {75, 79, 80, 82, 86, 91, 92, 96}


def region_of(province_code: int) -> Region:
    if province_code in NORTH:
        return Region.NORTH
    if province_code in CENTRAL:
        return Region.CENTRAL
    if province_code in SOUTH:
        return Region.SOUTH
    raise ValueError(f"unknown province code {province_code}")


def provinces() -> list[Province]:
    return list(db.session.scalars(select(Province).order_by(Province.code)))


def get_ward(code: int | None) -> Ward | None:
    return db.session.get(Ward, code) if code else None


def get_province(code: int | None) -> Province | None:
    return db.session.get(Province, code) if code else None


def province_by_codename(codename: str) -> Province | None:
    return db.session.scalar(select(Province).where(Province.codename == codename))


def province_choices() -> list[tuple[int, str]]:
    return [(code, Province.short_form(name)) for code, name in
            db.session.execute(select(Province.code, Province.name).order_by(Province.code))]


def ward_choices(province_code: int | None) -> list[tuple[int, str]]:
    """(code, name) of the province's wards, by name: read as plain rows (a province has up to a few hundred wards;
    loading each as an object with its province took a checkout page ≈ 5 ms)."""
    if not province_code:
        return []
    return [tuple(row) for row in db.session.execute(
        select(Ward.code, Ward.name).where(Ward.province_code == province_code).order_by(Ward.name))]
