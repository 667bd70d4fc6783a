"""The shipping tariff: zone (same province / same region / other region) × weight step × service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.geo.services import region_of
from marketplace.postal.errors import NotAllowed, PostalError
from marketplace.postal.models import Service, TariffChange, TariffRate, Zone
from marketplace.timeutil import utcnow

#: the most a single fee may be (a typo guard: 10 million đồng)
MAX_FEE = 10_000_000


class InvalidTariff(PostalError):
    """A fee that is not a whole number of đồng between 0 and MAX_FEE."""


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
    rates = _steps().get((zone, service), [])
    if not rates:
        raise TariffMissing(f"no tariff for {zone.name} {service.name}")
    weight_grams = max(int(weight_grams), 1)
    for rate in rates:
        if weight_grams <= rate.max_grams:
            return Quote(zone, service, weight_grams, rate.fee)
    top = rates[-1]
    extra_steps = -(-(weight_grams - top.max_grams) // 500)
    return Quote(zone, service, weight_grams, top.fee + extra_steps * top.extra_per_500g)


_CACHE = "tariff_steps"


def _steps() -> dict[tuple[Zone, Service], list[TariffRate]]:
    """The whole tariff (a few dozen rows) read once per transaction: a checkout prices every parcel from it."""
    cached = db.session.info.get(_CACHE)
    if cached is None:
        cached = {}
        for rate in db.session.scalars(select(TariffRate).order_by(TariffRate.max_grams)):
            cached.setdefault((rate.zone, rate.service), []).append(rate)
        db.session.info[_CACHE] = cached
    return cached


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session, *_args) -> None:
    session.info.pop(_CACHE, None)


def rates() -> list[TariffRate]:
    """Every tariff step, by zone, service and weight (the admin's table)."""
    return list(db.session.scalars(select(TariffRate).order_by(TariffRate.zone, TariffRate.service, TariffRate.max_grams)))


def update_rate(admin: User, rate: TariffRate, fee: int | None, extra_per_500g: int | None) -> list[TariffChange]:
    """Set a step's fees (whole đồng, 0 ≤ fee ≤ MAX_FEE) and record each change with who and when.

    Raises NotAllowed (not an administrator) or InvalidTariff. Orders already placed keep the fee they were shown.
    """
    if admin.role is not Role.ADMIN:
        raise NotAllowed(_l("Only an administrator can change the tariff."))
    changes = []
    for field, value in (("fee", fee), ("extra_per_500g", extra_per_500g)):
        if value is None or isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FEE:
            raise InvalidTariff(_l("Enter each fee as a whole number of đồng from 0 to 10.000.000."))
        old = getattr(rate, field)
        if old != value:
            setattr(rate, field, value)
            changes.append(
                TariffChange(
                    rate_id=rate.id,
                    field=field,
                    old_value=old,
                    new_value=value,
                    changed_by_id=admin.id,
                    changed_at=utcnow(),
                )
            )
    db.session.add_all(changes)
    db.session.flush()
    if changes:
        from marketplace.staff import audit

        audit.record(admin, "tariff.edit", "tariff_rate", rate.id,
                     "; ".join(f"{c.field}: {c.old_value} → {c.new_value}" for c in changes))
    return changes


def recent_changes(limit: int = 50) -> list[TariffChange]:
    return list(db.session.scalars(select(TariffChange).order_by(TariffChange.id.desc()).limit(limit)))
