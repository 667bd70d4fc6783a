"""Read side of the catalogue: what buyers see. Each page loads in a fixed number of queries (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.catalog.models import Availability, Category, Listing, ListingStatus
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


def filtered(f: ListingFilters) -> Select:
    stmt = visible()
    if f.category_id:
        stmt = stmt.where(Listing.category_id == f.category_id)
    if f.province_code:
        stmt = stmt.where(Listing.province_code == f.province_code)
    if f.household_id:
        stmt = stmt.where(Listing.household_id == f.household_id)
    if f.certification:
        stmt = stmt.where(
            exists().where(
                Certification.household_id == Listing.household_id,
                Certification.kind == f.certification,
                Certification.expires_on >= local_today(),
            )
        )
    if f.min_price is not None:
        stmt = stmt.where(Listing.price >= f.min_price)
    if f.max_price is not None:
        stmt = stmt.where(Listing.price <= f.max_price)
    if f.in_stock_only:
        stmt = stmt.where(Listing.availability == Availability.IN_STOCK, Listing.stock >= Listing.min_order_qty)
    order = {
        "price_asc": (Listing.price.asc(), Listing.id),
        "price_desc": (Listing.price.desc(), Listing.id),
        "price_per_kg": (Listing.price_per_kg.asc(), Listing.id),
        # unrated listings last (coalesce: portable NULLS LAST), then by how many reviews back the average
        "rating": (func.coalesce(Listing.rating_avg, 0).desc(), Listing.rating_count.desc(), Listing.id),
    }.get(f.sort, (Listing.created_at.desc(), Listing.id.desc()))
    return stmt.order_by(*order)


def browse(f: ListingFilters, page: int, per_page: int):
    """A page of listings (Flask-SQLAlchemy Pagination): one count query and one for the rows, plus photos."""
    return db.paginate(filtered(f), page=page, per_page=per_page, max_per_page=60, error_out=False)


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
    """Visible listings per province code."""
    stmt = (
        select(Listing.province_code, func.count(Listing.id))
        .join(Listing.household)
        .where(Listing.status == ListingStatus.ACTIVE, Household.status == HouseholdStatus.VERIFIED)
        .group_by(Listing.province_code)
    )
    return dict(db.session.execute(stmt).all())


def specialties_by_province(per_province: int = 3) -> dict[int, list[tuple[int, str]]]:
    """Up to `per_province` (id, title) examples per province, newest first, in one query (window function)."""
    ranked = (
        select(
            Listing.id,
            Listing.title,
            Listing.province_code,
            func.row_number()
            .over(partition_by=Listing.province_code, order_by=(Listing.created_at.desc(), Listing.id.desc()))
            .label("rank"),
        )
        .join(Listing.household)
        .where(Listing.status == ListingStatus.ACTIVE, Household.status == HouseholdStatus.VERIFIED)
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.province_code, ranked.c.id, ranked.c.title)
        .where(ranked.c.rank <= per_province)
        .order_by(ranked.c.province_code, ranked.c.rank)
    ).all()
    out: dict[int, list[tuple[int, str]]] = {}
    for code, listing_id, title in rows:
        out.setdefault(code, []).append((listing_id, title))
    return out


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
