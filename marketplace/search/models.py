"""Tables of the PostgreSQL search backend (created by migrations 0003 and 0008 on PostgreSQL only; unused on
SQLite)."""

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class SearchDocument(db.Model):
    """One searchable (visible) listing: a narrow row, so counting thousands of matches reads few pages."""

    __tablename__ = "search_documents"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    #: title words as typed (lower case, diacritics kept), no positions: ranks exact matches first
    title_e = mapped_column(TSVECTOR)
    #: title words folded (no diacritics, đ → d), no positions: ranks title matches before body matches
    title_f = mapped_column(TSVECTOR)
    #: every searched word folded, with positions (a gap between fields): what queries and phrases match
    doc_f = mapped_column(TSVECTOR)
    category_id: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[int] = mapped_column(Integer)
    #: certification kinds separated by spaces (" vietgap ocop ")
    certs: Mapped[str] = mapped_column(String(60), default="")
    availability: Mapped[str] = mapped_column(String(16))
    price: Mapped[int] = mapped_column(BigInteger)
    price_per_kg: Mapped[int] = mapped_column(BigInteger)
    #: listing creation time, epoch microseconds
    created: Mapped[int] = mapped_column(BigInteger)


class SearchFacetCount(db.Model):
    """How many documents have each (category, province, availability, certifications) combination; kept by
    statement triggers on search_documents. Facet counts of a search without words read this, not the documents."""

    __tablename__ = "search_facet_counts"

    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[int] = mapped_column(Integer, primary_key=True)
    availability: Mapped[str] = mapped_column(String(16), primary_key=True)
    certs: Mapped[str] = mapped_column(String(60), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class SearchWord(db.Model):
    """Every word seen in titles and descriptions, for "did you mean" (trigram and edit distance on `folded`)."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(80), primary_key=True)
    folded: Mapped[str] = mapped_column(String(80), index=True)
    #: how many documents it was seen in (at the last rebuild, plus each write since): the commonest spelling wins
    hits: Mapped[int] = mapped_column(Integer, default=1)
