"""relief: disaster events, service-point status, delays, notices, priority, campaigns, rescue drives, pickup,
digital-address codes that decode anywhere

- disaster_events (+ _wards, delay_rules), priority_categories, order_relief_notices;
- relief_campaigns, relief_recipients, relief_campaign_listings, relief_budget_entries (the campaign's ledger),
  relief_donations; rescue_drives, rescue_drive_households, rescue_fee_bands, rescue_orders;
- service_points.status / alternate_point_id / status_note / status_changed_at;
- parcels.priority, pickup, pickup_code, arrived_for_pickup_at, index (recipient_ward_code, status);
- checkouts.pickup_point_id; notifications.detail;
- digital_addresses.legacy_code: every address gets the 15-character code of postal/addresses.py (the full plus code
  less its country-wide first two characters), its 13-character code kept there and still accepted.

Revision ID: 0017
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

OLC_DIGITS = "23456789CFGHJMPQRVWX"
BODY_ALPHABET = "0123456789CFGHJMPQRVWX"
CHECK_ALPHABET = BODY_ALPHABET + "K"


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _new_code(lat: float, lng: float, ward_code: int) -> str:
    """The code of postal/addresses.py as it is at this revision (frozen here: migrations do not follow the app)."""
    from openlocationcode import openlocationcode as olc

    plus = olc.encode(lat, lng, 11).replace("+", "")
    body = f"{ward_code:05d}{plus[2:]}"
    p = 0
    for ch in body:
        p = ((p + BODY_ALPHABET.index(ch)) * 2) % 23
    compact = body + CHECK_ALPHABET[(24 - p) % 23]
    return f"{compact[:5]}-{compact[5:10]}-{compact[10:]}"


def upgrade():
    op.create_table(
        "disaster_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("eventkind", "FLOOD", "TYPHOON", "EPIDEMIC", "OTHER"), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("severity", _enum("severity", "WATCH", "WARNING", "EMERGENCY"), nullable=False),
        sa.Column("checkout_rule", _enum("checkoutrule", "WARN", "PRIORITY_ONLY", "BLOCK"), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatch", sa.String(length=200), nullable=False),
        sa.Column("public_note", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_disaster_events_created_by_id_users"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disaster_events"),
    )
    op.create_index("ix_disaster_events_closed_at", "disaster_events", ["closed_at"])
    op.create_index("ix_disaster_events_created_by_id", "disaster_events", ["created_by_id"])
    op.create_table(
        "disaster_event_wards",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("disaster_events.id", ondelete="CASCADE",
                                                         name="fk_disaster_event_wards_event_id_disaster_events"),
                  nullable=False),
        sa.Column("ward_code", sa.Integer(), sa.ForeignKey("wards.code", name="fk_disaster_event_wards_ward_code_wards"),
                  nullable=False),
        sa.PrimaryKeyConstraint("event_id", "ward_code", name="pk_disaster_event_wards"),
    )
    op.create_index("ix_disaster_event_wards_ward_code", "disaster_event_wards", ["ward_code"])
    area = ("ANY", "AFFECTED", "PROVINCE")
    op.create_table(
        "delay_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("disaster_events.id", ondelete="CASCADE",
                                                         name="fk_delay_rules_event_id_disaster_events"),
                  nullable=False),
        sa.Column("from_kind", _enum("areakind", *area), nullable=False),
        sa.Column("from_province_code", sa.Integer(),
                  sa.ForeignKey("provinces.code", name="fk_delay_rules_from_province_code_provinces"), nullable=True),
        sa.Column("to_kind", _enum("areakind", *area), nullable=False),
        sa.Column("to_province_code", sa.Integer(),
                  sa.ForeignKey("provinces.code", name="fk_delay_rules_to_province_code_provinces"), nullable=True),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("categories.id", name="fk_delay_rules_category_id_categories"),
                  nullable=True),
        sa.Column("extra_days", sa.Integer(), nullable=False),
        sa.CheckConstraint("extra_days BETWEEN 0 AND 60", name=op.f("ck_delay_rules_extra_days_range")),
        sa.PrimaryKeyConstraint("id", name="pk_delay_rules"),
    )
    op.create_index("ix_delay_rules_event_id", "delay_rules", ["event_id"])
    op.create_table(
        "priority_categories",
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("categories.id", ondelete="CASCADE",
                                                            name="fk_priority_categories_category_id_categories"),
                  nullable=False),
        sa.PrimaryKeyConstraint("category_id", name="pk_priority_categories"),
    )
    op.create_table(
        "order_relief_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE",
                                                         name="fk_order_relief_notices_order_id_orders"),
                  nullable=False),
        sa.Column("event_id", sa.Integer(),
                  sa.ForeignKey("disaster_events.id", name="fk_order_relief_notices_event_id_disaster_events"),
                  nullable=True),
        sa.Column("action", _enum("noticeaction", "HOLD", "DELIVER_BY", "REROUTE", "CANCEL", "RELEASE"), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("deliver_by", sa.Date(), nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_order_relief_notices_actor_id_users"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_order_relief_notices"),
    )
    op.create_index("ix_order_relief_notices_order", "order_relief_notices", ["order_id", "id"])
    op.create_index("ix_order_relief_notices_event_id", "order_relief_notices", ["event_id"])
    op.create_index("ix_order_relief_notices_actor_id", "order_relief_notices", ["actor_id"])

    status = ("DRAFT", "OPEN", "CLOSED")
    op.create_table(
        "relief_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(),
                  sa.ForeignKey("disaster_events.id", name="fk_relief_campaigns_event_id_disaster_events"), nullable=True),
        sa.Column("status", _enum("campaignstatus", *status), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.Column("flat_fee", sa.BigInteger(), nullable=False),
        sa.Column("max_weight_grams", sa.Integer(), nullable=False),
        sa.Column("max_side_cm", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_relief_campaigns_created_by_id_users"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("budget >= 0 AND spent >= 0 AND spent <= budget", name=op.f("ck_relief_campaigns_budget_not_overspent")),
        sa.CheckConstraint("flat_fee >= 0", name=op.f("ck_relief_campaigns_flat_fee_not_negative")),
        sa.CheckConstraint("max_weight_grams BETWEEN 1 AND 30000", name=op.f("ck_relief_campaigns_weight_limit")),
        sa.CheckConstraint("max_side_cm BETWEEN 1 AND 100", name=op.f("ck_relief_campaigns_size_limit")),
        sa.PrimaryKeyConstraint("id", name="pk_relief_campaigns"),
        sa.UniqueConstraint("slug", name="uq_relief_campaigns_slug"),
    )
    op.create_index("ix_relief_campaigns_event_id", "relief_campaigns", ["event_id"])
    op.create_index("ix_relief_campaigns_created_by_id", "relief_campaigns", ["created_by_id"])
    op.create_table(
        "relief_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("relief_campaigns.id", ondelete="CASCADE",
                                                            name="fk_relief_recipients_campaign_id_relief_campaigns"),
                  nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("digital_address_id", sa.Integer(),
                  sa.ForeignKey("digital_addresses.id", name="fk_relief_recipients_digital_address_id_digital_addresses"),
                  nullable=False),
        sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_relief_recipients_approved_by_id_users"),
                  nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_relief_recipients"),
    )
    op.create_index("ix_relief_recipients_campaign_id", "relief_recipients", ["campaign_id"])
    op.create_table(
        "relief_campaign_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("relief_campaigns.id", ondelete="CASCADE",
                                                            name="fk_relief_campaign_listings_campaign_id_relief_campaigns"),
                  nullable=False),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id", name="fk_relief_campaign_listings_listing_id_listings"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relief_campaign_listings"),
        sa.UniqueConstraint("campaign_id", "listing_id", name="uq_relief_campaign_listings"),
    )
    op.create_index("ix_relief_campaign_listings_campaign_id", "relief_campaign_listings", ["campaign_id"])
    op.create_index("ix_relief_campaign_listings_listing_id", "relief_campaign_listings", ["listing_id"])
    op.create_table(
        "relief_budget_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(),
                  sa.ForeignKey("relief_campaigns.id", name="fk_relief_budget_entries_campaign_id_relief_campaigns"),
                  nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", name="fk_relief_budget_entries_order_id_orders"),
                  nullable=True),
        sa.Column("kind", _enum("budgetkind", "GRANT", "SHIPPING", "RELEASE"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_relief_budget_entries_actor_id_users"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relief_budget_entries"),
    )
    op.create_index("ix_relief_budget_entries_campaign_id", "relief_budget_entries", ["campaign_id"])
    op.create_index("ix_relief_budget_entries_order_id", "relief_budget_entries", ["order_id"])
    op.create_table(
        "relief_donations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(),
                  sa.ForeignKey("relief_campaigns.id", name="fk_relief_donations_campaign_id_relief_campaigns"),
                  nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", name="fk_relief_donations_order_id_orders"),
                  nullable=False),
        sa.Column("recipient_id", sa.Integer(),
                  sa.ForeignKey("relief_recipients.id", name="fk_relief_donations_recipient_id_relief_recipients"),
                  nullable=False),
        sa.Column("tariff_fee", sa.BigInteger(), nullable=False),
        sa.Column("subsidy", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relief_donations"),
        sa.UniqueConstraint("order_id", name="uq_relief_donations_order_id"),
    )
    op.create_index("ix_relief_donations_campaign_id", "relief_donations", ["campaign_id"])
    op.create_index("ix_relief_donations_recipient_id", "relief_donations", ["recipient_id"])
    op.create_table(
        "rescue_drives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(),
                  sa.ForeignKey("disaster_events.id", name="fk_rescue_drives_event_id_disaster_events"), nullable=True),
        sa.Column("collection_day", sa.Date(), nullable=False),
        sa.Column("status", _enum("campaignstatus", *status), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_rescue_drives_created_by_id_users"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rescue_drives"),
        sa.UniqueConstraint("slug", name="uq_rescue_drives_slug"),
    )
    op.create_index("ix_rescue_drives_event_id", "rescue_drives", ["event_id"])
    op.create_index("ix_rescue_drives_created_by_id", "rescue_drives", ["created_by_id"])
    op.create_table(
        "rescue_drive_households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drive_id", sa.Integer(), sa.ForeignKey("rescue_drives.id", ondelete="CASCADE",
                                                         name="fk_rescue_drive_households_drive_id_rescue_drives"),
                  nullable=False),
        sa.Column("household_id", sa.Integer(),
                  sa.ForeignKey("households.id", name="fk_rescue_drive_households_household_id_households"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rescue_drive_households"),
        sa.UniqueConstraint("drive_id", "household_id", name="uq_rescue_drive_households"),
    )
    op.create_index("ix_rescue_drive_households_drive_id", "rescue_drive_households", ["drive_id"])
    op.create_index("ix_rescue_drive_households_household_id", "rescue_drive_households", ["household_id"])
    op.create_table(
        "rescue_fee_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drive_id", sa.Integer(), sa.ForeignKey("rescue_drives.id", ondelete="CASCADE",
                                                         name="fk_rescue_fee_bands_drive_id_rescue_drives"),
                  nullable=False),
        sa.Column("max_grams", sa.Integer(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("max_grams BETWEEN 1 AND 30000 AND fee >= 0", name=op.f("ck_rescue_fee_bands_band_range")),
        sa.PrimaryKeyConstraint("id", name="pk_rescue_fee_bands"),
        sa.UniqueConstraint("drive_id", "max_grams", name="uq_rescue_fee_bands"),
    )
    op.create_index("ix_rescue_fee_bands_drive_id", "rescue_fee_bands", ["drive_id"])
    op.create_table(
        "rescue_orders",
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE",
                                                         name="fk_rescue_orders_order_id_orders"), nullable=False),
        sa.Column("drive_id", sa.Integer(), sa.ForeignKey("rescue_drives.id", name="fk_rescue_orders_drive_id_rescue_drives"),
                  nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_rescue_orders"),
    )
    op.create_index("ix_rescue_orders_drive_id", "rescue_orders", ["drive_id"])

    with op.batch_alter_table("service_points") as batch_op:
        batch_op.add_column(sa.Column("status", _enum("pointstatus", "OPEN", "CLOSED", "MOVED"), nullable=False,
                                      server_default="OPEN"))
        batch_op.add_column(sa.Column("alternate_point_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("status_note", sa.String(length=300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key("fk_service_points_alternate_point_id_service_points", "service_points",
                                    ["alternate_point_id"], ["id"])
    with op.batch_alter_table("parcels") as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("pickup", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("pickup_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("arrived_for_pickup_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_parcels_arrived_for_pickup_at", ["arrived_for_pickup_at"])
        batch_op.create_index("ix_parcels_recipient_ward_status", ["recipient_ward_code", "status"])
    with op.batch_alter_table("checkouts") as batch_op:
        batch_op.add_column(sa.Column("pickup_point_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_checkouts_pickup_point_id_service_points", "service_points",
                                    ["pickup_point_id"], ["id"])
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("detail", sa.String(length=300), nullable=False, server_default=""))
    with op.batch_alter_table("digital_addresses") as batch_op:
        batch_op.add_column(sa.Column("legacy_code", sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint("uq_digital_addresses_legacy_code", ["legacy_code"])

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, code, lat, lng, ward_code FROM digital_addresses")).all()
    for row in rows:
        if len(row.code.replace("-", "")) != 13:
            continue
        conn.execute(
            sa.text("UPDATE digital_addresses SET legacy_code = :old, code = :new WHERE id = :id"),
            {"old": row.code, "new": _new_code(row.lat, row.lng, row.ward_code), "id": row.id},
        )


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE digital_addresses SET code = legacy_code WHERE legacy_code IS NOT NULL"))
    with op.batch_alter_table("digital_addresses") as batch_op:
        batch_op.drop_constraint("uq_digital_addresses_legacy_code", type_="unique")
        batch_op.drop_column("legacy_code")
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("detail")
    with op.batch_alter_table("checkouts") as batch_op:
        batch_op.drop_constraint("fk_checkouts_pickup_point_id_service_points", type_="foreignkey")
        batch_op.drop_column("pickup_point_id")
    with op.batch_alter_table("parcels") as batch_op:
        batch_op.drop_index("ix_parcels_recipient_ward_status")
        batch_op.drop_index("ix_parcels_arrived_for_pickup_at")
        for column in ("arrived_for_pickup_at", "pickup_code", "pickup", "priority"):
            batch_op.drop_column(column)
    with op.batch_alter_table("service_points") as batch_op:
        batch_op.drop_constraint("fk_service_points_alternate_point_id_service_points", type_="foreignkey")
        for column in ("status_changed_at", "status_note", "alternate_point_id", "status"):
            batch_op.drop_column(column)
    for table in ("rescue_orders", "rescue_fee_bands", "rescue_drive_households", "rescue_drives", "relief_donations",
                  "relief_budget_entries", "relief_campaign_listings", "relief_recipients", "relief_campaigns",
                  "order_relief_notices", "priority_categories", "delay_rules", "disaster_event_wards",
                  "disaster_events"):
        op.drop_table(table)
