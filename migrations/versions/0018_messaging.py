"""messaging: messages (idempotency key, state, provider id), the development outbox, channel preferences, provider
tokens, one-tap order links, the escalation ladder of unconfirmed orders; service_points.phone.

Revision ID: 0018_msg
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_msg"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("plan", sa.String(length=80), nullable=False),
        sa.Column("step", sa.Integer(), server_default="0", nullable=False),
        sa.Column("state", sa.Enum("QUEUED", "SENDING", "SENT", "FAILED", name="messagestate", native_enum=False,
                                   length=8), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("provider_id", sa.String(length=80), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_messages_user_id_users", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_messages_order_id_orders", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.UniqueConstraint("key", name="uq_messages_key"),
    )
    op.create_index("ix_messages_user_id", "messages", ["user_id"])
    op.create_index("ix_messages_order_id", "messages", ["order_id"])
    op.create_index("ix_messages_state_created", "messages", ["state", "created_at"])
    op.create_table(
        "message_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name="fk_message_outbox_message_id_messages",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_message_outbox"),
    )
    op.create_index("ix_message_outbox_message_id", "message_outbox", ["message_id"])
    op.create_index("ix_message_outbox_created_at", "message_outbox", ["created_at"])
    op.create_table(
        "message_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("zalo", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("sms", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("email", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("stopped", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_message_preferences_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name="pk_message_preferences"),
    )
    op.create_table(
        "provider_tokens",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_provider_tokens"),
    )
    op.create_table(
        "one_tap_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jti", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_one_tap_links_order_id_orders",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_one_tap_links"),
        sa.UniqueConstraint("jti", name="uq_one_tap_links_jti"),
    )
    op.create_index("ix_one_tap_links_order_id", "one_tap_links", ["order_id"])
    op.create_table(
        "order_escalations",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("called_by_id", sa.Integer(), nullable=True),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("call_note", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_order_escalations_order_id_orders",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["called_by_id"], ["users.id"], name="fk_order_escalations_called_by_id_users"),
        sa.PrimaryKeyConstraint("order_id", name="pk_order_escalations"),
    )
    op.create_index("ix_order_escalations_escalated_at", "order_escalations", ["escalated_at"])
    op.create_index("ix_order_escalations_called_by_id", "order_escalations", ["called_by_id"])
    with op.batch_alter_table("service_points") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("service_points") as batch:
        batch.drop_column("phone")
    op.drop_table("order_escalations")
    op.drop_table("one_tap_links")
    op.drop_table("provider_tokens")
    op.drop_table("message_preferences")
    op.drop_table("message_outbox")
    op.drop_table("messages")
