"""Tables of the postal feature."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo.models import Province, Ward
from marketplace.timeutil import utcnow


class PointStatus(enum.Enum):
    OPEN = "open"
    #: closed for now (flooded, cut off): parcels go to the alternate point
    CLOSED = "closed"
    #: working from another place for now: parcels go to the alternate point
    MOVED = "moved"


class ServicePoint(db.Model):
    __tablename__ = "service_points"
    __table_args__ = (CheckConstraint("lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180", name="coordinates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: operator's code, `BC` + digits
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    #: denormalised from the ward: routing falls back to the nearest point of the province
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    #: the counter's telephone, E.164 (told to buyers when their parcel goes out for delivery)
    phone: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: open, or closed / moved during an event (marketplace/relief/points.py); routing skips a point not open
    status: Mapped[PointStatus] = mapped_column(
        Enum(PointStatus, native_enum=False, length=16), default=PointStatus.OPEN, server_default="OPEN"
    )
    #: where its parcels and households go while it is not open
    alternate_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    status_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    ward: Mapped[Ward] = relationship()
    alternate_point: Mapped[ServicePoint | None] = relationship(remote_side=[id])

    @property
    def is_open(self) -> bool:
        return self.active and self.status is PointStatus.OPEN

    def __repr__(self) -> str:
        return f"<ServicePoint {self.code}>"


class ClerkAssignment(db.Model):
    """Which service point a clerk (or postman) works at: one point per person.

    A separate table rather than a column on `users`, so the accounts feature's table stays the foundation's own.
    """

    __tablename__ = "clerk_assignments"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()
    service_point: Mapped[ServicePoint] = relationship()


class DigitalAddress(db.Model):
    __tablename__ = "digital_addresses"
    __table_args__ = (CheckConstraint("lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180", name="coordinates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: canonical form `WWWWW-XXXXX-XXXXC` (see postal/addresses.py)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: the address's 13-character code from before migration 0017 (`WWWWW-XXXX-XXXC`), still accepted
    legacy_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    address_line: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ward: Mapped[Ward] = relationship()
    province: Mapped[Province] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[user_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class S10Counter(db.Model):
    """The next serial per service indicator, advanced in SQL (`UPDATE … RETURNING`) so two desks never share one."""

    __tablename__ = "s10_counters"
    __table_args__ = (CheckConstraint("last_serial BETWEEN 0 AND 99999999", name="serial_range"),)

    indicator: Mapped[str] = mapped_column(String(2), primary_key=True)
    last_serial: Mapped[int] = mapped_column(BigInteger, default=0)


class ParcelStatus(enum.Enum):
    CREATED = "created"
    ACCEPTED = "accepted"
    IN_TRANSIT = "in_transit"
    AT_DELIVERY_POINT = "at_delivery_point"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    RETURNING = "returning"
    RETURNED = "returned"
    #: its order was cancelled or rejected before the household handed it in: nothing to accept or deliver
    CANCELLED = "cancelled"


class Parcel(db.Model):
    __tablename__ = "parcels"
    __table_args__ = (
        CheckConstraint("declared_weight_grams > 0", name="declared_weight_positive"),
        CheckConstraint("weighed_weight_grams IS NULL OR weighed_weight_grams > 0", name="weighed_weight_positive"),
        CheckConstraint("cod_amount >= 0", name="cod_not_negative"),
        CheckConstraint("surcharge >= 0", name="surcharge_not_negative"),
        CheckConstraint("failed_attempts >= 0", name="attempts_not_negative"),
        Index("ix_parcels_destination_status", "destination_point_id", "status"),
        Index("ix_parcels_origin_status", "origin_point_id", "status"),
        Index("ix_parcels_recipient_ward_status", "recipient_ward_code", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: UPU S10, stored compact (`EE123456785VN`)
    tracking_number: Mapped[str] = mapped_column(String(13), unique=True)
    #: the order this parcel carries (one parcel per order)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    origin_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    destination_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    #: snapshot at creation: later profile edits do not change where a parcel goes
    recipient_name: Mapped[str] = mapped_column(String(120))
    recipient_phone: Mapped[str] = mapped_column(String(16))
    recipient_address: Mapped[str] = mapped_column(String(300))
    recipient_ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"))
    digital_address_id: Mapped[int | None] = mapped_column(ForeignKey("digital_addresses.id"), index=True)
    declared_weight_grams: Mapped[int]
    weighed_weight_grams: Mapped[int | None]
    #: đồng charged for weight found above the declared weight at the counter
    surcharge: Mapped[int] = mapped_column(BigInteger, default=0)
    surcharge_reason: Mapped[str] = mapped_column(Text, default="")
    #: đồng the postman collects from the recipient (0 for prepaid)
    cod_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    #: đồng actually collected at delivery (EMI)
    cod_collected: Mapped[int | None] = mapped_column(BigInteger)
    express: Mapped[bool] = mapped_column(Boolean, default=False)
    perishable: Mapped[bool] = mapped_column(Boolean, default=False)
    #: goods of a priority category or for a relief campaign: first in acceptance queues and rounds, a band on the label
    priority: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the recipient collects it at the destination point (no round); shows `pickup_code` at the counter
    pickup: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: six digits the buyer shows (or the QR of) at the counter; only its holder collects the parcel
    pickup_code: Mapped[str | None] = mapped_column(String(8))
    #: when the desk recorded "arrived for pickup" (EDH): uncollected parcels go back after POSTAL_PICKUP_DAYS
    arrived_for_pickup_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[ParcelStatus] = mapped_column(
        Enum(ParcelStatus, native_enum=False, length=24), default=ParcelStatus.CREATED, index=True
    )
    failed_attempts: Mapped[int] = mapped_column(default=0)
    postman_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: the end-of-day COD reconciliation that settled this delivered parcel (None until the day is closed)
    reconciliation_id: Mapped[int | None] = mapped_column(ForeignKey("cod_reconciliations.id"), index=True)

    household = relationship("Household")
    order = relationship("Order")
    origin_point: Mapped[ServicePoint] = relationship(foreign_keys=[origin_point_id])
    destination_point: Mapped[ServicePoint] = relationship(foreign_keys=[destination_point_id])
    recipient_ward: Mapped[Ward] = relationship()
    digital_address: Mapped[DigitalAddress | None] = relationship()
    postman: Mapped[User | None] = relationship()
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="parcel", order_by="(TrackingEvent.occurred_at, TrackingEvent.id)"
    )

    @property
    def chargeable_weight_grams(self) -> int:
        return max(self.declared_weight_grams, self.weighed_weight_grams or 0)


class TrackingEvent(db.Model):
    __tablename__ = "tracking_events"
    __table_args__ = (
        Index("ix_tracking_events_parcel_occurred", "parcel_id", "occurred_at"),
        Index("ix_tracking_events_parcel_applied", "parcel_id", "applied", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id", ondelete="CASCADE"))
    #: UPU event code (EMA, EMG, …) or our return codes (RTS, RTD); see postal/tracking.py
    code: Mapped[str] = mapped_column(String(3))
    #: when it happened (UTC), as told by the desk or the network
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: when we stored it
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: failure reason key for EMH (recipient_absent, unreachable, wrong_address, refused, moved, damaged)
    reason: Mapped[str | None] = mapped_column(String(32))
    #: the sender's event id: a repeated POST stores nothing new
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: which API token posted it (network systems); none for desk events
    source: Mapped[str] = mapped_column(String(64), default="desk")
    #: whether the event moved the parcel: one that arrives out of order waits until its turn comes (an earlier step
    #: arrives), and one older than the parcel's last applied event stays history; neither moves the parcel back
    applied: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    parcel: Mapped[Parcel] = relationship(back_populates="events")
    point: Mapped[ServicePoint | None] = relationship()
    actor: Mapped[User | None] = relationship()


class ApiToken(db.Model):
    """A bearer token for the postal network's systems; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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


