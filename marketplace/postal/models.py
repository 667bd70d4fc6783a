import enum

from sqlalchemy import BigInteger, CheckConstraint, Enum, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class Zone(enum.Enum):
    SAME_PROVINCE = "same_province"
    SAME_REGION = "same_region"
    OTHER_REGION = "other_region"


class Service(enum.Enum):
    STANDARD = "standard"
    EXPRESS = "express"


class TariffRate(db.Model):
    """One weight step of the domestic parcel tariff; data an administrator edits, not code."""

    __tablename__ = "tariff_rates"
    __table_args__ = (
        UniqueConstraint("zone", "service", "max_grams", name="uq_tariff_rates_step"),
        CheckConstraint("max_grams > 0", name="max_grams_positive"),
        CheckConstraint("fee >= 0 AND extra_per_500g >= 0", name="fees_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[Zone] = mapped_column(Enum(Zone, native_enum=False, length=16))
    service: Mapped[Service] = mapped_column(Enum(Service, native_enum=False, length=16))
    #: this fee covers parcels up to this weight
    max_grams: Mapped[int] = mapped_column(Integer)
    #: đồng
    fee: Mapped[int] = mapped_column(BigInteger)
    #: đồng for each started 500 g beyond the heaviest step (read from the heaviest step of the zone and service)
    extra_per_500g: Mapped[int] = mapped_column(BigInteger, default=0)
