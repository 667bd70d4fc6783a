"""The search interface: index a listing, remove it, query with filters/sort/page, suggest.

Backends (Whoosh, the embedded default; PostgreSQL full text, for several app servers) are picked by the
SEARCH_BACKEND setting and sit behind this module; nothing else imports them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from flask import current_app
from markupsafe import Markup

from marketplace.extensions import db
from marketplace.search import documents
from marketplace.search.analysis import fold, highlight, snippet, words

SORTS = ("relevance", "price", "price_per_kg", "newest")
AVAILABILITIES = ("in_stock", "preorder")
CERTS = ("vietgap", "organic", "ocop")
MAX_PAGE = 200
#: pages of a search whose total is not exact (a very common word at a national scale)
COMMON_MAX_PAGE = 5


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category_id: int | None = None
    province_code: int | None = None
    cert: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    availability: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 24

    @property
    def words(self) -> list[str]:
        return words(self.text)[:12]


@dataclass
class BackendResult:
    ids: list[int]
    total: int
    #: facet name → {value: count}; values are strings (category id, province code, cert kind, availability); a
    #: count is None when unknown (a common search, see `exact`)
    facets: dict[str, dict[str, int | None]] = field(default_factory=dict)
    #: False when `total` is only a lower bound ("more than 1,000"): the backend did not count every match
    exact: bool = True
    #: the page asked for lies deeper than the backend reads for so common a search
    too_deep: bool = False
    #: sorted by price among the most recent matches only (a very common search sorted by price)
    recent_only: bool = False


@dataclass
class Hit:
    listing_id: int
    listing: object | None
    title: Markup
    snippet: Markup


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int | None]]
    did_you_mean: str | None = None
    exact: bool = True
    too_deep: bool = False
    recent_only: bool = False

    @property
    def pages(self) -> int:
        """Pages that can be read: all of them for an exact total, the first few of a common search."""
        last = MAX_PAGE if self.exact else COMMON_MAX_PAGE
        return max(1, min(last, math.ceil(self.total / self.query.per_page)))

    @property
    def page(self) -> int:
        return self.query.page


def backend():
    """The configured backend for the current app (module-level objects keep no shared state)."""
    name = current_app.config.get("SEARCH_BACKEND", "whoosh")
    if name == "postgres":
        from marketplace.search import postgres_backend

        return postgres_backend.PostgresBackend(db.engine)
    if name == "whoosh":
        from marketplace.search import whoosh_backend

        return whoosh_backend.WhooshBackend.for_app(current_app)
    raise RuntimeError(f"unknown SEARCH_BACKEND {name!r}; choose whoosh or postgres")


def _source() -> documents.DocumentSource:
    return documents.DocumentSource(db.engine)


def sync_listings(listing_ids: Iterable[int]) -> None:
    """Bring these listings up to date in the index: visible ones (re)indexed, the others removed.

    The backend reads the rows under its write lock, after the caller's transaction has committed, so of two
    writers racing on one listing the later always writes the newer state."""
    ids = set(listing_ids)
    if ids:
        backend().sync(sorted(ids), _source())


def index_listing(listing_id: int) -> None:
    """Index one listing as it is in the database now (removes it when it is not visible)."""
    sync_listings([listing_id])


def remove_listing(listing_id: int) -> None:
    """Take one listing out of the index."""
    backend().remove([listing_id])


def query(q: SearchQuery) -> SearchResults:
    """Search visible listings. Hits carry the listing (loaded in one query) and highlighted title and snippet."""
    from marketplace.catalog.models import Listing
    from marketplace.catalog.queries import visible

    q = replace(q, page=max(1, min(q.page, MAX_PAGE)), sort=q.sort if q.sort in SORTS else "relevance")
    be = backend()
    result = be.search(q)
    rows = {}
    if result.ids:
        rows = {lst.id: lst for lst in db.session.scalars(visible().where(Listing.id.in_(result.ids))).unique()}
    qwords = q.words
    hits = [
        Hit(i, rows[i], highlight(rows[i].title, qwords, prefix_last=True), snippet(rows[i].description, qwords))
        for i in result.ids
        if i in rows
    ]
    did_you_mean = None
    if qwords and result.total < 3:
        did_you_mean = be.did_you_mean(qwords)
        if did_you_mean and fold(did_you_mean) == fold(q.text):
            did_you_mean = None
    result.facets.get("availability", {}).pop("sold_out", None)  # not a filter: sold-out listings are only shown
    return SearchResults(q, hits, result.total, result.facets, did_you_mean, result.exact, result.too_deep,
                         result.recent_only)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Autocomplete: listing titles and category names that start with (or contain words starting with) `prefix`."""
    from marketplace.catalog.queries import categories

    typed = fold(prefix).strip()
    if len(typed) < 2:
        return []
    out: list[str] = []
    for c in categories():
        for name in (c.name_vi, c.name_en):
            if fold(name).startswith(typed) and name not in out:
                out.append(name)
    for title in backend().suggest(prefix, limit):
        if title not in out:
            out.append(title)
    return out[:limit]


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database; searches keep being served meanwhile. Returns the listings
    indexed."""
    return backend().rebuild(_source(), progress)


def check() -> dict:
    """Whether the backend can answer (for /readyz): raises when it cannot; details otherwise."""
    return backend().check()


def clear() -> None:
    """Empty the index (tests; a rebuild fills it again)."""
    backend().clear()