class CodReconciliation(db.Model):
    """The close of one day at one service point: cash handed in by each postman against what the system expects."""

    __tablename__ = "cod_reconciliations"
    __table_args__ = (
        UniqueConstraint("point_id", "day", name="uq_cod_reconciliations_point_day"),
        CheckConstraint("expected >= 0 AND reported >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    #: the local day (Asia/Ho_Chi_Minh) that was closed
    day: Mapped[date] = mapped_column(Date)
    #: đồng: sum of the COD collected on parcels delivered that day
    expected: Mapped[int] = mapped_column(BigInteger)
    #: đồng: cash the postmen handed in
    reported: Mapped[int] = mapped_column(BigInteger)
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    point: Mapped[ServicePoint] = relationship()
    closed_by: Mapped[User] = relationship()
    lines: Mapped[list[CodReconciliationLine]] = relationship(
        back_populates="reconciliation", order_by="CodReconciliationLine.id"
    )

    @property
    def difference(self) -> int:
        return self.reported - self.expected


class CodReconciliationLine(db.Model):
    """One postman's figures in a closed day; a non-zero difference is flagged."""

    __tablename__ = "cod_reconciliation_lines"
    __table_args__ = (
        UniqueConstraint("reconciliation_id", "postman_id", "carrier", name="uq_cod_reconciliation_lines_carrier"),
        CheckConstraint("expected >= 0 AND reported >= 0 AND parcels >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reconciliation_id: Mapped[int] = mapped_column(ForeignKey("cod_reconciliations.id", ondelete="CASCADE"))
    #: the postman of the point who handed the cash in; empty for a partner network's deliveries
    postman_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: the partner network (its API token's name) whose couriers delivered; empty for the point's own postmen
    carrier: Mapped[str] = mapped_column(String(80), default="", server_default="")
    parcels: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(BigInteger)
    reported: Mapped[int] = mapped_column(BigInteger)

    reconciliation: Mapped[CodReconciliation] = relationship(back_populates="lines")
    postman: Mapped[User | None] = relationship()

    @property
    def carrier_name(self) -> str:
        return self.postman.name if self.postman is not None else self.carrier

    @property
    def difference(self) -> int:
        return self.reported - self.expected


class TariffChange(db.Model):
    """Who changed which fee of a tariff step, when, from what to what (the tariff's audit trail)."""

    __tablename__ = "tariff_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    rate_id: Mapped[int] = mapped_column(ForeignKey("tariff_rates.id", ondelete="CASCADE"), index=True)
    #: `fee` or `extra_per_500g`
    field: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[int] = mapped_column(BigInteger)
    new_value: Mapped[int] = mapped_column(BigInteger)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    rate: Mapped[TariffRate] = relationship()
    changed_by: Mapped[User] = relationship()
