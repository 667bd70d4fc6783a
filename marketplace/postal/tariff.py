"""The shipping tariff: zone (same province / same region / other region) × weight step × service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.geo.services import region_of
from marketplace.postal.models import Service, TariffRate, Zone


class TariffMissing(Exception):
    """No tariff rows for a zone and service (the tariff table has not been seeded)."""


@dataclass(frozen=True)
class Quote:
    zone: Zone
    service: Service
    weight_grams: int
    #: đồng
    fee: int


def zone_between(origin_province: int, dest_province: int) -> Zone:
    """Tariff zone between two provinces (2025 codes)."""
    if origin_province == dest_province:
        return Zone.SAME_PROVINCE
    if region_of(origin_province) is region_of(dest_province):
        return Zone.SAME_REGION
    return Zone.OTHER_REGION


def quote(origin_province: int, dest_province: int, weight_grams: int, express: bool) -> Quote:
    """Price a parcel. Raises TariffMissing when no rate exists for the zone and service."""
    zone = zone_between(origin_province, dest_province)
    service = Service.EXPRESS if express else Service.STANDARD
    rates = list(
        db.session.scalars(
            select(TariffRate)
            .where(TariffRate.zone == zone, TariffRate.service == service)
            .order_by(TariffRate.max_grams)
        )
    )
    if not rates:
        raise TariffMissing(f"no tariff for {zone.name} {service.name}")
    weight_grams = max(int(weight_grams), 1)
    for rate in rates:
        if weight_grams <= rate.max_grams:
            return Quote(zone, service, weight_grams, rate.fee)
    top = rates[-1]
    extra_steps = -(-(weight_grams - top.max_grams) // 500)
    return Quote(zone, service, weight_grams, top.fee + extra_steps * top.extra_per_500g)
