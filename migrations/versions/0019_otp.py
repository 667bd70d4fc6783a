"""one_time_codes: sign-in, sign-up and password reset by a code sent to the phone (one live code per phone and
purpose, kept as an HMAC, with expiry and a try count).

Revision ID: 0019_otp
Revises: 0018_msg
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_otp"
down_revision = "0018_msg"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.Enum("SIGN_IN", "RESET", name="codepurpose", native_enum=False, length=16),
                  nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("sends", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_one_time_codes_attempts_not_negative")),
        sa.CheckConstraint("sends >= 1", name=op.f("ck_one_time_codes_sends_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_codes")),
        sa.UniqueConstraint("phone", "purpose", name=op.f("uq_one_time_codes_phone")),
    )


def downgrade():
    op.drop_table("one_time_codes")
