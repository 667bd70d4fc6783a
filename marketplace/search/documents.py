"""What the index holds for one listing, read from the database in bulk (no N+1)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from marketplace.catalog.models import Availability, Category, Listing, ListingStatus
from marketplace.geo.models import Ward
from marketplace.households.models import Household, HouseholdStatus
from marketplace.search.analysis import nfc, normalize
from marketplace.timeutil import local_today

#: words buyers type for each certification, searched with the listing
CERT_WORDS = {"vietgap": "VietGAP", "organic": "organic hữu cơ", "ocop": "OCOP"}


@dataclass
class ListingDoc:
    id: int
    visible: bool
    title: str = ""
    description: str = ""
    category_id: int = 0
    category: str = ""
    household: str = ""
    place: str = ""
    certs: list[str] = field(default_factory=list)
    province_code: int = 0
    price: int = 0
    price_per_kg: int = 0
    #: creation time in epoch microseconds (orders listings created within one second)
    created: int = 0
    #: in_stock, preorder or sold_out
    availability: str = "in_stock"

    @property
    def body_parts(self) -> list[str]:
        """Everything searched besides the title, field by field (a phrase never spans two fields)."""
        certs = " ".join(CERT_WORDS.get(c, c) for c in self.certs)
        return [self.description, self.category, self.household, self.place, certs]

    @property
    def body(self) -> str:
        """The body fields as one NFC lower-cased text, fields separated by " . "."""
        return normalize(" . ".join(self.body_parts))


def _availability(listing: Listing) -> str:
    if listing.stock < listing.min_order_qty:
        return "sold_out"
    return "preorder" if listing.availability is Availability.PREORDER else "in_stock"


def to_doc(listing: Listing, ward: Ward | None) -> ListingDoc:
    household: Household = listing.household
    visible = listing.status is ListingStatus.ACTIVE and household.status is HouseholdStatus.VERIFIED
    if not visible:
        return ListingDoc(id=listing.id, visible=False)
    today = local_today()
    category: Category = listing.category
    place = " . ".join(x for x in (ward.name if ward else "", ward.province.name if ward else "") if x)
    created = listing.created_at
    return ListingDoc(
        id=listing.id,
        visible=True,
        title=nfc(listing.title),
        description=listing.description or "",
        category_id=listing.category_id,
        category=f"{category.name_vi} . {category.name_en}",
        household=household.name,
        place=place,
        certs=sorted({c.kind.value for c in household.certifications if c.expires_on >= today}),
        province_code=listing.province_code,
        price=listing.price,
        price_per_kg=listing.price_per_kg,
        created=int(created.timestamp() * 1_000_000) if created else 0,
        availability=_availability(listing),
    )


def _stmt():
    return select(Listing).options(
        selectinload(Listing.household).selectinload(Household.certifications),
        selectinload(Listing.category),
        selectinload(Listing.origin_ward),
    )


def load_docs(session: Session, ids: Iterable[int]) -> dict[int, ListingDoc]:
    """Documents for these listing ids; ids without a row are absent (deleted)."""
    ids = sorted(set(ids))
    out: dict[int, ListingDoc] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for listing in session.scalars(_stmt().where(Listing.id.in_(chunk))):
            out[listing.id] = to_doc(listing, listing.origin_ward)
    return out


def iter_visible_docs(session: Session, batch: int = 1000) -> Iterator[ListingDoc]:
    """Every searchable listing, in id order, a batch at a time (memory stays flat at 100,000 listings)."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                _stmt()
                .join(Listing.household)
                .where(
                    Listing.id > last,
                    Listing.status == ListingStatus.ACTIVE,
                    Household.status == HouseholdStatus.VERIFIED,
                )
                .order_by(Listing.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        for listing in rows:
            yield to_doc(listing, listing.origin_ward)
        last = rows[-1].id
        session.expunge_all()


def _visible_ids():
    return (
        select(Listing.id)
        .join(Listing.household)
        .where(Listing.status == ListingStatus.ACTIVE, Household.status == HouseholdStatus.VERIFIED)
    )


def count_visible(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_visible_ids().subquery()))


class DocumentSource:
    """Where backends read listings from, each read in its own short session (a backend may call it under its
    write lock, after the caller's transaction committed, so it always sees the latest committed rows)."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def load(self, ids: Iterable[int]) -> dict[int, ListingDoc]:
        with Session(self.engine) as session:
            return load_docs(session, ids)

    def iter_visible(self) -> Iterator[ListingDoc]:
        with Session(self.engine) as session:
            yield from iter_visible_docs(session)

    def visible_ids(self, after: int, limit: int) -> list[int]:
        """The next `limit` searchable listing ids above `after`, ascending."""
        with Session(self.engine) as session:
            return list(session.scalars(_visible_ids().where(Listing.id > after).order_by(Listing.id).limit(limit)))

    def count_visible(self) -> int:
        with Session(self.engine) as session:
            return count_visible(session)
