"""Which cached pages a transaction changes: collected at each flush (and from the SQL stock updates that name their
listing through `note_stock`), turned into new tag versions right after the commit. Nothing on rollback.

Tags a page depends on (pages.py names them from the URL):
- `listing:<id>`: its product page; bumped for a change to the listing, its photos or reviews, its household, and a
  sibling's change that lists show (the product page lists "more from this household");
- `household:<id>`: the storefront; `category:<slug>`, `province:<codename>`: those lists; `lists`: the home page, the
  provinces page and every search (they can show any listing);
- `search`: every search page, bumped again by the worker that indexes a change (the page rendered before the job ran
  showed the old index);
- `site`: every page (a category renamed or its icon changed).

A stock change alone (a checkout, a cancellation) bumps only the product page, unless it takes the listing across
"sold out" (lists show that): checkouts at peak do not empty the list caches.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Category, Listing, ListingPhoto
from marketplace.extensions import cache
from marketplace.households.models import Certification, Household

log = logging.getLogger(__name__)
_KEY = "pagecache_pending"
#: listing columns whose change lists never show (the product page still gets a new version)
_QUIET = frozenset({"stock", "updated_at"})


@dataclass
class Pending:
    #: changed in a way lists show (title, price, photos, status, rating, …)
    listings: set[int] = field(default_factory=set)
    #: only the stock changed (a listing it took across "sold out" is in `listings` too)
    stock: set[int] = field(default_factory=set)
    households: set[int] = field(default_factory=set)
    reviews: set[int] = field(default_factory=set)
    #: categories and provinces a listing moved out of
    categories: set[int] = field(default_factory=set)
    provinces: set[int] = field(default_factory=set)
    site: bool = False
    new_objects: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.listings or self.stock or self.households or self.reviews or self.site)


def _pending(session: Session) -> Pending:
    return session.info.setdefault(_KEY, Pending())


def note_stock(listing_id: int, before: int, after: int, minimum: int, session: Session | None = None) -> None:
    """A stock change made in SQL (`UPDATE listings SET stock = stock ± n … RETURNING stock, min_order_qty`), which
    the ORM does not see."""
    from marketplace.extensions import db

    _stock_changed(_pending(session or db.session()), listing_id, before, after, minimum)


def _stock_changed(p: Pending, listing_id: int, before: int, after: int, minimum: int) -> None:
    """The product page shows the stock; lists only whether it is sold out, so they change only when it crosses
    that line (decided here, per change: the commit needs no look-up)."""
    p.stock.add(listing_id)
    if (before >= minimum) != (after >= minimum):
        p.listings.add(listing_id)


def note_listings(listing_ids, session: Session | None = None) -> None:
    """Listings changed in SQL in a way lists show (a rating recomputed in one UPDATE)."""
    from marketplace.extensions import db

    _pending(session or db.session()).listings.update(listing_ids)


def _listing(p: Pending, obj: Listing, session: Session) -> None:
    if obj.id is None:
        p.new_objects.append(obj)
        return
    if obj in session.new or obj in session.deleted:
        p.listings.add(obj.id)
        return
    state = inspect(obj)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    if not changed:
        return
    if changed <= _QUIET:
        hist = state.attrs.stock.history
        if hist.added and hist.deleted:
            _stock_changed(p, obj.id, hist.deleted[0] or 0, hist.added[0] or 0, obj.min_order_qty)
        return
    p.listings.add(obj.id)
    for name, bucket in (("category_id", p.categories), ("province_code", p.provinces)):
        bucket.update(v for v in state.attrs[name].history.deleted if v is not None)


def _collect(session: Session, _flush_context, _instances) -> None:
    from marketplace.reviews.models import Review, ReviewAnswer, ReviewPhoto

    p = _pending(session)
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Listing):
            _listing(p, obj, session)
        elif isinstance(obj, ListingPhoto):
            if obj.listing_id is not None:
                p.listings.add(obj.listing_id)
            elif obj.listing is not None and obj.listing.id is not None:
                p.listings.add(obj.listing.id)
        elif isinstance(obj, Household) and obj.id is not None:
            p.households.add(obj.id)
        elif isinstance(obj, Certification):
            household_id = obj.household_id or (obj.household.id if obj.household is not None else None)
            if household_id is not None:
                p.households.add(household_id)
        elif isinstance(obj, Category):
            p.site = True
        elif isinstance(obj, Review):
            if obj.listing_id is not None:
                p.listings.add(obj.listing_id)
        elif isinstance(obj, ReviewAnswer | ReviewPhoto):
            review_id = obj.review_id or (obj.review.id if obj.review is not None else None)
            if review_id is not None:
                p.reviews.add(review_id)


def _after_flush(session: Session, _flush_context) -> None:
    p = session.info.get(_KEY)
    if p is not None and p.new_objects:
        p.listings.update(obj.id for obj in p.new_objects if obj.id is not None)
        p.new_objects.clear()


def _discard(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_KEY, None)


def tags_for(p: Pending, s: Session) -> set[str]:
    """Every tag the pending changes touch, read from the committed rows (a few indexed queries)."""
    from marketplace.reviews.models import Review

    tags: set[str] = {"site"} if p.site else set()
    tags.update(f"listing:{i}" for i in p.stock)
    listings = set(p.listings)
    if p.reviews:
        listings.update(s.scalars(select(Review.listing_id).where(Review.id.in_(p.reviews))))
    households = set(p.households)
    if listings:
        households.update(s.scalars(select(Listing.household_id).where(Listing.id.in_(listings)).distinct()))
        tags.update(f"listing:{i}" for i in listings)
    categories = set(p.categories)
    provinces = set(p.provinces)
    if households:
        tags.add("lists")
        tags.update(f"household:{h}" for h in households)
        rows = s.execute(
            select(Listing.id, Listing.category_id, Listing.province_code).where(Listing.household_id.in_(households))
        )
        for listing_id, category_id, province_code in rows:
            tags.add(f"listing:{listing_id}")
            categories.add(category_id)
            provinces.add(province_code)
    if categories:
        tags.update(f"category:{slug}" for slug in s.scalars(select(Category.slug).where(Category.id.in_(categories))))
    if provinces:
        from marketplace.geo.models import Province

        names = s.scalars(select(Province.codename).where(Province.code.in_(provinces)))
        tags.update(f"province:{name}" for name in names)
    return tags


def bump(tags) -> None:
    """New versions for these tags: every page rendered under an older one is served no more."""
    tags = sorted(tags)
    if tags:
        token = secrets.token_hex(6)
        cache.set_many({f"tag:{t}": token for t in tags}, timeout=0)


def _apply(session: Session) -> None:
    p = session.info.pop(_KEY, None)
    if not p or not has_app_context() or current_app.config.get("CACHE_TYPE") == "NullCache":
        return
    from marketplace.extensions import db

    try:
        with Session(db.engine) as s:
            tags = tags_for(p, s)
        bump(tags)
    except Exception:  # the commit stands; pages fall back on their time limit (PAGE_CACHE_SECONDS)
        log.exception("page cache: could not invalidate after a commit")
        if current_app.config.get("PAGE_CACHE_RAISE"):
            raise


def init_app(app) -> None:
    """Listen on the app's session class once (idempotent)."""
    if getattr(init_app, "_done", False):
        return
    init_app._done = True
    event.listen(AppSession, "before_flush", _collect)
    event.listen(AppSession, "after_flush", _after_flush)
    event.listen(AppSession, "after_commit", _apply)
    event.listen(AppSession, "after_soft_rollback", _discard)
