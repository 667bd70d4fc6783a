"""The shapes of the demo data: plain frozen dataclasses, turned into rows by `marketplace.demo.load_demo`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CertSeed:
    kind: str  #: a CertificationKind value: vietgap, organic, ocop
    number: str
    expires_on: date
    stars: int | None = None  #: OCOP only, 3 to 5


@dataclass(frozen=True)
class ListingSeed:
    title: str
    category: str  #: category slug
    unit: str  #: a Unit value: kg, bo, qua, hop, chai, tui, hu, goi
    price: int  #: đồng per unit
    grams: int  #: shipping weight of one unit, packaging included
    stock: int
    description: str
    min_qty: int = 1
    shelf_days: int | None = None
    #: a pre-order: (harvest_start, harvest_end)
    harvest: tuple[date, date] | None = None
    paused: bool = False


@dataclass(frozen=True)
class HouseholdSeed:
    name: str
    representative: str
    phone: str  #: as people type it, 0xxxxxxxxx
    province: int
    ward: int  #: 2025 ward code from `vietnam-provinces`; checked by tests/test_demo.py
    address: str
    story: str
    listings: tuple[ListingSeed, ...]
    certs: tuple[CertSeed, ...] = ()
    verified: bool = True


def vietgap(number: str, expires_on: date) -> CertSeed:
    return CertSeed("vietgap", number, expires_on)


def organic(number: str, expires_on: date) -> CertSeed:
    return CertSeed("organic", number, expires_on)


def ocop(stars: int, number: str, expires_on: date) -> CertSeed:
    return CertSeed("ocop", number, expires_on, stars)
