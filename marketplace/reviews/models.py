from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orders.models import OrderLine
from marketplace.timeutil import utcnow


class Review(db.Model):
    """A buyer's review of one delivered order line: 1–5 stars and optional text."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        Index("ix_reviews_listing_hidden", "listing_id", "hidden"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one review per order line
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    #: denormalised from the line, for ratings per listing and per household without joins
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    #: hidden by an administrator: not shown and not counted in ratings
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    hidden_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    line: Mapped[OrderLine] = relationship()
    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    answer: Mapped["ReviewAnswer | None"] = relationship(back_populates="review", uselist=False)
    photos: Mapped[list["ReviewPhoto"]] = relationship(
        back_populates="review", order_by="ReviewPhoto.position", cascade="all, delete-orphan"
    )


class ReviewPhoto(db.Model):
    """A photo the buyer took of what arrived (re-encoded WebP under UPLOAD_DIR/reviews)."""

    __tablename__ = "review_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(120))
    thumb: Mapped[str] = mapped_column(String(120))

    review: Mapped[Review] = relationship(back_populates="photos")


class ReviewAnswer(db.Model):
    """The household's public answer to a review (one per review)."""

    __tablename__ = "review_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    review: Mapped[Review] = relationship(back_populates="answer")
