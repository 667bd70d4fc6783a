import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.timeutil import local_today, utcnow


class HouseholdStatus(enum.Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    SUSPENDED = "suspended"


class CertificationKind(enum.Enum):
    VIETGAP = "vietgap"
    ORGANIC = "organic"
    OCOP = "ocop"


class Household(db.Model):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    representative: Mapped[str] = mapped_column(String(120))
    #: E.164, the number buyers and the post office call
    phone: Mapped[str] = mapped_column(String(16))
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    #: denormalised from the ward, for filtering by province without a join
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    address_line: Mapped[str] = mapped_column(String(200))
    story: Mapped[str] = mapped_column(Text, default="")
    #: file name under UPLOAD_DIR/households
    photo: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[HouseholdStatus] = mapped_column(
        Enum(HouseholdStatus, native_enum=False, length=16), default=HouseholdStatus.PENDING, index=True
    )
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: the service point the household hands its parcels in at: whose clerks may act for it (the staff scope's key);
    #: set from the ward by `postal.points.serving_point`, refreshed when points are loaded
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"), index=True)
    #: the clerk who registered the household at the counter (empty when it signed up online)
    onboarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], backref=db.backref("household", uselist=False))
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    ward: Mapped[Ward] = relationship()
    certifications: Mapped[list["Certification"]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="Certification.kind"
    )

    @property
    def is_verified(self) -> bool:
        return self.status is HouseholdStatus.VERIFIED

    @property
    def valid_certifications(self) -> list["Certification"]:
        return [c for c in self.certifications if not c.expired]

    def __repr__(self) -> str:
        return f"<Household {self.id} {self.name}>"


class Certification(db.Model):
    __tablename__ = "certifications"
    __table_args__ = (
        CheckConstraint("(kind = 'OCOP' AND stars BETWEEN 3 AND 5) OR (kind <> 'OCOP' AND stars IS NULL)", name="stars"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificationKind] = mapped_column(Enum(CertificationKind, native_enum=False, length=16))
    #: OCOP rating, 3 to 5 stars; empty for the other kinds
    stars: Mapped[int | None]
    number: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[date] = mapped_column(Date)

    household: Mapped[Household] = relationship(back_populates="certifications")

    @property
    def expired(self) -> bool:
        return self.expires_on < local_today()
