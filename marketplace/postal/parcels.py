"""Parcels: creation (routing + S10 number), look-up, the counter surcharge and label data."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.postal import s10
from marketplace.postal.errors import InvalidParcel, InvalidTrackingNumber
from marketplace.postal.labels import LabelData
from marketplace.postal.models import DigitalAddress, Parcel, ServicePoint
from marketplace.postal.points import delivery_point, origin_point

WEIGHT_STEP_GRAMS = 500


@dataclass(frozen=True)
class ParcelData:
    recipient_name: str
    recipient_phone: str
    recipient_address: str
    recipient_ward_code: int
    declared_weight_grams: int
    cod_amount: int = 0
    express: bool = False
    perishable: bool = False
    digital_address: DigitalAddress | None = None
    order_id: int | None = None
    #: goods that travel first (priority categories, relief donations)
    priority: bool = False
    #: the recipient collects it at this point instead of a delivery to the door
    pickup_point: ServicePoint | None = None


def create_parcel(household: Household, data: ParcelData) -> Parcel:
    """Create the parcel for a household's shipment: route it (origin = the household's ward's point, destination =
    the point serving the recipient's ward, nearest to the digital address) and give it an S10 number (EE… express,
    CE… standard).

    Raises InvalidParcel (bad weight or amount) or NoServicePoint (no point can take or deliver it).
    """
    if data.declared_weight_grams <= 0:
        raise InvalidParcel(_l("The declared weight must be more than 0 g."))
    if data.cod_amount < 0:
        raise InvalidParcel(_l("The amount to collect cannot be negative."))
    address = data.digital_address
    ward_code = address.ward_code if address is not None else data.recipient_ward_code
    origin = origin_point(household.ward_code)
    pickup = data.pickup_point
    if pickup is not None and not pickup.is_open:  # closed since checkout: its alternate keeps the parcel
        alternate = pickup.alternate_point
        pickup = alternate if alternate is not None and alternate.is_open else None
    if pickup is not None:
        destination = pickup
    else:
        destination = delivery_point(ward_code, address.lat if address else None, address.lng if address else None)
    parcel = Parcel(
        tracking_number=s10.generate("EE" if data.express else "CE"),
        order_id=data.order_id,
        household=household,
        origin_point=origin,
        destination_point=destination,
        recipient_name=data.recipient_name.strip()[:120],
        recipient_phone=data.recipient_phone,
        recipient_address=data.recipient_address.strip()[:300],
        recipient_ward_code=ward_code,
        digital_address=address,
        declared_weight_grams=data.declared_weight_grams,
        cod_amount=data.cod_amount,
        express=data.express,
        perishable=data.perishable,
        priority=data.priority,
        pickup=data.pickup_point is not None,
        pickup_code=new_pickup_code() if data.pickup_point is not None else None,
        surcharge=0,
        surcharge_reason="",
        failed_attempts=0,
    )
    db.session.add(parcel)
    db.session.flush()
    return parcel


def new_pickup_code() -> str:
    """Six random digits the buyer shows at the counter (with the tracking number, which scopes it)."""
    import secrets

    return f"{secrets.randbelow(1_000_000):06d}"


def by_tracking_number(value: str) -> Parcel | None:
    """The parcel with this number (any spacing or case), or None; malformed numbers give None."""
    try:
        compact = s10.validate(value)
    except InvalidTrackingNumber:
        return None
    return db.session.scalar(select(Parcel).where(Parcel.tracking_number == compact))


def surcharge_for(declared_grams: int, weighed_grams: int, rate_per_step: int | None = None) -> int:
    """Đồng to add when the counter scale shows more than was declared: each started 500 g step above the declared
    weight costs POSTAL_SURCHARGE_PER_500G (0 when the parcel is not heavier)."""
    if rate_per_step is None:
        rate_per_step = int(current_app.config.get("POSTAL_SURCHARGE_PER_500G", 5_000))
    excess = weighed_grams - declared_grams
    if excess <= 0:
        return 0
    return math.ceil(excess / WEIGHT_STEP_GRAMS) * rate_per_step


def label_data(parcel: Parcel) -> LabelData:
    """Everything the printed label shows, taken from the parcel and its household."""
    household = parcel.household
    ward = household.ward
    address = parcel.digital_address
    return LabelData(
        tracking_number=parcel.tracking_number,
        sender_name=household.name,
        sender_phone=household.phone,
        sender_address=f"{household.address_line}, {ward.name}, {ward.province.short_name}",
        recipient_name=parcel.recipient_name,
        recipient_phone=parcel.recipient_phone,
        recipient_address=parcel.recipient_address,
        digital_address=address.code if address else "",
        destination_point=f"{parcel.destination_point.code} · {parcel.destination_point.name}",
        cod_amount=parcel.cod_amount,
        weight_grams=parcel.chargeable_weight_grams,
        perishable=parcel.perishable,
        express=parcel.express,
        priority=parcel.priority,
        pickup=parcel.pickup,
    )
