"""Background tasks of the search feature: index updates when several app servers share the work."""

from __future__ import annotations

from marketplace.jobs.queue import task


@task("search.sync_listings")
def sync_listings(ids: list[int]) -> None:
    """Re-index these listings from the database (idempotent: each is read as it is now)."""
    from marketplace.search import api

    api.sync_listings(set(ids))
    # a search page rendered between the commit and this job showed the old index: serve it no more
    from marketplace.pagecache.invalidation import bump

    bump(["search"])
