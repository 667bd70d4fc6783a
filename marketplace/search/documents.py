"""What the index holds for one listing, read from the database in bulk: one joined row per listing, and one query
for the certifications of a batch's households."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Availability, Category, Listing, ListingStatus
from marketplace.catalog.queries import VISIBLE
from marketplace.geo.models import Province, Ward
from marketplace.households.models import Certification, Household, HouseholdStatus
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


#: the listing columns a document is made of, with its household's, category's and origin ward's names (one row each)
_COLUMNS = (
    Listing.id,
    Listing.status,
    Listing.household_id,
    Household.status.label("household_status"),
    Household.name.label("household_name"),
    Listing.title,
    Listing.description,
    Listing.category_id,
    Category.name_vi,
    Category.name_en,
    Ward.name.label("ward_name"),
    Province.name.label("province_name"),
    Listing.province_code,
    Listing.price,
    Listing.price_per_kg,
    Listing.created_at,
    Listing.stock,
    Listing.min_order_qty,
    Listing.availability,
)


def _stmt():
    """Listing rows joined to the names they are searched by (columns only: no ORM objects to build and track)."""
    return (
        select(*_COLUMNS)
        .join(Household, Listing.household_id == Household.id)
        .join(Category, Listing.category_id == Category.id)
        .outerjoin(Ward, Listing.origin_ward_code == Ward.code)
        .outerjoin(Province, Ward.province_code == Province.code)
    )


def _valid_certs(session: Session, household_ids: set[int]) -> dict[int, list[str]]:
    """Household id → kinds of its certifications valid today, sorted (one query for the batch)."""
    today = local_today()
    certs: dict[int, set[str]] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Certification.household_id, Certification.kind).where(
                Certification.household_id.in_(ids[start : start + 500]), Certification.expires_on >= today
            )
        )
        for household_id, kind in rows:
            certs.setdefault(household_id, set()).add(kind.value)
    return {h: sorted(kinds) for h, kinds in certs.items()}


def _docs(session: Session, rows) -> list[ListingDoc]:
    """Documents for listing rows of `_stmt()`, in their order."""
    rows = list(rows)
    visible = [r for r in rows if r.status is ListingStatus.ACTIVE and r.household_status is HouseholdStatus.VERIFIED]
    certs = _valid_certs(session, {r.household_id for r in visible}) if visible else {}
    docs = []
    for r in rows:
        if r.status is not ListingStatus.ACTIVE or r.household_status is not HouseholdStatus.VERIFIED:
            docs.append(ListingDoc(id=r.id, visible=False))
            continue
        if r.stock < r.min_order_qty:
            availability = "sold_out"
        else:
            availability = "preorder" if r.availability is Availability.PREORDER else "in_stock"
        docs.append(
            ListingDoc(
                id=r.id,
                visible=True,
                title=nfc(r.title),
                description=r.description or "",
                category_id=r.category_id,
                category=f"{r.name_vi} . {r.name_en}",
                household=r.household_name,
                place=" . ".join(x for x in (r.ward_name or "", r.province_name or "") if x),
                certs=list(certs.get(r.household_id, ())),
                province_code=r.province_code,
                price=r.price,
                price_per_kg=r.price_per_kg,
                created=int(r.created_at.timestamp() * 1_000_000) if r.created_at else 0,
                availability=availability,
            )
        )
    return docs


def load_docs(session: Session, ids: Iterable[int]) -> dict[int, ListingDoc]:
    """Documents for these listing ids; ids without a row are absent (deleted)."""
    ids = sorted(set(ids))
    out: dict[int, ListingDoc] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for doc in _docs(session, session.execute(_stmt().where(Listing.id.in_(chunk)))):
            out[doc.id] = doc
    return out


def iter_visible_docs(session: Session, batch: int = 1000) -> Iterator[ListingDoc]:
    """Every searchable listing, in id order, a batch at a time (memory stays flat at 100,000 listings).

    A batch is the next `batch` active listings by id, their households' verification checked here rather than in
    the query: with it in the WHERE clause SQLite walks the households first and sorts all the later listings for
    each batch (6 of the 8 s spent reading 100,000 listings); without it, the batch is a range of the primary key."""
    last = 0
    while True:
        rows = list(
            session.execute(
                _stmt()
                .where(Listing.id > last, Listing.status == ListingStatus.ACTIVE)
                .order_by(Listing.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from (doc for doc in _docs(session, rows) if doc.visible)
        last = rows[-1].id


def _visible_ids():
    return select(Listing.id).join(Listing.household).where(*VISIBLE)


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
