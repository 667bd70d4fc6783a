"""Search at a million listings: ordering indexes that end in the listing id, and per category and province

Revision ID: 0014
Revises: 0013

The PostgreSQL backend reads common searches by walking an ordering index (postgres_query.py). Ordered by
(created, listing_id) the walk stops after a page of matches; on `created` alone PostgreSQL sorted every match
first (2 s for `ca phe` at 1M). The window each search reads first is the newest documents of its scope: all, a
category or a province, one index range each. On SQLite nothing changes (the Whoosh backend has its own index).
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

NEW = {
    "ix_search_documents_created_id": ["created", "listing_id"],
    "ix_search_documents_price_id": ["price", "listing_id"],
    "ix_search_documents_ppk_id": ["price_per_kg", "listing_id"],
    "ix_search_documents_category_created": ["category_id", "created", "listing_id"],
    "ix_search_documents_province_created": ["province_code", "created", "listing_id"],
    "ix_search_documents_category_price": ["category_id", "price", "listing_id"],
    "ix_search_documents_province_price": ["province_code", "price", "listing_id"],
}
OLD = {
    "ix_search_documents_created": ["created"],
    "ix_search_documents_price": ["price"],
    "ix_search_documents_price_per_kg": ["price_per_kg"],
    "ix_search_documents_category_id": ["category_id"],
    "ix_search_documents_province_code": ["province_code"],
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, cols in NEW.items():
        op.create_index(name, "search_documents", cols)
    for name in OLD:
        op.drop_index(name, table_name="search_documents")
    # the facet counters are updated by every document write: vacuumed after a few hundred dead versions
    op.execute("ALTER TABLE search_facet_counts SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0,"
               " autovacuum_vacuum_threshold = 500, autovacuum_analyze_scale_factor = 0,"
               " autovacuum_analyze_threshold = 500)")
    op.execute("ANALYZE search_documents")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_facet_counts RESET (fillfactor, autovacuum_vacuum_scale_factor,"
               " autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)")
    for name, cols in OLD.items():
        op.create_index(name, "search_documents", cols)
    for name in NEW:
        op.drop_index(name, table_name="search_documents")
