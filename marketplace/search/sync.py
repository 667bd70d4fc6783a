"""Keep the index in step with the database: collect what changed at each flush, apply it after the commit.

microblog's SearchableMixin pattern, widened to everything a listing's search document is made of: the listing,
its photos, its household (name, verification, suspension), the household's certifications and its category.
Nothing is applied when the transaction rolls back.
"""

from __future__ import annotations

import logging

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Category, Listing, ListingPhoto, ListingStatus
from marketplace.households.models import Certification, Household

log = logging.getLogger(__name__)
_KEY = "search_pending"


def _pending(session: Session) -> dict[str, set[int]]:
    return session.info.setdefault(_KEY, {"listings": set(), "households": set(), "categories": set()})


def _collect(session: Session, _flush_context, _instances) -> None:
    """Before a flush: note which listings the pending changes touch (new rows get their ids after the flush)."""
    pending = _pending(session)
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Listing | ListingPhoto):
            listing_id = obj.id if isinstance(obj, Listing) else obj.listing_id
            if listing_id is None:
                session.info.setdefault("_search_new_objs", []).append(obj)
            else:
                pending["listings"].add(listing_id)
        elif isinstance(obj, Household) and obj.id is not None:
            pending["households"].add(obj.id)
        elif isinstance(obj, Certification):
            if obj.household_id is not None:
                pending["households"].add(obj.household_id)
            elif obj.household is not None and obj.household.id is not None:
                pending["households"].add(obj.household.id)
        elif isinstance(obj, Category) and obj.id is not None:
            pending["categories"].add(obj.id)


def _after_flush(session: Session, _flush_context) -> None:
    objs = session.info.pop("_search_new_objs", [])
    if objs:
        pending = _pending(session)
        for obj in objs:
            listing_id = obj.id if isinstance(obj, Listing) else obj.listing_id
            if listing_id is not None:
                pending["listings"].add(listing_id)


def _discard(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint rolled back: keep what the outer transaction changed (syncing re-reads the rows)
    session.info.pop(_KEY, None)
    session.info.pop("_search_new_objs", None)


def _apply(session: Session) -> None:
    pending = session.info.pop(_KEY, None)
    if not pending or not any(pending.values()) or not has_app_context():
        return
    if not current_app.config.get("SEARCH_SYNC", True):
        return
    from marketplace.extensions import db
    from marketplace.search import api

    ids = set(pending["listings"])
    if pending["households"] or pending["categories"]:
        with Session(db.engine) as s:
            stmt = select(Listing.id).where(Listing.status != ListingStatus.DELETED)
            conds = []
            if pending["households"]:
                conds.append(Listing.household_id.in_(pending["households"]))
            if pending["categories"]:
                conds.append(Listing.category_id.in_(pending["categories"]))
            ids.update(s.scalars(stmt.where(or_(*conds))))
    if current_app.config.get("SEARCH_SYNC") == "queue":  # several app servers: one worker indexes, off the request
        from marketplace.jobs.queue import submit_now

        submit_now("search.sync_listings", sorted(ids))
        return
    try:
        api.sync_listings(ids)
    except Exception:  # the commit stands; `flask search rebuild` repairs a missed update
        log.exception("search index update failed for listings %s", sorted(ids)[:20])
        if current_app.config.get("SEARCH_SYNC_RAISE"):
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
