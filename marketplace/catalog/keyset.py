"""Keyset pagination for the catalogue's lists (category, province, storefront).

A page past the first few is read from a cursor naming the last row shown (`?after=`) or the first (`?before=`):
`WHERE (sort columns, id) < (cursor) ORDER BY sort columns, id LIMIT n`, an index range read (migration 0013) that
costs the same on page 5,000 of a million listings as on page 2. The first MAX_NUMBERED_PAGE pages can also be
reached by number (`?page=3`, an OFFSET of at most a few hundred rows); a deeper page number is refused with a way
to narrow the list down (filters), and deeper pages are reached with Next.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, func, literal, literal_column, tuple_

from marketplace.catalog.models import Listing
from marketplace.extensions import db

#: pages reachable by number; deeper ones only through Next / Previous (cursors)
MAX_NUMBERED_PAGE = 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _us(value: datetime) -> int:
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_us(text: str) -> datetime:
    return _EPOCH + timedelta(microseconds=int(text))


@dataclass(frozen=True)
class SortKey:
    """One browse order: its columns (all ascending or all descending, the id last) and how a cursor is written."""

    columns: tuple
    descending: bool
    #: the cursor values of a listing, in column order
    values: Callable[[Listing], tuple]
    #: text → value, per column
    parsers: tuple

    def order(self, reverse: bool = False) -> list:
        down = self.descending != reverse
        return [c.desc() if down else c.asc() for c in self.columns]

    def beyond(self, cursor: tuple, reverse: bool = False):
        """Rows after the cursor in this order (before it when `reverse`)."""
        row, at = tuple_(*self.columns), tuple_(*(literal(v, type_=c.type) for c, v in zip(self.columns, cursor)))
        return row < at if self.descending != reverse else row > at

    def encode(self, listing: Listing) -> str:
        out = []
        for value in self.values(listing):
            out.append(str(_us(value)) if isinstance(value, datetime) else repr(value))
        return "_".join(out)

    def decode(self, cursor: str | None) -> tuple | None:
        """The cursor's values, or None when it is missing or malformed (the list then starts at page 1)."""
        if not cursor or len(cursor) > 120:
            return None
        parts = cursor.split("_")
        if len(parts) != len(self.parsers):
            return None
        try:
            return tuple(parse(p) for parse, p in zip(self.parsers, parts))
        except (ValueError, OverflowError):
            return None


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


#: coalesce(rating_avg, 0) written as the index is (ix_listings_browse_*_rating): a literal 0, not a parameter
RATING = func.coalesce(Listing.rating_avg, literal_column("0"))

SORT_KEYS = {
    "newest": SortKey((Listing.created_at, Listing.id), True, lambda li: (li.created_at, li.id), (_from_us, int)),
    "price_asc": SortKey((Listing.price, Listing.id), False, lambda li: (li.price, li.id), (int, int)),
    "price_desc": SortKey((Listing.price, Listing.id), True, lambda li: (li.price, li.id), (int, int)),
    "price_per_kg": SortKey(
        (Listing.price_per_kg, Listing.id), False, lambda li: (li.price_per_kg, li.id), (int, int)
    ),
    # unrated listings last, then by how many reviews back the average
    "rating": SortKey(
        (RATING, Listing.rating_count, Listing.id), True,
        lambda li: (float(li.rating_avg or 0), li.rating_count, li.id), (_float, int, int),
    ),
}


def sort_key(sort: str) -> SortKey:
    return SORT_KEYS.get(sort, SORT_KEYS["newest"])


@dataclass
class Page:
    items: list
    #: the page's number as shown (a label once cursors are used)
    number: int
    per_page: int
    #: visible listings in the list: exact, or a lower bound (COUNT_CAP) when `exact` is False
    total: int
    exact: bool
    has_prev: bool
    has_next: bool
    first_cursor: str | None = None
    last_cursor: str | None = None
    #: a page number past MAX_NUMBERED_PAGE was asked for: nothing is shown but a way to narrow down
    too_deep: bool = False

    @property
    def pages(self) -> int | None:
        """How many pages, when the total is exact."""
        return max(1, math.ceil(self.total / self.per_page)) if self.exact else None

    def next_args(self) -> dict:
        n = self.number + 1
        return {"page": n} if n <= MAX_NUMBERED_PAGE else {"page": n, "after": self.last_cursor}

    def prev_args(self) -> dict:
        n = self.number - 1
        if n <= 1:
            return {}
        return {"page": n} if n <= MAX_NUMBERED_PAGE else {"page": n, "before": self.first_cursor}


def fetch(stmt: Select, key: SortKey, page: int, per_page: int, after: str | None, before: str | None,
          total: int, exact: bool) -> Page:
    """A page of `stmt` (visible listings with their filters, no order yet) in `key`'s order; see the module."""
    page = max(1, page)
    after_values, before_values = key.decode(after), key.decode(before)
    if after_values is not None:
        rows = _rows(stmt.where(key.beyond(after_values)).order_by(*key.order()).limit(per_page + 1))
        has_prev, has_next = True, len(rows) > per_page
        rows = rows[:per_page]
    elif before_values is not None:
        rows = _rows(stmt.where(key.beyond(before_values, reverse=True)).order_by(*key.order(True)).limit(per_page + 1))
        has_prev, has_next = len(rows) > per_page, True
        rows = rows[:per_page][::-1]
        if not has_prev:
            page = 1
    elif page > MAX_NUMBERED_PAGE:
        return Page([], page, per_page, total, exact, True, False, too_deep=True)
    else:
        rows = _rows(stmt.order_by(*key.order()).offset((page - 1) * per_page).limit(per_page + 1))
        has_prev, has_next = page > 1, len(rows) > per_page
        rows = rows[:per_page]
    if not rows and page > 1 and after_values is None and before_values is None:
        has_prev = True
    first = key.encode(rows[0]) if rows else None
    last = key.encode(rows[-1]) if rows else None
    return Page(rows, page, per_page, total, exact, has_prev, has_next, first, last)


def _rows(stmt: Select) -> list:
    return list(db.session.scalars(stmt).unique())
