"""Relief campaigns: approved recipients at digital addresses, eligible listings from households outside the
affected area, donors buying for a recipient, delivery paid from the campaign's budget within its limits.

Money: the donor pays the goods and the campaign's flat delivery fee (0: free) like any buyer (the order's
`shipping_fee`); the rest of the tariff comes out of the campaign's budget, taken in SQL (`spent + x <= budget`) in
the donation's transaction, so two donors racing for the last of it cannot both have it. The budget's own ledger
(`relief_budget_entries`: grants, shipping, releases) is append-only and checked by `flask ledger check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders.models import Checkout, Order, OrderStatus, PaymentMethod
from marketplace.postal import addresses
from marketplace.postal.errors import PostalError
from marketplace.postal.models import DigitalAddress
from marketplace.relief.errors import BudgetExhausted, InvalidCampaign, NotAllowed
from marketplace.relief.models import (
    BudgetEntry,
    BudgetKind,
    Campaign,
    CampaignListing,
    CampaignStatus,
    DisasterEventWard,
    Donation,
    Recipient,
)
from marketplace.signals import order_withdrawn
from marketplace.staff import audit
from marketplace.timeutil import utcnow
from marketplace.web import vnd

MAX_BUDGET = 10_000_000_000


def _admin(actor: User) -> None:
    if actor is None or actor.role is not Role.ADMIN:
        raise NotAllowed()


@dataclass(frozen=True)
class CampaignData:
    title: str
    description: str = ""
    event_id: int | None = None
    flat_fee: int = 0
    max_weight_grams: int = 30_000
    max_side_cm: int = 100


def slugify(title: str) -> str:
    from marketplace.search.analysis import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(title).lower()).strip("-")[:60] or "chien-dich"


def create(admin: User, data: CampaignData) -> Campaign:
    """A new campaign, as a draft (not shown to donors until opened). Raises NotAllowed or InvalidCampaign."""
    _admin(admin)
    if not data.title.strip():
        raise InvalidCampaign(_l("Give the campaign a title."))
    if not 0 <= data.flat_fee <= 1_000_000:
        raise InvalidCampaign(_l("The flat delivery fee is from 0 to 1.000.000 ₫."))
    if not 1 <= data.max_weight_grams <= 30_000 or not 1 <= data.max_side_cm <= 100:
        raise InvalidCampaign(_l("Limits are at most 30 kg and 1 m."))
    slug = base = slugify(data.title)
    n = 1
    while db.session.scalar(select(Campaign.id).where(Campaign.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    campaign = Campaign(slug=slug, title=data.title.strip(), description=data.description.strip(),
                        event_id=data.event_id, status=CampaignStatus.DRAFT, budget=0, spent=0,
                        flat_fee=data.flat_fee, max_weight_grams=data.max_weight_grams, max_side_cm=data.max_side_cm,
                        created_by_id=admin.id, created_at=utcnow())
    db.session.add(campaign)
    db.session.flush()
    audit.record(admin, "relief.campaign_edit", "campaign", campaign.id, f"+ {campaign.title}")
    return campaign


def set_status(admin: User, campaign: Campaign, status: CampaignStatus) -> None:
    _admin(admin)
    if status is CampaignStatus.OPEN and not any(r.approved_at for r in campaign.recipients):
        raise InvalidCampaign(_l("Approve at least one recipient before opening the campaign."))
    before, campaign.status = campaign.status, status
    db.session.flush()
    audit.record(admin, "relief.campaign_edit", "campaign", campaign.id, f"{before.value} → {status.value}")


def grant(admin: User, campaign: Campaign, amount: int, memo: str = "") -> BudgetEntry:
    """Add money to the campaign's delivery budget (a GRANT entry). Raises NotAllowed or InvalidCampaign."""
    _admin(admin)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_BUDGET:
        raise InvalidCampaign(_l("Enter the amount in whole đồng."))
    db.session.execute(text("UPDATE relief_campaigns SET budget = budget + :a WHERE id = :id"),
                       {"a": amount, "id": campaign.id})
    entry = BudgetEntry(campaign_id=campaign.id, kind=BudgetKind.GRANT, amount=amount, memo=memo[:200],
                        actor_id=admin.id, created_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    db.session.refresh(campaign)
    audit.record(admin, "relief.budget_grant", "campaign", campaign.id, f"+{vnd(amount)} {memo}"[:300])
    return entry


def add_recipient(admin: User, campaign: Campaign, name: str, phone: str, address_code: str) -> Recipient:
    """An approved recipient at a registered digital address. Raises NotAllowed or InvalidCampaign."""
    from marketplace.accounts.phone import normalize_phone

    _admin(admin)
    try:
        address = addresses.resolve(address_code)
    except PostalError as exc:
        raise InvalidCampaign(str(exc)) from None
    e164 = normalize_phone(phone or "")
    if not name.strip() or e164 is None:
        raise InvalidCampaign(_l("Give the recipient's name and a mobile number."))
    recipient = Recipient(campaign_id=campaign.id, name=name.strip()[:160], phone=e164, digital_address_id=address.id,
                          approved_by_id=admin.id, approved_at=utcnow())
    db.session.add(recipient)
    db.session.flush()
    audit.record(admin, "relief.recipient_approve", "campaign", campaign.id, f"{recipient.name} · {address.code}")
    return recipient


def affected_wards(campaign: Campaign) -> set[int]:
    if campaign.event_id is None:
        return set()
    return set(db.session.scalars(select(DisasterEventWard.ward_code)
                                  .where(DisasterEventWard.event_id == campaign.event_id)))


def add_listing(admin: User, campaign: Campaign, listing: Listing) -> CampaignListing:
    """Make a listing eligible; its household must be outside the affected area. Raises NotAllowed, InvalidCampaign."""
    _admin(admin)
    if listing.household.ward_code in affected_wards(campaign):
        raise InvalidCampaign(_l("%(household)s is inside the affected area: campaigns buy from households outside it.",
                                 household=listing.household.name))
    row = CampaignListing(campaign_id=campaign.id, listing_id=listing.id)
    db.session.add(row)
    db.session.flush()
    audit.record(admin, "relief.campaign_edit", "campaign", campaign.id, f"+ {listing.title}")
    return row


def donate(donor: User, campaign: Campaign, recipient_id: int, listing_id: int, quantity: int, method: PaymentMethod,
           submission_key: str | None = None) -> Checkout:
    """Buy a listing for a recipient of an open campaign: a checkout to the recipient's digital address, its delivery
    charged at the campaign's flat fee and the rest of the tariff taken from the budget.

    Raises InvalidCampaign (closed, not eligible, over the weight limit), BudgetExhausted, and the checkout's errors
    (OutOfStock, AlreadyPlaced, …). The caller rolls back on any error: nothing is taken then."""
    from marketplace.orders.checkout import DeliveryAddress, place_checkout

    if campaign.status is not CampaignStatus.OPEN:
        raise InvalidCampaign(_l("This campaign is not open."))
    recipient = db.session.get(Recipient, recipient_id)
    if recipient is None or recipient.campaign_id != campaign.id or recipient.approved_at is None:
        raise InvalidCampaign(_l("Choose one of the campaign's recipients."))
    eligible = db.session.scalar(select(CampaignListing.id).where(CampaignListing.campaign_id == campaign.id,
                                                                  CampaignListing.listing_id == listing_id))
    listing = db.session.get(Listing, listing_id)
    if eligible is None or listing is None or listing.status is not ListingStatus.ACTIVE:
        raise InvalidCampaign(_l("Choose one of the campaign's goods."))
    if not 1 <= quantity <= 1000:
        raise InvalidCampaign(_l("Choose how many, from 1."))
    if listing.weight_grams * quantity > campaign.max_weight_grams:
        raise InvalidCampaign(_l("A campaign parcel weighs at most %(kg)s kg: choose fewer.",
                                 kg=campaign.max_weight_grams // 1000))
    address = recipient.address
    placed = place_checkout(
        donor, {listing.id: (quantity, listing.price)},
        DeliveryAddress(recipient=recipient.name, phone=recipient.phone, ward_code=address.ward_code,
                        address_line=address.address_line, note=f"Cứu trợ: {campaign.title}"[:300],
                        digital_address_id=address.id),
        method, submission_key)
    order = placed.orders[0]
    tariff_fee = order.shipping_fee
    fee = min(campaign.flat_fee, tariff_fee)
    subsidy = tariff_fee - fee
    if subsidy:
        taken = db.session.execute(
            text("UPDATE relief_campaigns SET spent = spent + :s WHERE id = :id AND status = 'OPEN' "
                 "AND spent + :s <= budget"), {"s": subsidy, "id": campaign.id})
        if taken.rowcount != 1:
            db.session.refresh(campaign)
            raise BudgetExhausted(remaining=vnd(max(campaign.remaining, 0)))
        db.session.add(BudgetEntry(campaign_id=campaign.id, order_id=order.id, kind=BudgetKind.SHIPPING,
                                   amount=-subsidy, memo=order.number, created_at=utcnow()))
    order.shipping_fee = fee
    placed.total = sum(o.goods_total + o.shipping_fee for o in placed.orders)
    db.session.add(Donation(campaign_id=campaign.id, order_id=order.id, recipient_id=recipient.id,
                            tariff_fee=tariff_fee, subsidy=subsidy, created_at=utcnow()))
    db.session.flush()
    return placed


@order_withdrawn.connect
def _release(order: Order, **_kwargs) -> None:
    """A donation cancelled or rejected before hand-over gives its delivery money back to the budget (once)."""
    donation = db.session.scalar(select(Donation).where(Donation.order_id == order.id))
    if donation is None or not donation.subsidy:
        return
    released = db.session.scalar(select(func.count()).select_from(BudgetEntry).where(
        BudgetEntry.order_id == order.id, BudgetEntry.kind == BudgetKind.RELEASE))
    if released:
        return
    db.session.execute(text("UPDATE relief_campaigns SET spent = spent - :s WHERE id = :id"),
                       {"s": donation.subsidy, "id": donation.campaign_id})
    db.session.add(BudgetEntry(campaign_id=donation.campaign_id, order_id=order.id, kind=BudgetKind.RELEASE,
                               amount=donation.subsidy, memo=order.number, created_at=utcnow()))
    db.session.flush()


def tally(campaign: Campaign) -> dict:
    """The public tally: donations, parcels delivered, kilograms, budget used (one query)."""
    row = db.session.execute(
        select(func.count(Donation.id),
               func.coalesce(func.sum(Order.weight_grams), 0),
               func.coalesce(func.sum(func.cast(Order.status == OrderStatus.DELIVERED, db.Integer)), 0))
        .join(Order, Order.id == Donation.order_id)
        .where(Donation.campaign_id == campaign.id, Order.status.notin_((OrderStatus.CANCELLED, OrderStatus.REJECTED)))
    ).one()
    return {"donations": int(row[0]), "kilograms": int(row[1]) / 1000, "delivered": int(row[2]),
            "budget": campaign.budget, "spent": campaign.spent, "remaining": campaign.remaining}


def eligible_listings(campaign: Campaign) -> list[Listing]:
    """The campaign's goods on sale, with the household and ward the page names (one statement)."""
    return list(db.session.scalars(
        select(Listing).join(CampaignListing, CampaignListing.listing_id == Listing.id)
        .where(CampaignListing.campaign_id == campaign.id, Listing.status == ListingStatus.ACTIVE)
        .options(joinedload(Listing.household).joinedload(Household.ward))
        .order_by(Listing.title)
    ))


def by_slug(slug: str, *, with_recipients: bool = False) -> Campaign | None:
    """The campaign; `with_recipients` also loads its recipients with their addresses and wards (its public page)."""
    stmt = select(Campaign).where(Campaign.slug == slug)
    if with_recipients:
        stmt = stmt.options(selectinload(Campaign.recipients).joinedload(Recipient.address)
                            .joinedload(DigitalAddress.ward))
    return db.session.scalar(stmt)


def all_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc())))


