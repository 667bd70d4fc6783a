"""Tables of the PostgreSQL search backend (created by migration 0003 on PostgreSQL only; unused on SQLite)."""

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class SearchDocument(db.Model):
    """One searchable (visible) listing: its texts as tsvectors, exact and folded, and its filter values."""

    __tablename__ = "search_documents"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    #: words with their diacritics (ranks exact matches first)
    tsv = mapped_column(TSVECTOR)
    #: words folded by search_fold() (unaccent + lower): what queries match
    tsv_f = mapped_column(TSVECTOR)
    category_id: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[int] = mapped_column(Integer)
    #: certification kinds separated by spaces (" vietgap ocop ")
    certs: Mapped[str] = mapped_column(String(60), default="")
    availability: Mapped[str] = mapped_column(String(16))
    price: Mapped[int] = mapped_column(BigInteger)
    price_per_kg: Mapped[int] = mapped_column(BigInteger)
    #: listing creation time, epoch microseconds
    created: Mapped[int] = mapped_column(BigInteger)


class SearchWord(db.Model):
    """Every word seen in titles and descriptions, for "did you mean" (trigram and edit distance on `folded`)."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(80), primary_key=True)
    folded: Mapped[str] = mapped_column(String(80), index=True)
    #: how many times it was indexed: the commonest spelling wins
    hits: Mapped[int] = mapped_column(Integer, default=1)
