"""Search: a narrow search_documents row (folded text with positions, title words exact and folded, no ranking
vectors) and facet counts kept by triggers, so a query over 100,000 listings stays within 25 ms.

Existing rows are converted in place (an approximation of what the app writes; `flask search rebuild` rewrites
them exactly). On SQLite nothing changes: the Whoosh backend keeps its index on disk.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FACETS = ("category_id", "province_code", "availability", "certs")
_KEY = ", ".join(FACETS)

# Statement-level triggers keep search_facet_counts equal to `SELECT <facets>, count(*) FROM search_documents
# GROUP BY <facets>`. Each statement adds its net change per combination in key order, in the same transaction as
# the documents, so the counts are never ahead of or behind the rows they count.
_COUNT_FUNCTION = f"""
CREATE FUNCTION search_facet_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_facet_counts AS c ({_KEY}, n)
      SELECT {_KEY}, count(*) FROM new_rows GROUP BY {_KEY} ORDER BY {_KEY}
      ON CONFLICT ({_KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO search_facet_counts AS c ({_KEY}, n)
      SELECT {_KEY}, -count(*) FROM old_rows GROUP BY {_KEY} ORDER BY {_KEY}
      ON CONFLICT ({_KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSE
    INSERT INTO search_facet_counts AS c ({_KEY}, n)
      SELECT {_KEY}, sum(delta) FROM (
        SELECT {_KEY}, 1 AS delta FROM new_rows UNION ALL SELECT {_KEY}, -1 FROM old_rows
      ) changes GROUP BY {_KEY} HAVING sum(delta) <> 0 ORDER BY {_KEY}
      ON CONFLICT ({_KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.add_column("search_documents", sa.Column("title_e", postgresql.TSVECTOR(), nullable=True))
    op.add_column("search_documents", sa.Column("title_f", postgresql.TSVECTOR(), nullable=True))
    op.add_column("search_documents", sa.Column("doc_f", postgresql.TSVECTOR(), nullable=True))
    op.execute(
        """
        UPDATE search_documents SET
          title_e = strip(to_tsvector('simple', lower(title))),
          title_f = strip(to_tsvector('simple', search_fold(title))),
          doc_f = setweight(tsv_f, 'D')
        """
    )
    for name in ("title_e", "title_f", "doc_f"):
        op.alter_column("search_documents", name, nullable=False)
    op.drop_index("ix_search_documents_tsv_f", table_name="search_documents")
    op.drop_column("search_documents", "tsv")
    op.drop_column("search_documents", "tsv_f")
    op.drop_column("search_documents", "title")
    op.create_index("ix_search_documents_doc_f", "search_documents", ["doc_f"], postgresql_using="gin")
    op.create_index("ix_search_documents_title_f", "search_documents", ["title_f"], postgresql_using="gin")
    op.create_index("ix_search_documents_title_e", "search_documents", ["title_e"], postgresql_using="gin")
    op.create_index("ix_search_documents_price_per_kg", "search_documents", ["price_per_kg"])

    # completions of the last word typed: a LIKE 'prefix%' range on the words' folded forms, in byte order
    op.execute('CREATE INDEX ix_search_words_folded_c ON search_words (folded COLLATE "C")')
    op.create_table(
        "search_facet_counts",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("availability", sa.String(length=16), nullable=False),
        sa.Column("certs", sa.String(length=60), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*FACETS, name=op.f("pk_search_facet_counts")),
    )
    op.execute(
        f"INSERT INTO search_facet_counts ({_KEY}, n) SELECT {_KEY}, count(*) FROM search_documents GROUP BY {_KEY}"
    )
    op.execute(_COUNT_FUNCTION)
    for event, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER search_facet_counts_{event.lower()} AFTER {event} ON search_documents"
            f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION search_facet_counts_apply()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS search_facet_counts_{event} ON search_documents")
    op.execute("DROP FUNCTION IF EXISTS search_facet_counts_apply()")
    op.drop_table("search_facet_counts")
    op.drop_index("ix_search_words_folded_c", table_name="search_words")
    op.add_column("search_documents", sa.Column("title", sa.Text(), nullable=True))
    op.add_column("search_documents", sa.Column("tsv", postgresql.TSVECTOR(), nullable=True))
    op.add_column("search_documents", sa.Column("tsv_f", postgresql.TSVECTOR(), nullable=True))
    op.execute(
        """
        UPDATE search_documents d SET title = l.title,
          tsv = setweight(to_tsvector('simple', lower(l.title)), 'A'), tsv_f = d.doc_f
        FROM listings l WHERE l.id = d.listing_id
        """
    )
    for name in ("title", "tsv", "tsv_f"):
        op.alter_column("search_documents", name, nullable=False)
    for name in ("doc_f", "title_f", "title_e", "price_per_kg"):
        op.drop_index(f"ix_search_documents_{name}", table_name="search_documents")
    for name in ("doc_f", "title_f", "title_e"):
        op.drop_column("search_documents", name)
    op.create_index("ix_search_documents_tsv_f", "search_documents", ["tsv_f"], postgresql_using="gin")