# --- conservation (flask ledger check) -------------------------------------------------------------------------


def budget_problems():
    """Every campaign's budget equals its grants and its spending its shipping less releases, within the budget;
    every donation took exactly its subsidy and gave it back when its order was withdrawn; a donation's order was
    charged the tariff less the subsidy."""
    sums = {
        (cid, kind): int(total)
        for cid, kind, total in db.session.execute(
            select(BudgetEntry.campaign_id, BudgetEntry.kind, func.sum(BudgetEntry.amount))
            .group_by(BudgetEntry.campaign_id, BudgetEntry.kind))
    }
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.id)):
        grants = sums.get((campaign.id, BudgetKind.GRANT), 0)
        spent = -sums.get((campaign.id, BudgetKind.SHIPPING), 0) - sums.get((campaign.id, BudgetKind.RELEASE), 0)
        if campaign.budget != grants:
            yield f"campaign {campaign.slug}: budget {campaign.budget} ≠ grants {grants}"
        if campaign.spent != spent:
            yield f"campaign {campaign.slug}: spent {campaign.spent} ≠ shipping − releases {spent}"
        if spent > grants:
            yield f"campaign {campaign.slug}: spent {spent} > budget {grants}"
    entries = {}
    for order_id, kind, total in db.session.execute(
            select(BudgetEntry.order_id, BudgetEntry.kind, func.sum(BudgetEntry.amount))
            .where(BudgetEntry.order_id.is_not(None)).group_by(BudgetEntry.order_id, BudgetEntry.kind)):
        entries[(order_id, kind)] = int(total)
    rows = db.session.execute(select(Donation, Order.status, Order.shipping_fee)
                              .join(Order, Order.id == Donation.order_id).execution_options(yield_per=1000))
    for donation, status, shipping_fee in rows:
        number = f"DH{donation.order_id:06d}"
        if entries.get((donation.order_id, BudgetKind.SHIPPING), 0) != -donation.subsidy:
            taken = entries.get((donation.order_id, BudgetKind.SHIPPING), 0)
            yield f"{number}: campaign shipping {taken} ≠ −{donation.subsidy}"
        withdrawn = status in (OrderStatus.CANCELLED, OrderStatus.REJECTED)
        released = entries.get((donation.order_id, BudgetKind.RELEASE), 0)
        if released != (donation.subsidy if withdrawn and donation.subsidy else 0):
            yield f"{number}: campaign release {released} for an order that is {status.value}"
        if shipping_fee + donation.subsidy != donation.tariff_fee:
            yield f"{number}: shipping {shipping_fee} + campaign {donation.subsidy} ≠ tariff {donation.tariff_fee}"


from marketplace.orders.conservation import EXTRA_RULES  # noqa: E402

if budget_problems not in EXTRA_RULES:
    EXTRA_RULES.append(budget_problems)
