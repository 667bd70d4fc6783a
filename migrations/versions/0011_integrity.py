"""integrity: staff scope, the audit log, idempotent checkouts, listing edit versions, ordered tracking, network COD

- households.service_point_id: the point a household hands its parcels in at (the staff-scope rule's key), filled
  here with the same routing as `postal.points.origin_point`, kept up to date when points are loaded;
- households.onboarded_by_id, users.password_chosen_at: who may print a temporary-password sheet;
- audit_entries: every staff action on someone else's data;
- checkouts.submission_key: one set of orders per checkout form, however often it is sent;
- listings.edit_version: a listing form saved over a newer edit is refused;
- tracking_events.applied: whether an event moved its parcel (late or early events wait, never move it backwards);
- cod_reconciliation_lines.carrier: cash handed in by the partner network (no postman of the point).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("households") as batch_op:
        batch_op.add_column(sa.Column("service_point_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("onboarded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_households_service_point_id_service_points"), "service_points", ["service_point_id"], ["id"]
        )
        batch_op.create_foreign_key(batch_op.f("fk_households_onboarded_by_id_users"), "users", ["onboarded_by_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_households_service_point_id"), ["service_point_id"], unique=False)
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("password_chosen_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("checkouts") as batch_op:
        batch_op.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_checkouts_buyer_submission", ["buyer_id", "submission_key"])
    with op.batch_alter_table("listings") as batch_op:
        batch_op.add_column(sa.Column("edit_version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("tracking_events") as batch_op:
        batch_op.add_column(sa.Column("applied", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index("ix_tracking_events_parcel_applied", ["parcel_id", "applied", "occurred_at"])
    with op.batch_alter_table("cod_reconciliation_lines") as batch_op:
        batch_op.add_column(sa.Column("carrier", sa.String(length=80), nullable=False, server_default=""))
        batch_op.alter_column("postman_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("uq_cod_reconciliation_lines_postman", type_="unique")
        batch_op.create_unique_constraint(
            "uq_cod_reconciliation_lines_carrier", ["reconciliation_id", "postman_id", "carrier"]
        )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=24), nullable=False),
        sa.Column("object_id", sa.BigInteger(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_entries_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["point_id"], ["service_points.id"], name=op.f("fk_audit_entries_point_id_service_points")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_audit_entries_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_point_id"), ["point_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_audit_entries_object", ["object_type", "object_id"], unique=False)
    _backfill()


def _backfill():
    """Serving points of existing households (same rule as postal.points.origin_point), who onboarded them (a clerk
    who verified the household within a minute of its creation: the counter's registration), and when users chose
    their password (everyone who signed up themselves)."""
    from marketplace.postal.geodata import haversine_m, ward_position

    conn = op.get_bind()
    points = conn.execute(
        sa.text("SELECT id, code, ward_code, province_code, lat, lng FROM service_points WHERE active")
    ).all()
    wards = conn.execute(
        sa.text("SELECT DISTINCT h.ward_code, w.province_code FROM households h JOIN wards w ON w.code = h.ward_code")
    ).all()
    for ward_code, province_code in wards:
        in_ward = [p for p in points if p.ward_code == ward_code]
        if in_ward:
            chosen = min(in_ward, key=lambda p: p.code)
        else:
            in_province = [p for p in points if p.province_code == province_code]
            if not in_province:
                continue
            lat, lng = ward_position(province_code, ward_code)
            chosen = min(in_province, key=lambda p: (haversine_m(lat, lng, p.lat, p.lng), p.code))
        conn.execute(
            sa.text("UPDATE households SET service_point_id = :p WHERE ward_code = :w"), {"p": chosen.id, "w": ward_code}
        )
    rows = conn.execute(
        sa.text(
            "SELECT h.id, h.verified_by_id, h.created_at, h.verified_at FROM households h "
            "JOIN users u ON u.id = h.verified_by_id WHERE u.role = 'CLERK' AND h.verified_at IS NOT NULL"
        )
    ).all()
    for hid, clerk_id, created_at, verified_at in rows:
        created = _as_datetime(created_at)
        verified = _as_datetime(verified_at)
        if created is not None and verified is not None and abs((verified - created).total_seconds()) < 60:
            conn.execute(sa.text("UPDATE households SET onboarded_by_id = :c WHERE id = :h"), {"c": clerk_id, "h": hid})
    conn.execute(
        sa.text(
            "UPDATE users SET password_chosen_at = created_at WHERE must_change_password = :f AND id NOT IN "
            "(SELECT user_id FROM households WHERE onboarded_by_id IS NOT NULL)"
        ),
        {"f": False},
    )


def _as_datetime(value):
    from datetime import UTC, datetime

    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=value.tzinfo or UTC) if value is not None else None
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def downgrade():
    op.drop_table("audit_entries")
    with op.batch_alter_table("cod_reconciliation_lines") as batch_op:
        batch_op.drop_constraint("uq_cod_reconciliation_lines_carrier", type_="unique")
        batch_op.create_unique_constraint("uq_cod_reconciliation_lines_postman", ["reconciliation_id", "postman_id"])
        batch_op.drop_column("carrier")
    with op.batch_alter_table("tracking_events") as batch_op:
        batch_op.drop_index("ix_tracking_events_parcel_applied")
        batch_op.drop_column("applied")
    with op.batch_alter_table("listings") as batch_op:
        batch_op.drop_column("edit_version")
    with op.batch_alter_table("checkouts") as batch_op:
        batch_op.drop_constraint("uq_checkouts_buyer_submission", type_="unique")
        batch_op.drop_column("submission_key")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("password_chosen_at")
    with op.batch_alter_table("households") as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_service_point_id"))
        batch_op.drop_constraint(batch_op.f("fk_households_onboarded_by_id_users"), type_="foreign key")
        batch_op.drop_constraint(batch_op.f("fk_households_service_point_id_service_points"), type_="foreign key")
        batch_op.drop_column("onboarded_by_id")
        batch_op.drop_column("service_point_id")
