"""Read side of the catalogue: what buyers see. Each page loads in a fixed number of queries (no N+1), and none reads
more rows at a million listings than at ten thousand: totals come from the maintained counters (or are capped),
pages are index range reads (keyset.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Select, column, exists, func, select, true, union_all, values
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.catalog import keyset
from marketplace.catalog.models import Availability, Category, Listing, ListingCount, ListingStatus
from marketplace.extensions import db
from marketplace.geo.models import Province
from marketplace.households.models import Certification, CertificationKind, Household, HouseholdStatus
from marketplace.timeutil import local_today

SORTS = ("newest", "price_asc", "price_desc", "price_per_kg", "rating")


@dataclass(frozen=True)
class ListingFilters:
    category_id: int | None = None
    province_code: int | None = None
    household_id: int | None = None
    certification: CertificationKind | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock_only: bool = False
    sort: str = "newest"


#: what makes a listing visible to buyers (and searchable), for a statement joining Listing.household
VISIBLE = (Listing.status == ListingStatus.ACTIVE, Household.status == HouseholdStatus.VERIFIED)


def visible() -> Select:
    """Active listings of verified households, with household and photos loaded in bulk."""
    return (
        select(Listing)
        .join(Listing.household)
        .where(*VISIBLE)
        .options(contains_eager(Listing.household), selectinload(Listing.photos))
    )


def _conditions(f: ListingFilters) -> list:
    conds = []
    if f.category_id:
        conds.append(Listing.category_id == f.category_id)
    if f.province_code:
        conds.append(Listing.province_code == f.province_code)
    if f.household_id:
        conds.append(Listing.household_id == f.household_id)
    if f.certification:
        conds.append(
            exists().where(
                Certification.household_id == Listing.household_id,
                Certification.kind == f.certification,
                Certification.expires_on >= local_today(),
            )
        )
    if f.min_price is not None:
        conds.append(Listing.price >= f.min_price)
    if f.max_price is not None:
        conds.append(Listing.price <= f.max_price)
    if f.in_stock_only:
        conds.append(Listing.availability == Availability.IN_STOCK)
        conds.append(Listing.stock >= Listing.min_order_qty)
    return conds


def filtered(f: ListingFilters) -> Select:
    """Visible listings matching `f`, in the order `f.sort` asks for (the id breaks ties)."""
    key = keyset.sort_key(f.sort)
    return visible().where(*_conditions(f)).order_by(*key.order())


def browse(f: ListingFilters, page: int = 1, per_page: int = 24, after: str | None = None,
           before: str | None = None) -> keyset.Page:
    """One page of listings: numbered pages (a bounded OFFSET) up to `keyset.MAX_NUMBERED_PAGE`, keyset cursors
    (`after` / `before` the row a cursor names) at any depth; `page` then only labels the page. The total comes
    from the maintained counters when the filters allow it, otherwise it is counted up to COUNT_CAP."""
    key = keyset.sort_key(f.sort)
    stmt = visible().where(*_conditions(f))
    total, exact = count(f)
    return keyset.fetch(stmt, key, page, per_page, after, before, total, exact)


#: a total that cannot come from the counters is counted up to this many listings, then shown as "1.000+"
COUNT_CAP = 1000


def count(f: ListingFilters) -> tuple[int, bool]:
    """(total, exact): visible listings matching `f`. Read from `listing_counts` when `f` narrows only by category
    and province; otherwise counted, but never past COUNT_CAP (exact is then False and the total a lower bound)."""
    if not (f.household_id or f.certification or f.min_price is not None or f.max_price is not None
            or f.in_stock_only):
        stmt = select(func.coalesce(func.sum(ListingCount.n), 0))
        if f.category_id:
            stmt = stmt.where(ListingCount.category_id == f.category_id)
        if f.province_code:
            stmt = stmt.where(ListingCount.province_code == f.province_code)
        return int(db.session.scalar(stmt)), True
    capped = select(Listing.id).join(Listing.household).where(*VISIBLE, *_conditions(f)).limit(COUNT_CAP + 1)
    n = db.session.scalar(select(func.count()).select_from(capped.subquery()))
    return min(n, COUNT_CAP), n <= COUNT_CAP


def newest(limit: int = 12) -> list[Listing]:
    return list(db.session.scalars(filtered(ListingFilters()).limit(limit)).unique())


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def listing_for_page(listing_id: int) -> Listing | None:
    """A visible listing with what its page shows (household, certifications, photos)."""
    stmt = visible().where(Listing.id == listing_id).options(
        selectinload(Listing.household, Household.certifications), selectinload(Listing.category)
    )
    return db.session.scalar(stmt)


def more_from_household(listing: Listing, limit: int = 6) -> list[Listing]:
    stmt = filtered(ListingFilters(household_id=listing.household_id)).where(Listing.id != listing.id).limit(limit)
    return list(db.session.scalars(stmt).unique())


def province_counts() -> dict[int, int]:
    """Visible listings per province code, from the maintained counters (at most 34 × categories rows)."""
    stmt = (
        select(ListingCount.province_code, func.sum(ListingCount.n))
        .group_by(ListingCount.province_code)
        .having(func.sum(ListingCount.n) > 0)
    )
    return {code: int(n) for code, n in db.session.execute(stmt)}


def specialties_by_province(per_province: int = 3, codes=None) -> dict[int, list[tuple[int, str]]]:
    """Up to `per_province` (id, title) examples per province (those in `codes`, default: every province with a
    listing), newest first, in one query of one short index range read per province
    (ix_listings_browse_province_newest), whatever the catalogue's size."""
    codes = list(province_counts() if codes is None else codes)
    if not codes:
        return {}
    if db.session.get_bind().dialect.name == "postgresql":
        # one subquery planned once and run per province (LATERAL): 34 planned copies took 45 ms to plan
        wanted = values(column("code", Integer), name="wanted").data([(c,) for c in sorted(codes)])
        newest = (
            select(Listing.id, Listing.title, Listing.created_at)
            .join(Listing.household)
            .where(*VISIBLE, Listing.province_code == wanted.c.code)
            .order_by(Listing.created_at.desc(), Listing.id.desc())
            .limit(per_province)
            .lateral()
        )
        stmt = select(wanted.c.code, newest.c.id, newest.c.title, newest.c.created_at).join(newest, true())
    else:
        parts = [
            select(Listing.province_code, Listing.id, Listing.title, Listing.created_at)
            .join(Listing.household)
            .where(*VISIBLE, Listing.province_code == code)
            .order_by(Listing.created_at.desc(), Listing.id.desc())
            .limit(per_province)
            .subquery()
            for code in sorted(codes)
        ]
        stmt = union_all(*(select(p.c.province_code, p.c.id, p.c.title, p.c.created_at) for p in parts))
    out: dict[int, list[tuple[int, str, object]]] = {}
    for code, listing_id, title, created in db.session.execute(stmt):
        out.setdefault(code, []).append((listing_id, title, created))
    return {code: [(i, t) for i, t, _c in sorted(rows, key=lambda r: (r[2], r[0]), reverse=True)]
            for code, rows in out.items()}


def all_provinces() -> list[Province]:
    return list(db.session.scalars(select(Province).order_by(Province.code)))


def household_for_storefront(household_id: int) -> Household | None:
    stmt = (
        select(Household)
        .where(Household.id == household_id, Household.status == HouseholdStatus.VERIFIED)
        .options(selectinload(Household.certifications))
    )
    return db.session.scalar(stmt)


def listings_of(household: Household) -> list[Listing]:
    """Every listing of one household, for its own management page."""
    stmt = (
        select(Listing)
        .where(Listing.household_id == household.id, Listing.status != ListingStatus.DELETED)
        .options(selectinload(Listing.photos))
        .order_by(Listing.created_at.desc())
    )
    return list(db.session.scalars(stmt))
