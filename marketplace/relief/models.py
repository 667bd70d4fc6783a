"""Tables of disaster mode: events over wards, the delay table, priority categories, notices on orders in flight,
relief campaigns with their budget ledger, and produce rescue drives."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Listing
from marketplace.extensions import db
from marketplace.geo.models import Province, Ward
from marketplace.households.models import Household
from marketplace.postal.models import DigitalAddress
from marketplace.timeutil import utcnow


class EventKind(enum.Enum):
    FLOOD = "flood"
    TYPHOON = "typhoon"
    EPIDEMIC = "epidemic"
    OTHER = "other"


class Severity(enum.Enum):
    WATCH = "watch"
    WARNING = "warning"
    EMERGENCY = "emergency"


class CheckoutRule(enum.Enum):
    #: orders go ahead, with a warning and the delay table's extra days
    WARN = "warn"
    #: only lines of the priority categories (food, medicine, relief goods)
    PRIORITY_ONLY = "priority_only"
    #: no order to or from the affected wards
    BLOCK = "block"


class DisasterEvent(db.Model):
    """A flood, typhoon, epidemic… declared by an administrator over a set of 2025 wards."""

    __tablename__ = "disaster_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(Enum(EventKind, native_enum=False, length=16))
    title: Mapped[str] = mapped_column(String(160))
    severity: Mapped[Severity] = mapped_column(Enum(Severity, native_enum=False, length=16))
    checkout_rule: Mapped[CheckoutRule] = mapped_column(Enum(CheckoutRule, native_enum=False, length=16))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expected_end_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the official dispatch that declared it (number and issuer)
    dispatch: Mapped[str] = mapped_column(String(200), default="")
    public_note: Mapped[str] = mapped_column(Text, default="")
    #: set when an administrator closes it; a closed event changes nothing any more
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    created_by: Mapped[User] = relationship()
    wards: Mapped[list[DisasterEventWard]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="DisasterEventWard.ward_code"
    )
    delays: Mapped[list[DelayRule]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="DelayRule.id"
    )

    @property
    def ward_codes(self) -> set[int]:
        return {w.ward_code for w in self.wards}


class DisasterEventWard(db.Model):
    __tablename__ = "disaster_event_wards"

    event_id: Mapped[int] = mapped_column(ForeignKey("disaster_events.id", ondelete="CASCADE"), primary_key=True)
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), primary_key=True, index=True)

    event: Mapped[DisasterEvent] = relationship(back_populates="wards")
    ward: Mapped[Ward] = relationship()


class AreaKind(enum.Enum):
    ANY = "any"
    #: the event's affected wards
    AFFECTED = "affected"
    PROVINCE = "province"


class DelayRule(db.Model):
    """One row of an event's delay table: from area × to area × category → extra days on every estimate."""

    __tablename__ = "delay_rules"
    __table_args__ = (CheckConstraint("extra_days BETWEEN 0 AND 60", name="extra_days_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("disaster_events.id", ondelete="CASCADE"), index=True)
    from_kind: Mapped[AreaKind] = mapped_column(Enum(AreaKind, native_enum=False, length=16))
    from_province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"))
    to_kind: Mapped[AreaKind] = mapped_column(Enum(AreaKind, native_enum=False, length=16))
    to_province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"))
    #: empty: every category
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    extra_days: Mapped[int] = mapped_column(Integer)

    event: Mapped[DisasterEvent] = relationship(back_populates="delays")
    from_province: Mapped[Province | None] = relationship(foreign_keys=[from_province_code])
    to_province: Mapped[Province | None] = relationship(foreign_keys=[to_province_code])
    category: Mapped[Category | None] = relationship()


class PriorityCategory(db.Model):
    """A category whose goods come first (food, medicine, relief goods): accepted under "priority only" events,
    first in acceptance queues and delivery rounds, a priority band on the label."""

    __tablename__ = "priority_categories"

    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)

    category: Mapped[Category] = relationship()


class NoticeAction(enum.Enum):
    HOLD = "hold"
    DELIVER_BY = "deliver_by"
    REROUTE = "reroute"
    CANCEL = "cancel"
    RELEASE = "release"


class OrderNotice(db.Model):
    """What staff did to an order in flight because of an event, and why: shown to the buyer. Append-only; the
    newest row is the order's current state (a HOLD keeps its parcel out of delivery rounds until released)."""

    __tablename__ = "order_relief_notices"
    __table_args__ = (Index("ix_order_relief_notices_order", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("disaster_events.id"), index=True)
    action: Mapped[NoticeAction] = mapped_column(Enum(NoticeAction, native_enum=False, length=16))
    reason: Mapped[str] = mapped_column(String(300))
    deliver_by: Mapped[date | None] = mapped_column(Date)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    event: Mapped[DisasterEvent | None] = relationship()
    actor: Mapped[User] = relationship()


class CampaignStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Campaign(db.Model):
    """A relief campaign: approved recipients, eligible listings, and a budget that pays their delivery."""

    __tablename__ = "relief_campaigns"
    __table_args__ = (
        CheckConstraint("budget >= 0 AND spent >= 0 AND spent <= budget", name="budget_not_overspent"),
        CheckConstraint("flat_fee >= 0", name="flat_fee_not_negative"),
        CheckConstraint("max_weight_grams BETWEEN 1 AND 30000", name="weight_limit"),
        CheckConstraint("max_side_cm BETWEEN 1 AND 100", name="size_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("disaster_events.id"), index=True)
    status: Mapped[CampaignStatus] = mapped_column(Enum(CampaignStatus, native_enum=False, length=16))
    #: đồng the campaign holds for delivery (kept equal to its GRANT entries)
    budget: Mapped[int] = mapped_column(BigInteger, default=0)
    #: đồng taken from the budget by donations' delivery (kept equal to its SHIPPING and RELEASE entries)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)
    #: what the donor pays for delivery of each parcel (0: free); the campaign pays the rest of the tariff
    flat_fee: Mapped[int] = mapped_column(BigInteger, default=0)
    max_weight_grams: Mapped[int] = mapped_column(Integer, default=30_000)
    #: the longest side a parcel may have, checked at the counter (listings carry no dimensions)
    max_side_cm: Mapped[int] = mapped_column(Integer, default=100)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    event: Mapped[DisasterEvent | None] = relationship()
    recipients: Mapped[list[Recipient]] = relationship(back_populates="campaign", order_by="Recipient.id")
    listings: Mapped[list[CampaignListing]] = relationship(back_populates="campaign", order_by="CampaignListing.id")

    @property
    def remaining(self) -> int:
        return self.budget - self.spent


class Recipient(db.Model):
    """An organisation or a commune committee that receives a campaign's goods at its digital address."""

    __tablename__ = "relief_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("relief_campaigns.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    phone: Mapped[str] = mapped_column(String(16))
    digital_address_id: Mapped[int] = mapped_column(ForeignKey("digital_addresses.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship(back_populates="recipients")
    address: Mapped[DigitalAddress] = relationship()


class CampaignListing(db.Model):
    __tablename__ = "relief_campaign_listings"
    __table_args__ = (UniqueConstraint("campaign_id", "listing_id", name="uq_relief_campaign_listings"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("relief_campaigns.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)

    campaign: Mapped[Campaign] = relationship(back_populates="listings")
    listing: Mapped[Listing] = relationship()


class BudgetKind(enum.Enum):
    #: money put into the campaign (+)
    GRANT = "grant"
    #: delivery of a donation paid from the budget (−)
    SHIPPING = "shipping"
    #: a donation's delivery money back to the budget: its order was cancelled before hand-over (+)
    RELEASE = "release"


class BudgetEntry(db.Model):
    """The campaign's own ledger (append-only): its budget and spending are the sums of these rows."""

    __tablename__ = "relief_budget_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("relief_campaigns.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[BudgetKind] = mapped_column(Enum(BudgetKind, native_enum=False, length=16))
    #: signed đồng, as the campaign sees it
    amount: Mapped[int] = mapped_column(BigInteger)
    memo: Mapped[str] = mapped_column(String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@db.event.listens_for(BudgetEntry, "before_update")
def _budget_is_append_only(_mapper, _connection, target: BudgetEntry) -> None:
    raise RuntimeError(f"budget entry {target.id} is append-only: add a correcting entry instead")


class Donation(db.Model):
    """An order a donor placed for a campaign's recipient; its delivery is paid (partly) from the budget."""

    __tablename__ = "relief_donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("relief_campaigns.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("relief_recipients.id"), index=True)
    #: the tariff for the parcel at checkout; the donor paid the campaign's flat fee, the budget the rest
    tariff_fee: Mapped[int] = mapped_column(BigInteger)
    subsidy: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    recipient: Mapped[Recipient] = relationship()
    order = relationship("Order")


class RescueDrive(db.Model):
    """A produce rescue: households of an affected or cut-off area featured, a flat fee per weight band, pre-orders
    gathered for one collection day."""

    __tablename__ = "rescue_drives"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("disaster_events.id"), index=True)
    #: the day the post collects every pre-order from the households (Vietnam date)
    collection_day: Mapped[date] = mapped_column(Date)
    status: Mapped[CampaignStatus] = mapped_column(Enum(CampaignStatus, native_enum=False, length=16))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    event: Mapped[DisasterEvent | None] = relationship()
    households: Mapped[list[RescueHousehold]] = relationship(back_populates="drive", order_by="RescueHousehold.id")
    bands: Mapped[list[RescueFeeBand]] = relationship(back_populates="drive", order_by="RescueFeeBand.max_grams")


class RescueHousehold(db.Model):
    __tablename__ = "rescue_drive_households"
    __table_args__ = (UniqueConstraint("drive_id", "household_id", name="uq_rescue_drive_households"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("rescue_drives.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)

    drive: Mapped[RescueDrive] = relationship(back_populates="households")
    household: Mapped[Household] = relationship()


class RescueFeeBand(db.Model):
    """Flat delivery fee for parcels up to `max_grams` (e.g. 25.000 ₫ up to 5 kg)."""

    __tablename__ = "rescue_fee_bands"
    __table_args__ = (
        UniqueConstraint("drive_id", "max_grams", name="uq_rescue_fee_bands"),
        CheckConstraint("max_grams BETWEEN 1 AND 30000 AND fee >= 0", name="band_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("rescue_drives.id", ondelete="CASCADE"), index=True)
    max_grams: Mapped[int] = mapped_column(Integer)
    fee: Mapped[int] = mapped_column(BigInteger)

    drive: Mapped[RescueDrive] = relationship(back_populates="bands")


class RescueOrder(db.Model):
    """An order placed through a rescue drive (priced by its bands, collected on its day)."""

    __tablename__ = "rescue_orders"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("rescue_drives.id"), index=True)
