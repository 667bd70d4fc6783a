"""Reviews: write (buyer of a delivered line), answer (the household), hide (an administrator); ratings.

Every change recomputes the listing's denormalised `rating_avg`/`rating_count` in SQL, in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from statistics import median

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from marketplace.media import delete_photo, store_photo
from marketplace.pagecache.invalidation import note_listings
from marketplace.reviews.errors import (
    EditWindowClosed,
    InvalidAnswer,
    InvalidReview,
    NotReviewable,
    NotYourReview,
    TooManyPhotos,
)
from marketplace.reviews.models import Review, ReviewAnswer, ReviewPhoto
from marketplace.timeutil import as_utc, utcnow

#: a buyer may change a review this long after writing it; after that it stands as written
EDIT_WINDOW = timedelta(days=30)
MAX_TEXT = 2000
#: photos per review
MAX_PHOTOS = 3


def reviewable_line(buyer: User, line_id: int) -> OrderLine:
    """The order line if `buyer` bought it and its order was delivered. Raises NotReviewable otherwise."""
    line = db.session.get(OrderLine, line_id)
    if line is None or line.order.buyer_id != buyer.id or line.order.status is not OrderStatus.DELIVERED:
        raise NotReviewable()
    return line


def review_of_line(line_id: int) -> Review | None:
    return db.session.scalar(select(Review).where(Review.order_line_id == line_id))


def write_review(buyer: User, line_id: int, stars: int, body: str = "", photos: list | None = None) -> Review:
    """Create the buyer's review of a delivered line, or change it within 30 days of writing it. `photos` (PIL
    images, at most 3) replace the review's photos when given; None keeps them.

    Raises NotReviewable (not the buyer's line, or not delivered), InvalidReview (stars outside 1–5, text too long),
    TooManyPhotos, EditWindowClosed (an existing review older than 30 days).
    """
    line = reviewable_line(buyer, line_id)
    body = (body or "").strip()
    if not isinstance(stars, int) or not 1 <= stars <= 5 or len(body) > MAX_TEXT:
        raise InvalidReview()
    if photos and len(photos) > MAX_PHOTOS:
        raise TooManyPhotos()
    review = review_of_line(line.id)
    if review is None:
        review = Review(
            order_line_id=line.id,
            order_id=line.order_id,
            listing_id=line.listing_id,
            household_id=line.order.household_id,
            buyer_id=buyer.id,
            stars=stars,
            body=body,
        )
        db.session.add(review)
    else:
        if utcnow() - as_utc(review.created_at) > EDIT_WINDOW:
            raise EditWindowClosed()
        review.stars, review.body = stars, body
    removed = []
    if photos:
        removed, review.photos = list(review.photos), []
        for position, image in enumerate(photos):
            stored = store_photo(image, "reviews")
            review.photos.append(ReviewPhoto(position=position, filename=stored.filename, thumb=stored.thumb))
    db.session.flush()
    for photo in removed:
        delete_photo(photo.filename, photo.thumb)
    refresh_listing_rating(line.listing_id)
    return review


def answer_review(author: User, review_id: int, body: str) -> ReviewAnswer:
    """The household's public answer to a review of its products (a second answer replaces the first).

    Raises NotYourReview (no such review, hidden, or about another household), InvalidAnswer (empty or too long).
    """
    review = db.session.get(Review, review_id)
    household = getattr(author, "household", None)
    if review is None or review.hidden or household is None or review.household_id != household.id:
        raise NotYourReview()
    body = (body or "").strip()
    if not body or len(body) > MAX_TEXT:
        raise InvalidAnswer()
    if review.answer is None:
        review.answer = ReviewAnswer(author_id=author.id, body=body)
        from marketplace.notifications import services as notify

        notify.review_answered(review)  # the first answer only: rewording it tells nobody again
    else:
        review.answer.body = body
    db.session.flush()
    return review.answer


def set_hidden(admin: User, review_id: int, hidden: bool, reason: str = "") -> Review:
    """Hide an abusive review (not shown, not counted) or show it again. Raises NotYourReview for non-admins or
    an unknown review."""
    review = db.session.get(Review, review_id)
    if review is None or admin.role is not Role.ADMIN:
        raise NotYourReview()
    review.hidden = hidden
    review.hidden_by_id = admin.id if hidden else None
    review.hidden_reason = (reason or "")[:200] if hidden else ""
    db.session.flush()
    refresh_listing_rating(review.listing_id)
    from marketplace.staff import audit

    audit.record(admin, "review.moderate", "review", review.id,
                 f"{'hidden' if hidden else 'shown'}: {review.hidden_reason}".strip(": "),
                 household_id=review.household_id)
    return review


def refresh_listing_rating(listing_id: int) -> None:
    """Recompute a listing's rating_avg/rating_count from its visible reviews, in one UPDATE.

    The listing row is locked first (FOR NO KEY UPDATE on PostgreSQL, which does not conflict with the key-share lock
    a new review's foreign key takes): a concurrent review waits, and the UPDATE that follows, a new statement under
    READ COMMITTED, counts the review the other transaction committed. SQLite has one writer at a time anyway.
    """
    db.session.execute(select(Listing.id).where(Listing.id == listing_id).with_for_update(key_share=True))
    shown = (Review.listing_id == listing_id, Review.hidden.is_(False))
    db.session.execute(
        update(Listing)
        .where(Listing.id == listing_id)
        .values(
            rating_count=select(func.count(Review.id)).where(*shown).scalar_subquery(),
            rating_avg=select(func.round(func.avg(Review.stars), 2)).where(*shown).scalar_subquery(),
            updated_at=Listing.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    note_listings([listing_id])  # cached pages showing the rating are renewed after the commit
    listing = db.session.get(Listing, listing_id)
    if listing is not None:
        db.session.refresh(listing, ["rating_avg", "rating_count"])


def ratings_for(listing_ids: list[int]) -> dict[int, tuple[float, int]]:
    """(average stars, number of visible reviews) per listing id, in one GROUP BY; listings without reviews are
    left out."""
    if not listing_ids:
        return {}
    rows = db.session.execute(
        select(Review.listing_id, func.avg(Review.stars), func.count(Review.id))
        .where(Review.listing_id.in_(listing_ids), Review.hidden.is_(False))
        .group_by(Review.listing_id)
    ).all()
    return {lid: (round(float(avg), 2), int(n)) for lid, avg, n in rows}


def household_rating(household_id: int) -> tuple[float, int] | None:
    """(average stars, count) over the visible reviews of every product of a household; None without reviews."""
    avg, n = db.session.execute(
        select(func.avg(Review.stars), func.count(Review.id)).where(
            Review.household_id == household_id, Review.hidden.is_(False)
        )
    ).one()
    return (round(float(avg), 2), int(n)) if n else None


def listing_reviews(listing_id: int, limit: int = 20) -> list[Review]:
    """Visible reviews of a listing, newest first, with answers and buyers (a fixed number of queries)."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.listing_id == listing_id, Review.hidden.is_(False))
            .options(selectinload(Review.answer), selectinload(Review.buyer), selectinload(Review.photos))
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
    )


def household_reviews(household_id: int, limit: int = 100) -> list[Review]:
    """Every review of a household's products (hidden ones flagged), newest first, for its answer page."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.household_id == household_id)
            .options(
                selectinload(Review.answer), selectinload(Review.buyer), selectinload(Review.line),
                selectinload(Review.photos),
            )
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
    )


def all_reviews(limit: int = 200) -> list[Review]:
    """The latest reviews for moderation."""
    return list(
        db.session.scalars(
            select(Review)
            .options(
                selectinload(Review.answer), selectinload(Review.buyer), selectinload(Review.line),
                selectinload(Review.photos),
            )
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
    )


def reviews_by_line(order: Order) -> dict[int, Review]:
    """The order's reviews keyed by order line id (for the buyer's order page)."""
    rows = db.session.scalars(select(Review).where(Review.order_id == order.id))
    return {r.order_line_id: r for r in rows}


def delivery_days(household_id: int, sample: int = 200) -> float | None:
    """Median days from an order being placed to it being delivered, over the household's latest delivered orders
    (from order_events); None before the first delivery."""
    rows = db.session.execute(
        select(Order.created_at, OrderEvent.created_at)
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(Order.household_id == household_id, OrderEvent.to_status == OrderStatus.DELIVERED)
        .order_by(OrderEvent.id.desc())
        .limit(sample)
    ).all()
    if not rows:
        return None
    days = [(as_utc(delivered) - as_utc(placed)).total_seconds() / 86400 for placed, delivered in rows]
    return round(median(days), 1)
