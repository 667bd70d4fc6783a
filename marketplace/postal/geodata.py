"""Approximate centres of the 34 provincial units (1 July 2025), for demo service points and map sketches.

The administrative data has no coordinates; these are rough centres (±0.3°) of each unit's territory, enough to
place plausible demo points and to draw the light map. Real service points come with their own coordinates (CSV).
"""

from __future__ import annotations

import hashlib

from marketplace.geo.centres import haversine_m, ward_centre  # noqa: F401 - haversine_m re-exported

#: province code → (lat, lng, half-extent in degrees used for jitter)
PROVINCE_CENTRES: dict[int, tuple[float, float, float]] = {
    1: (21.03, 105.85, 0.25),  # Hà Nội
    4: (22.75, 106.10, 0.35),  # Cao Bằng
    8: (22.10, 105.25, 0.40),  # Tuyên Quang
    11: (21.40, 103.00, 0.40),  # Điện Biên
    12: (22.35, 103.30, 0.30),  # Lai Châu
    14: (21.30, 104.10, 0.40),  # Sơn La
    15: (22.00, 104.40, 0.40),  # Lào Cai
    19: (21.80, 105.85, 0.35),  # Thái Nguyên
    20: (21.85, 106.60, 0.35),  # Lạng Sơn
    22: (21.10, 107.20, 0.30),  # Quảng Ninh
    24: (21.30, 106.40, 0.30),  # Bắc Ninh
    25: (21.30, 105.30, 0.40),  # Phú Thọ
    31: (20.85, 106.60, 0.25),  # Hải Phòng
    33: (20.55, 106.20, 0.25),  # Hưng Yên
    37: (20.35, 105.95, 0.25),  # Ninh Bình
    38: (19.90, 105.50, 0.40),  # Thanh Hóa
    40: (19.10, 104.90, 0.45),  # Nghệ An
    42: (18.35, 105.75, 0.30),  # Hà Tĩnh
    44: (17.15, 106.40, 0.45),  # Quảng Trị
    46: (16.45, 107.55, 0.25),  # Huế
    48: (15.90, 108.00, 0.40),  # Đà Nẵng
    51: (14.90, 108.60, 0.40),  # Quảng Ngãi
    52: (13.90, 108.60, 0.50),  # Gia Lai
    56: (12.30, 109.00, 0.35),  # Khánh Hòa
    66: (12.75, 108.30, 0.50),  # Đắk Lắk
    68: (11.90, 108.00, 0.50),  # Lâm Đồng
    75: (11.20, 107.00, 0.40),  # Đồng Nai
    79: (10.78, 106.70, 0.30),  # TP Hồ Chí Minh
    80: (11.00, 106.20, 0.30),  # Tây Ninh
    82: (10.40, 106.00, 0.35),  # Đồng Tháp
    86: (10.20, 106.20, 0.30),  # Vĩnh Long
    91: (10.40, 105.30, 0.40),  # An Giang
    92: (9.90, 105.80, 0.35),  # Cần Thơ
    96: (9.20, 105.20, 0.35),  # Cà Mau
}

#: Vietnam's bounding box (mainland and islands, Trường Sa's southern reefs included, generously rounded)
VIETNAM_BOUNDS = {"lat_min": 6.5, "lat_max": 23.5, "lng_min": 102.0, "lng_max": 117.5}


def in_vietnam(lat: float, lng: float) -> bool:
    b = VIETNAM_BOUNDS
    return b["lat_min"] <= lat <= b["lat_max"] and b["lng_min"] <= lng <= b["lng_max"]


def ward_position(province_code: int, ward_code: int, salt: str = "") -> tuple[float, float]:
    """A plausible, deterministic position in a ward: the ward's centre (`geo.centres`), moved a few hundred metres
    by a hash of `salt` when one is given; the province centre jittered by a hash of the ward code for a ward the
    table does not know."""
    centre = ward_centre(ward_code)
    if centre is not None:
        if not salt:
            return centre.lat, centre.lng
        digest = hashlib.sha256(f"{ward_code}{salt}".encode()).digest()
        dx = (int.from_bytes(digest[:4], "big") / 2**32) * 2 - 1
        dy = (int.from_bytes(digest[4:8], "big") / 2**32) * 2 - 1
        return round(centre.lat + dy * 0.003, 6), round(centre.lng + dx * 0.003, 6)
    lat, lng, extent = PROVINCE_CENTRES[province_code]
    digest = hashlib.sha256(f"{ward_code}{salt}".encode()).digest()
    dx = (int.from_bytes(digest[:4], "big") / 2**32) * 2 - 1
    dy = (int.from_bytes(digest[4:8], "big") / 2**32) * 2 - 1
    return round(lat + dy * extent, 6), round(lng + dx * extent, 6)

