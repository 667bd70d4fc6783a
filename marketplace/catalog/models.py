import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.households.models import Household, HouseholdStatus
from marketplace.timeutil import utcnow

#: bounds every listing form and service enforces (a unit of produce, not a wholesale lot)
MAX_PRICE = 1_000_000_000
MAX_STOCK = 1_000_000
MAX_UNIT_GRAMS = 50_000


class Unit(enum.Enum):
    """Selling units farm households use; `grams` is the typical weight when the unit is a weight."""

    KG = "kg"
    BUNCH = "bo"  # bó
    PIECE = "qua"  # quả
    BOX = "hop"  # hộp
    BOTTLE = "chai"
    BAG = "tui"  # túi
    JAR = "hu"  # hũ
    PACK = "goi"  # gói


class Availability(enum.Enum):
    IN_STOCK = "in_stock"
    PREORDER = "preorder"


class ListingStatus(enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    #: kept for past orders, hidden everywhere else
    DELETED = "deleted"


class Category(db.Model):
    __tablename__ = "categories"
    __table_args__ = (CheckConstraint("commission_bps BETWEEN 0 AND 5000", name="commission_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_vi: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    #: a short pictogram shown beside the name (icons always come with text)
    icon: Mapped[str] = mapped_column(String(8), default="")
    position: Mapped[int] = mapped_column(default=0)
    #: marketplace commission in basis points (800 = 8 %), set by an administrator
    commission_bps: Mapped[int] = mapped_column(default=800)

    def name(self, locale: str = "vi") -> str:
        return self.name_en if locale == "en" else self.name_vi


class Listing(db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("weight_grams > 0", name="weight_positive"),
        CheckConstraint("min_order_qty >= 1", name="min_order_positive"),
        CheckConstraint("shelf_life_days IS NULL OR shelf_life_days > 0", name="shelf_life_positive"),
        CheckConstraint(
            "harvest_start IS NULL OR harvest_end IS NULL OR harvest_start <= harvest_end", name="harvest_window"
        ),
        # one index per browse order, ending in the id: pages are keyset range reads (migration 0013)
        Index("ix_listings_browse_newest", "status", "created_at", "id"),
        *(
            Index(f"ix_listings_browse_{scope}_{order}", "status", scope_col, *cols)
            for scope, scope_col in (("category", "category_id"), ("province", "province_code"))
            for order, cols in (
                ("newest", ("created_at", "id")),
                ("price", ("price", "id")),
                ("ppk", ("price_per_kg", "id")),
                ("rating", (text("coalesce(rating_avg, 0)"), "rating_count", "id")),
            )
        ),
        Index("ix_listings_browse_category_province", "status", "category_id", "province_code", "created_at", "id"),
        Index("ix_listings_browse_household", "household_id", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[Unit] = mapped_column(Enum(Unit, native_enum=False, length=16))
    #: đồng per unit (VND has no minor unit)
    price: Mapped[int] = mapped_column(BigInteger)
    #: units available now (or, for a pre-order, units that can still be promised)
    stock: Mapped[int] = mapped_column(Integer)
    #: shipping weight of one unit, packaging included
    weight_grams: Mapped[int] = mapped_column(Integer)
    #: đồng per kg, derived from price and weight; kept for sorting
    price_per_kg: Mapped[int] = mapped_column(BigInteger)
    min_order_qty: Mapped[int] = mapped_column(default=1)
    availability: Mapped[Availability] = mapped_column(
        Enum(Availability, native_enum=False, length=16), default=Availability.IN_STOCK
    )
    harvest_start: Mapped[date | None] = mapped_column(Date)
    harvest_end: Mapped[date | None] = mapped_column(Date)
    #: days the produce keeps; perishable produce (≤ 7 days) ships express
    shelf_life_days: Mapped[int | None]
    origin_ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    #: province of the origin ward, denormalised for filters
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    status: Mapped[ListingStatus] = mapped_column(
        Enum(ListingStatus, native_enum=False, length=16), default=ListingStatus.ACTIVE
    )
    #: average stars of visible reviews (None before the first), kept by reviews.services in the review's transaction
    rating_avg: Mapped[float | None] = mapped_column(Float)
    rating_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the clerk who listed it on the household's behalf, if any
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: bumped by every edit through the listing form (not by sales): a form saved over a newer edit is refused
    edit_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    household: Mapped[Household] = relationship(backref=db.backref("listings", lazy="dynamic"))
    category: Mapped[Category] = relationship()
    origin_ward: Mapped[Ward] = relationship()
    created_by: Mapped[User | None] = relationship()
    photos: Mapped[list["ListingPhoto"]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="ListingPhoto.position"
    )

    PERISHABLE_DAYS = 7

    @property
    def is_perishable(self) -> bool:
        return self.shelf_life_days is not None and self.shelf_life_days <= self.PERISHABLE_DAYS

    @property
    def is_visible(self) -> bool:
        return self.status is ListingStatus.ACTIVE and self.household.status is HouseholdStatus.VERIFIED

    @property
    def in_stock(self) -> bool:
        return self.stock >= self.min_order_qty

    @property
    def cover(self) -> "ListingPhoto | None":
        return self.photos[0] if self.photos else None

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.title!r}>"


class ListingPhoto(db.Model):
    __tablename__ = "listing_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: paths under UPLOAD_DIR
    filename: Mapped[str] = mapped_column(String(120))
    thumb: Mapped[str] = mapped_column(String(120))

    listing: Mapped[Listing] = relationship(back_populates="photos")


class ListingCount(db.Model):
    """Visible listings (active, household verified) per category and province, kept by database triggers in the
    transaction of every change (migration 0013); the catalogue's totals read it instead of counting listings."""

    __tablename__ = "listing_counts"

    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


def price_per_kg(price: int, weight_grams: int, unit: Unit | None = None) -> int:
    """Đồng per kilogram, rounded to the nearest đồng. Sold by the kg, it is the price itself (the shipping weight
    includes packaging); otherwise it is derived from the weight of one unit."""
    if unit is Unit.KG:
        return price
    return (price * 1000 + weight_grams // 2) // weight_grams
