"""postal last mile wired to orders: parcels.order_id FK, checkout digital address, COD reconciliation

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-29 05:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cod_reconciliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("expected", sa.BigInteger(), nullable=False),
        sa.Column("reported", sa.BigInteger(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "expected >= 0 AND reported >= 0",
            name=op.f("ck_cod_reconciliations_amounts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["users.id"],
            name=op.f("fk_cod_reconciliations_closed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["service_points.id"],
            name=op.f("fk_cod_reconciliations_point_id_service_points"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cod_reconciliations")),
        sa.UniqueConstraint("point_id", "day", name="uq_cod_reconciliations_point_day"),
    )
    with op.batch_alter_table("cod_reconciliations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cod_reconciliations_point_id"), ["point_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cod_reconciliations_closed_by_id"),
            ["closed_by_id"],
            unique=False,
        )

    op.create_table(
        "cod_reconciliation_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reconciliation_id", sa.Integer(), nullable=False),
        sa.Column("postman_id", sa.Integer(), nullable=False),
        sa.Column("parcels", sa.Integer(), nullable=False),
        sa.Column("expected", sa.BigInteger(), nullable=False),
        sa.Column("reported", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "expected >= 0 AND reported >= 0 AND parcels >= 0",
            name=op.f("ck_cod_reconciliation_lines_amounts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["postman_id"],
            ["users.id"],
            name=op.f("fk_cod_reconciliation_lines_postman_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["reconciliation_id"],
            ["cod_reconciliations.id"],
            name=op.f("fk_cod_reconciliation_lines_reconciliation_id_cod_reconciliations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cod_reconciliation_lines")),
        sa.UniqueConstraint(
            "reconciliation_id",
            "postman_id",
            name="uq_cod_reconciliation_lines_postman",
        ),
    )
    with op.batch_alter_table("cod_reconciliation_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cod_reconciliation_lines_postman_id"),
            ["postman_id"],
            unique=False,
        )

    op.create_table(
        "payout_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_payout_batches_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"],
            ["users.id"],
            name=op.f("fk_payout_batches_paid_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_batches")),
    )
    with op.batch_alter_table("payout_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payout_batches_created_by_id"),
            ["created_by_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_payout_batches_paid_by_id"), ["paid_by_id"], unique=False)
    op.create_table(
        "payout_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payout_items_amount_positive")),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["payout_batches.id"],
            name=op.f("fk_payout_items_batch_id_payout_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_payout_items_household_id_households"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_items")),
        sa.UniqueConstraint("batch_id", "household_id", name="uq_payout_items_household"),
    )
    with op.batch_alter_table("payout_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payout_items_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payout_items_household_id"), ["household_id"], unique=False)

    op.create_table(
        "tariff_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rate_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("old_value", sa.BigInteger(), nullable=False),
        sa.Column("new_value", sa.BigInteger(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_tariff_changes_changed_by_id_users")),
        sa.ForeignKeyConstraint(
            ["rate_id"], ["tariff_rates.id"], name=op.f("fk_tariff_changes_rate_id_tariff_rates"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_changes")),
    )
    with op.batch_alter_table("tariff_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_changes_rate_id"), ["rate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_changes_changed_by_id"), ["changed_by_id"], unique=False)

    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reconciliation_id", sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_parcels_order_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_parcels_order_id"), ["order_id"])
        batch_op.create_foreign_key(batch_op.f("fk_parcels_order_id_orders"), "orders", ["order_id"], ["id"])
        batch_op.create_index(
            batch_op.f("ix_parcels_reconciliation_id"),
            ["reconciliation_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_parcels_reconciliation_id_cod_reconciliations"),
            "cod_reconciliations",
            ["reconciliation_id"],
            ["id"],
        )

    with op.batch_alter_table("checkouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digital_address_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_checkouts_digital_address_id"),
            ["digital_address_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_checkouts_digital_address_id_digital_addresses"),
            "digital_addresses",
            ["digital_address_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("checkouts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_checkouts_digital_address_id_digital_addresses"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_checkouts_digital_address_id"))
        batch_op.drop_column("digital_address_id")

    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_parcels_reconciliation_id_cod_reconciliations"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_parcels_reconciliation_id"))
        batch_op.drop_constraint(batch_op.f("fk_parcels_order_id_orders"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_parcels_order_id"), type_="unique")
        batch_op.create_index(batch_op.f("ix_parcels_order_id"), ["order_id"], unique=False)
        batch_op.drop_column("reconciliation_id")

    op.drop_table("tariff_changes")
    op.drop_table("payout_items")
    op.drop_table("payout_batches")
    op.drop_table("cod_reconciliation_lines")
    op.drop_table("cod_reconciliations")
