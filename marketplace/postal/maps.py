"""The light map of an address page: an offline SVG sketch, and optionally one slippy-map tile.

The sketch places the address and the service points of its ward in a box around them (no network at all). When the
operator sets MAP_TILE_URL (`https://tiles.example/{z}/{x}/{y}.png`), the page also shows the one tile containing the
address with the pin placed on it: the browser fetches a single image, no map library and no script.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.postal.models import DigitalAddress, ServicePoint

TILE_ZOOM = 16
TILE_SIZE = 256
#: the smallest span of the sketch, in degrees (about 1 km)
MIN_SPAN = 0.01


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    kind: str  # "address" or "point"


@dataclass(frozen=True)
class Tile:
    url: str
    left: float
    top: float


def sketch(address: DigitalAddress) -> list[Marker]:
    """Markers in 0–100 coordinates: the address and its ward's active service points, framed with a margin."""
    points = list(
        db.session.scalars(
            select(ServicePoint).where(ServicePoint.ward_code == address.ward_code, ServicePoint.active.is_(True))
        )
    )
    lats = [address.lat, *(p.lat for p in points)]
    lngs = [address.lng, *(p.lng for p in points)]
    span = max(max(lats) - min(lats), max(lngs) - min(lngs), MIN_SPAN) * 1.3
    mid_lat, mid_lng = (max(lats) + min(lats)) / 2, (max(lngs) + min(lngs)) / 2

    def place(lat: float, lng: float) -> tuple[float, float]:
        return round(50 + (lng - mid_lng) / span * 100, 1), round(50 - (lat - mid_lat) / span * 100, 1)

    markers = [Marker(*place(p.lat, p.lng), label=p.name, kind="point") for p in points]
    return [*markers, Marker(*place(address.lat, address.lng), label=address.code, kind="address")]


def tile(template: str, lat: float, lng: float, zoom: int = TILE_ZOOM) -> Tile | None:
    """The web-Mercator tile holding (lat, lng) and where the point falls on it (percent); None without a template."""
    if not template:
        return None
    n = 2**zoom
    x = (lng + 180) / 360 * n
    lat_r = math.radians(lat)
    y = (1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n
    url = template.replace("{z}", str(zoom)).replace("{x}", str(int(x))).replace("{y}", str(int(y)))
    return Tile(url=url, left=round((x % 1) * 100, 1), top=round((y % 1) * 100, 1))
