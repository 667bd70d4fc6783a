"""Search: PostgreSQL full-text backend (unaccent, pg_trgm, fuzzystrmatch, folded tsvectors with GIN indexes).

On SQLite nothing is created: the Whoosh backend keeps its index on disk.

Revision ID: 0003
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    # unaccent() is only STABLE (its dictionary could change); this wrapper names the dictionary, so it can be
    # IMMUTABLE and used in stored tsvectors and indexes. Folds Vietnamese diacritics, đ → d included.
    op.execute(
        """
        CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
        """
    )
    op.create_table(
        "search_documents",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR(), nullable=False),
        sa.Column("tsv_f", postgresql.TSVECTOR(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("certs", sa.String(length=60), nullable=False),
        sa.Column("availability", sa.String(length=16), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("price_per_kg", sa.BigInteger(), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_search_documents_listing_id_listings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("listing_id", name=op.f("pk_search_documents")),
    )
    op.create_index("ix_search_documents_tsv_f", "search_documents", ["tsv_f"], postgresql_using="gin")
    op.create_index("ix_search_documents_created", "search_documents", ["created"])
    op.create_index("ix_search_documents_price", "search_documents", ["price"])
    op.create_index("ix_search_documents_category_id", "search_documents", ["category_id"])
    op.create_index("ix_search_documents_province_code", "search_documents", ["province_code"])
    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=80), nullable=False),
        sa.Column("folded", sa.String(length=80), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    op.create_index("ix_search_words_folded", "search_words", ["folded"])
    op.create_index(
        "ix_search_words_folded_trgm",
        "search_words",
        ["folded"],
        postgresql_using="gin",
        postgresql_ops={"folded": "gin_trgm_ops"},
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("search_words")
    op.drop_table("search_documents")
    op.execute("DROP FUNCTION IF EXISTS search_fold(text)")
