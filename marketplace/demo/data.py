"""Demo content: categories, staff and buyer accounts, and farm households with their listings.

Ward codes are 2025 codes from the pinned `vietnam-provinces` release (provinces after the 1 July 2025 merger:
Tiền Giang is now Đồng Tháp, Bắc Giang is Bắc Ninh, Sóc Trăng is Cần Thơ, …). tests/test_demo.py checks every
code against the `wards` table.
"""

from __future__ import annotations

from marketplace.demo.data_central import CENTRAL
from marketplace.demo.data_mekong import MEKONG
from marketplace.demo.data_north import NORTH
from marketplace.demo.data_south import SOUTH
from marketplace.demo.seeds import HouseholdSeed

PASSWORD = "demo1234"

CATEGORIES = [
    {"slug": "trai-cay", "name_vi": "Trái cây", "name_en": "Fruit", "icon": "🥭", "position": 1, "commission_bps": 800},
    {
        "slug": "rau-cu",
        "name_vi": "Rau củ",
        "name_en": "Vegetables",
        "icon": "🥬",
        "position": 2,
        "commission_bps": 700,
    },
    {
        "slug": "gao-ngu-coc",
        "name_vi": "Gạo & ngũ cốc",
        "name_en": "Rice & grains",
        "icon": "🌾",
        "position": 3,
        "commission_bps": 500,
    },
    {
        "slug": "ca-phe-tra",
        "name_vi": "Cà phê & trà",
        "name_en": "Coffee & tea",
        "icon": "☕",
        "position": 4,
        "commission_bps": 900,
    },
    {
        "slug": "mat-ong-dac-san",
        "name_vi": "Mật ong & đặc sản khô",
        "name_en": "Honey & dried specialities",
        "icon": "🍯",
        "position": 5,
        "commission_bps": 900,
    },
    {
        "slug": "thuy-hai-san-kho",
        "name_vi": "Thủy hải sản khô",
        "name_en": "Dried seafood",
        "icon": "🦐",
        "position": 6,
        "commission_bps": 1000,
    },
    {
        "slug": "gia-vi",
        "name_vi": "Gia vị",
        "name_en": "Spices & sauces",
        "icon": "🧄",
        "position": 7,
        "commission_bps": 800,
    },
    {
        "slug": "nam-mang",
        "name_vi": "Nấm & măng",
        "name_en": "Mushrooms & bamboo shoots",
        "icon": "🍄",
        "position": 8,
        "commission_bps": 800,
    },
    {
        "slug": "hat-dau",
        "name_vi": "Hạt & đậu",
        "name_en": "Nuts & beans",
        "icon": "🥜",
        "position": 9,
        "commission_bps": 700,
    },
    {
        "slug": "ocop-qua-tang",
        "name_vi": "OCOP & quà tặng",
        "name_en": "OCOP products & gifts",
        "icon": "🎁",
        "position": 10,
        "commission_bps": 1000,
    },
]

#: (role, name, phone, email); the admin is the marker of a loaded demo
#: (key, role, name, phone, email): the clerk works at the first household's point, clerk2 at the buyer's
STAFF_AND_BUYERS = [
    ("admin", "admin", "Quản trị viên Chợ Nông Sản", None, "admin@chonongsan.vn"),
    ("clerk", "clerk", "Nguyễn Thị Thu Hà", None, "clerk@chonongsan.vn"),
    ("clerk2", "clerk", "Lê Văn Bình", None, "clerk2@chonongsan.vn"),
    ("buyer", "buyer", "Trần Minh Khách", "0901234567", "buyer@example.vn"),
]
ADMIN_EMAIL = "admin@chonongsan.vn"
CLERK_EMAIL = "clerk@chonongsan.vn"
CLERK2_EMAIL = "clerk2@chonongsan.vn"
BUYER_EMAIL = "buyer@example.vn"

#: the first one (phone 0911000001) is the easy demo household account
HOUSEHOLDS: list[HouseholdSeed] = [*MEKONG, *NORTH, *CENTRAL, *SOUTH]

_SHOWN_HOUSEHOLDS = 3
DEMO_ACCOUNTS = {
    "password": PASSWORD,
    "accounts": [
        ("admin", ADMIN_EMAIL, "Quản trị viên / administrator"),
        ("clerk", CLERK_EMAIL, "Giao dịch viên bưu điện / postal clerk (the first household's point)"),
        ("clerk", CLERK2_EMAIL, "Giao dịch viên / postal clerk (the buyer's point, delivers in Hà Nội)"),
        ("buyer", "0901234567", "Người mua / buyer"),
        ("buyer", "buyer@example.vn", "the same buyer, by e-mail"),
        *[("household", h.phone, h.name) for h in HOUSEHOLDS[:_SHOWN_HOUSEHOLDS]],
        (
            "household",
            "…",
            f"and {len(HOUSEHOLDS) - _SHOWN_HOUSEHOLDS} more households, phones in marketplace/demo/data*.py",
        ),
    ],
}
