"""payment rails: VietQR bank transfers, VNPay, bank accounts, payouts paid line by line

- transfer_payments: the payment code of a checkout paid by bank transfer;
- bank_transactions: every movement the bank-statement service reports (unique per provider id), matched to a
  checkout or queued for an administrator, with the part applied;
- transfer_refunds: transfers to make back by hand (administrators' tasks);
- vnpay_payments: a checkout paid through VNPay (one vnp_TxnRef each); refunds may point at one;
- bank_accounts: where a household is paid (and a buyer refunded);
- payout_items: each line is paid on its own (paid_at, paid_by_id, reference) to the bank account copied when the
  batch was made; lines of batches already paid take the batch's date.

The new payment methods and statuses are stored as enum names in existing VARCHAR columns (no constraint to change).

Revision ID: 0015
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

INTENT = sa.Enum("PENDING", "SUCCEEDED", "FAILED", "CANCELED", name="intentstatus", native_enum=False, length=16)


def upgrade():
    op.create_table(
        "transfer_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkout_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_transfer_payments_amount_positive")),
        sa.ForeignKeyConstraint(["checkout_id"], ["checkouts.id"], name=op.f("fk_transfer_payments_checkout_id_checkouts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_payments")),
        sa.UniqueConstraint("checkout_id", name=op.f("uq_transfer_payments_checkout_id")),
        sa.UniqueConstraint("code", name=op.f("uq_transfer_payments_code")),
    )
    op.create_table(
        "bank_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_id", sa.String(length=64), nullable=False),
        sa.Column("gateway", sa.String(length=60), nullable=False),
        sa.Column("account_number", sa.String(length=32), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum("MATCHED", "QUEUED", "REFUNDED", "IGNORED", name="transactionstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum("SHORT", "OVER", "LATE", "UNMATCHED", name="queuereason", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("checkout_id", sa.Integer(), nullable=True),
        sa.Column("applied", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("amount >= 0 AND applied >= 0 AND applied <= amount", name=op.f("ck_bank_transactions_amounts")),
        sa.ForeignKeyConstraint(["checkout_id"], ["checkouts.id"], name=op.f("fk_bank_transactions_checkout_id_checkouts")),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], name=op.f("fk_bank_transactions_resolved_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_transactions")),
        sa.UniqueConstraint("provider", "provider_id", name="uq_bank_transactions_provider_id"),
    )
    with op.batch_alter_table("bank_transactions") as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_transactions_checkout_id"), ["checkout_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_transactions_code"), ["code"], unique=False)
        batch_op.create_index("ix_bank_transactions_status_reason", ["status", "reason"], unique=False)
    op.create_table(
        "transfer_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("bank_transaction_id", sa.Integer(), nullable=True),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Enum("OPEN", "DONE", name="refundtaskstatus", native_enum=False, length=8), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("bank_bin", sa.String(length=6), nullable=False),
        sa.Column("account_number", sa.String(length=19), nullable=False),
        sa.Column("holder_name", sa.String(length=50), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_transfer_refunds_amount_positive")),
        sa.CheckConstraint(
            "order_id IS NOT NULL OR bank_transaction_id IS NOT NULL", name=op.f("ck_transfer_refunds_for_something")
        ),
        sa.ForeignKeyConstraint(
            ["bank_transaction_id"], ["bank_transactions.id"],
            name=op.f("fk_transfer_refunds_bank_transaction_id_bank_transactions"),
        ),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name=op.f("fk_transfer_refunds_buyer_id_users")),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"], name=op.f("fk_transfer_refunds_done_by_id_users")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_transfer_refunds_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_refunds")),
        sa.UniqueConstraint("order_id", name=op.f("uq_transfer_refunds_order_id")),
    )
    with op.batch_alter_table("transfer_refunds") as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_refunds_bank_transaction_id"), ["bank_transaction_id"])
        batch_op.create_index(batch_op.f("ix_transfer_refunds_buyer_id"), ["buyer_id"])
        batch_op.create_index(batch_op.f("ix_transfer_refunds_status"), ["status"])
    op.create_table(
        "vnpay_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkout_id", sa.Integer(), nullable=False),
        sa.Column("txn_ref", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", INTENT, nullable=False),
        sa.Column("transaction_no", sa.String(length=20), nullable=False),
        sa.Column("bank_code", sa.String(length=20), nullable=False),
        sa.Column("response_code", sa.String(length=4), nullable=False),
        sa.Column("pay_date", sa.String(length=14), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_vnpay_payments_amount_positive")),
        sa.ForeignKeyConstraint(["checkout_id"], ["checkouts.id"], name=op.f("fk_vnpay_payments_checkout_id_checkouts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vnpay_payments")),
        sa.UniqueConstraint("checkout_id", name=op.f("uq_vnpay_payments_checkout_id")),
        sa.UniqueConstraint("txn_ref", name=op.f("uq_vnpay_payments_txn_ref")),
    )
    with op.batch_alter_table("refunds") as batch_op:
        batch_op.alter_column("card_payment_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("vnpay_payment_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_refunds_vnpay_payment_id_vnpay_payments"), "vnpay_payments", ["vnpay_payment_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_refunds_vnpay_payment_id"), ["vnpay_payment_id"], unique=False)
    op.create_table(
        "bank_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bank_bin", sa.String(length=6), nullable=False),
        sa.Column("account_number", sa.String(length=19), nullable=False),
        sa.Column("holder_name", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_bank_accounts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_accounts")),
        sa.UniqueConstraint("user_id", name=op.f("uq_bank_accounts_user_id")),
    )
    with op.batch_alter_table("payout_items") as batch_op:
        batch_op.add_column(sa.Column("bank_bin", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("account_number", sa.String(length=19), nullable=True))
        batch_op.add_column(sa.Column("holder_name", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paid_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reference", sa.String(length=200), nullable=False, server_default=""))
        batch_op.create_foreign_key(batch_op.f("fk_payout_items_paid_by_id_users"), "users", ["paid_by_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_payout_items_paid_by_id"), ["paid_by_id"], unique=False)
    # lines of batches paid before lines were paid one by one: paid with their batch
    op.execute(
        "UPDATE payout_items SET paid_at = (SELECT paid_at FROM payout_batches b WHERE b.id = payout_items.batch_id), "
        "paid_by_id = (SELECT paid_by_id FROM payout_batches b WHERE b.id = payout_items.batch_id), "
        "reference = (SELECT reference FROM payout_batches b WHERE b.id = payout_items.batch_id) "
        "WHERE batch_id IN (SELECT id FROM payout_batches WHERE paid_at IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table("payout_items") as batch_op:
        batch_op.drop_index(batch_op.f("ix_payout_items_paid_by_id"))
        batch_op.drop_constraint(batch_op.f("fk_payout_items_paid_by_id_users"), type_="foreignkey")
        for column in ("reference", "paid_by_id", "paid_at", "holder_name", "account_number", "bank_bin"):
            batch_op.drop_column(column)
    op.drop_table("bank_accounts")
    with op.batch_alter_table("refunds") as batch_op:
        batch_op.drop_index(batch_op.f("ix_refunds_vnpay_payment_id"))
        batch_op.drop_constraint(batch_op.f("fk_refunds_vnpay_payment_id_vnpay_payments"), type_="foreignkey")
        batch_op.drop_column("vnpay_payment_id")
        batch_op.alter_column("card_payment_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("vnpay_payments")
    op.drop_table("transfer_refunds")
    op.drop_table("bank_transactions")
    op.drop_table("transfer_payments")
