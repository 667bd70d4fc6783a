"""Where each 2025 ward lies: its centre and land area (`data/ward_centres.csv`, read once per process).

Used to refuse a digital address or a service point placed implausibly far from the ward it names, to place demo
points and addresses in their real wards, and to decode old (13-character) digital-address codes offline.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "ward_centres.csv"

#: the least distance from a ward's centre that is always accepted (small urban wards, imprecise centres)
MIN_RADIUS_M = 5_000
#: special zones made of islands spread over the sea: how far from the centre their islands lie
ARCHIPELAGO_RADIUS_M = {
    22736: 600_000,  # Đặc khu Trường Sa (Khánh Hòa): reefs and islands from about 6.5° to 11.5° N
    20333: 250_000,  # Đặc khu Hoàng Sa (Đà Nẵng)
}
#: any other island special zone (Côn Đảo, Phú Quốc, Kiên Hải, Thổ Châu, Cô Tô, Bạch Long Vĩ, Lý Sơn, Phú Quý, …)
ISLAND_ZONE_RADIUS_M = 60_000


@dataclass(frozen=True)
class WardCentre:
    code: int
    lat: float
    lng: float
    #: km², None where the source has no figure
    area_km2: float | None


@cache
def _table() -> dict[int, WardCentre]:
    with DATA.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {
            int(r["code"]): WardCentre(
                int(r["code"]), float(r["lat"]), float(r["lng"]), float(r["area_km2"]) if r["area_km2"] else None
            )
            for r in rows
        }


def ward_centre(code: int | None) -> WardCentre | None:
    """The ward's centre, or None for a code the table does not know."""
    return _table().get(int(code)) if code is not None else None


def all_centres() -> list[WardCentre]:
    return list(_table().values())


def plausible_radius_m(code: int, ward_name: str = "") -> float:
    """How far from the ward's centre a position may lie and still be in the ward: three times the radius of a disc
    of the ward's area plus 2 km (wards are not round; the centres are approximate), at least MIN_RADIUS_M; island
    special zones (`Đặc khu`) get their spread over the sea."""
    if code in ARCHIPELAGO_RADIUS_M:
        return ARCHIPELAGO_RADIUS_M[code]
    centre = ward_centre(code)
    area = centre.area_km2 if centre is not None and centre.area_km2 else 30.0
    radius = max(MIN_RADIUS_M, 3 * math.sqrt(area / math.pi) * 1000 + 2_000)
    if ward_name.startswith("Đặc khu"):
        radius = max(radius, ISLAND_ZONE_RADIUS_M)
    return radius


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def distance_from_ward_m(code: int, lat: float, lng: float) -> float | None:
    """Metres from the ward's centre to the position (None when the ward's centre is unknown)."""
    centre = ward_centre(code)
    return None if centre is None else haversine_m(centre.lat, centre.lng, lat, lng)
