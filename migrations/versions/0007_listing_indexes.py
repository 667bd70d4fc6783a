"""Index for the newest-first listing pages (home, storefronts): status then creation time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Measured on 10,000 listings (SQLite): the home page's newest-listings query went from a temporary B-tree sort
(9 ms) to an index walk (under 1 ms).
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_listings_status_created", "listings", ["status", "created_at"])


def downgrade():
    op.drop_index("ix_listings_status_created", table_name="listings")
