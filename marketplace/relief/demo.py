"""The disaster-mode side of the demo (idempotent): island addresses, priority categories, a relief campaign draft.

Nothing is declared: `make run` shows the walk of issue 16 — an administrator declares a flood over a few demo wards
(`/admin/su-kien`) and closes a post office, and the campaign below is opened when it has a budget."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Listing, ListingStatus
from marketplace.extensions import db
from marketplace.postal.addresses import create_address
from marketplace.relief import campaigns
from marketplace.relief.models import Campaign, PriorityCategory, Recipient

#: (name, phone, ward, lat, lng, address line): commune committees on the islands
ISLAND_RECIPIENTS = (
    ("UBND Đặc khu Phú Quốc", "0297384601", 31078, 10.2170, 103.9600, "Số 1 Hùng Vương, Dương Đông"),
    ("UBND Đặc khu Côn Đảo", "0254383002", 26732, 8.6826, 106.6081, "Số 1 Tôn Đức Thắng, Côn Sơn"),
    ("Trạm y tế An Thới", "0297384602", 31078, 10.0136, 104.0093, "Khu phố 1, An Thới"),
)
PRIORITY_SLUGS = ("gao-ngu-coc", "rau-cu", "thuy-hai-san-kho")
CAMPAIGN_TITLE = "Hỗ trợ bà con vùng lũ miền Tây"  # a draft until an administrator opens it


def ensure_demo_relief(admin: User) -> Campaign:
    """Priority categories, the island recipients' digital addresses and a draft campaign with them and a few goods
    from households (none of the demo's own wards is declared affected). Returns the campaign."""
    if not db.session.scalar(select(PriorityCategory.category_id).limit(1)):
        for category in db.session.scalars(select(Category).where(Category.slug.in_(PRIORITY_SLUGS))):
            db.session.add(PriorityCategory(category_id=category.id))
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == CAMPAIGN_TITLE))
    if campaign is None:
        campaign = campaigns.create(admin, campaigns.CampaignData(
            title=CAMPAIGN_TITLE, description="Gạo, mì, nước sạch cho bà con các đặc khu đảo và vùng ngập; "
            "phí chuyển phát do chiến dịch chi trả (tối đa 30 kg, 1 m mỗi bưu gửi)."))
    known = {r.name for r in campaign.recipients}
    for name, phone, ward, lat, lng, line in ISLAND_RECIPIENTS:
        address = create_address(None, lat, lng, ward, line)
        if name not in known:
            db.session.add(Recipient(campaign_id=campaign.id, name=name, phone="+84" + phone[1:],
                                     digital_address_id=address.id, approved_by_id=admin.id,
                                     approved_at=address.created_at))
    if not campaign.listings:
        goods = db.session.scalars(
            select(Listing).join(Category, Category.id == Listing.category_id)
            .where(Category.slug.in_(PRIORITY_SLUGS), Listing.status == ListingStatus.ACTIVE)
            .order_by(Listing.id).limit(4))
        for listing in goods:
            campaigns.add_listing(admin, campaign, listing)
    db.session.flush()
    return campaign
