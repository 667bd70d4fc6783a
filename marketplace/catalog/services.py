"""Listing operations: create, edit, pause, resume, delete. Ownership is checked on every one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL.Image import Image

from marketplace.accounts.models import Role, User
from marketplace.catalog.errors import InvalidListing, ListingChanged, NotYourListing
from marketplace.catalog.models import (
    MAX_PRICE,
    MAX_STOCK,
    MAX_UNIT_GRAMS,
    Availability,
    Category,
    Listing,
    ListingPhoto,
    ListingStatus,
    Unit,
    price_per_kg,
)
from marketplace.extensions import db
from marketplace.locks import begin_write
from marketplace.geo.services import get_ward
from marketplace.households.models import Household
from marketplace.media import delete_photo, store_photo
from marketplace.timeutil import utcnow


@dataclass(frozen=True)
class ListingData:
    title: str
    category_id: int
    unit: Unit
    price: int
    stock: int
    weight_grams: int
    description: str = ""
    min_order_qty: int = 1
    availability: Availability = Availability.IN_STOCK
    harvest_start: date | None = None
    harvest_end: date | None = None
    shelf_life_days: int | None = None
    #: defaults to the household's ward
    origin_ward_code: int | None = None


def can_manage(actor: User, household: Household) -> bool:
    """The household itself, or staff within whose scope it lies: an admin, a clerk of the service point the
    household hands its parcels in at (`staff.scope`)."""
    if actor.role in (Role.ADMIN, Role.CLERK):
        from marketplace.staff.scope import staff_may_see

        return staff_may_see(actor, household)
    return actor.role is Role.HOUSEHOLD and household.user_id == actor.id


def _audit(actor: User, action: str, listing: Listing, summary: str = "") -> None:
    """Staff acting on a household's listing leave a trace (the household's own edits do not)."""
    from marketplace.staff import audit

    audit.record(actor, action, "listing", listing.id, summary or listing.title, household_id=listing.household_id)


def _check(actor: User, household: Household) -> None:
    if not can_manage(actor, household):
        raise NotYourListing(_l("This listing belongs to another household."))


def _validate(data: ListingData) -> None:
    if not data.title.strip():
        raise InvalidListing(_l("Give the listing a title."))
    if not 0 < data.price <= MAX_PRICE:
        raise InvalidListing(_l("The price must be more than 0 ₫ and at most 1.000.000.000 ₫."))
    if not 0 <= data.stock <= MAX_STOCK:
        raise InvalidListing(_l("Stock must be from 0 to 1.000.000 units."))
    if not 0 < data.weight_grams <= MAX_UNIT_GRAMS:
        raise InvalidListing(_l("The weight of one unit must be from 1 to 50.000 g."))
    if not 1 <= data.min_order_qty <= MAX_STOCK:
        raise InvalidListing(_l("The minimum order is at least 1."))
    if data.availability is Availability.PREORDER and not (data.harvest_start and data.harvest_end):
        raise InvalidListing(_l("A pre-order needs the harvest window (from and to)."))
    if data.harvest_start and data.harvest_end and data.harvest_start > data.harvest_end:
        raise InvalidListing(_l("The harvest window ends before it starts."))
    if data.shelf_life_days is not None and data.shelf_life_days <= 0:
        raise InvalidListing(_l("Shelf life must be at least 1 day."))
    if db.session.get(Category, data.category_id) is None:
        raise InvalidListing(_l("Choose a category."))


@dataclass(frozen=True)
class EditBase:
    """What the edit form showed when it was opened: the listing's edit version and its stock then."""

    version: int
    stock: int


def _apply(listing: Listing, household: Household, data: ListingData, with_stock: bool = True) -> None:
    ward = get_ward(data.origin_ward_code) if data.origin_ward_code else None
    if data.origin_ward_code and ward is None:
        raise InvalidListing(_l("Choose the ward or commune the produce comes from."))
    listing.title = data.title.strip()
    listing.description = (data.description or "").strip()
    listing.category_id = data.category_id
    listing.unit = data.unit
    listing.price = data.price
    if with_stock:
        listing.stock = data.stock
    listing.weight_grams = data.weight_grams
    listing.price_per_kg = price_per_kg(data.price, data.weight_grams, data.unit)
    listing.min_order_qty = data.min_order_qty
    listing.availability = data.availability
    listing.harvest_start = data.harvest_start
    listing.harvest_end = data.harvest_end
    listing.shelf_life_days = data.shelf_life_days
    listing.origin_ward_code = ward.code if ward else household.ward_code
    listing.province_code = ward.province_code if ward else household.province_code


def _add_photos(listing: Listing, photos: list[Image]) -> None:
    limit = current_app.config["MAX_PHOTOS"]
    if len(listing.photos) + len(photos) > limit:
        raise InvalidListing(_l("A listing has at most %(n)d photos.", n=limit))
    start = max((p.position for p in listing.photos), default=-1) + 1
    for offset, image in enumerate(photos):
        stored = store_photo(image, "listings")
        listing.photos.append(ListingPhoto(position=start + offset, filename=stored.filename, thumb=stored.thumb))


def create_listing(actor: User, household: Household, data: ListingData, photos: list[Image]) -> Listing:
    """Create an active listing with 1–6 photos. Raises NotYourListing or InvalidListing; nothing is saved then."""
    _check(actor, household)
    _validate(data)
    if data.stock < 1:
        raise InvalidListing(_l("Put at least 1 unit in stock."))
    if not photos:
        raise InvalidListing(_l("Add at least one photo."))
    listing = Listing(household=household, status=ListingStatus.ACTIVE)
    if actor.role is Role.CLERK:
        listing.created_by_id = actor.id
    _apply(listing, household, data)
    _add_photos(listing, photos)
    db.session.add(listing)
    db.session.flush()
    _audit(actor, "listing.create", listing)
    return listing


def _same_fields(listing: Listing, data: ListingData) -> bool:
    """Whether `data` leaves every field but the stock as the listing has it now."""
    origin = data.origin_ward_code or listing.household.ward_code
    return (
        listing.title == data.title.strip()
        and listing.description == (data.description or "").strip()
        and listing.category_id == data.category_id
        and listing.unit is data.unit
        and listing.price == data.price
        and listing.weight_grams == data.weight_grams
        and listing.min_order_qty == data.min_order_qty
        and listing.availability is data.availability
        and listing.harvest_start == data.harvest_start
        and listing.harvest_end == data.harvest_end
        and listing.shelf_life_days == data.shelf_life_days
        and listing.origin_ward_code == origin
    )


def update_listing(
    actor: User,
    listing: Listing,
    data: ListingData,
    photos: list[Image] = (),
    remove_photo_ids: set[int] = frozenset(),
    base: EditBase | None = None,
) -> Listing:
    """Edit a listing and its photos. Raises NotYourListing, InvalidListing or ListingChanged; nothing is changed then.

    With `base` (what the form showed), the stock typed is applied as a change to the stock as it is now: the form
    showed 10 and says 15, so 5 units are added to whatever is left, and units sold while the form was open stay sold.
    A form opened before someone else's edit (another open form, the clerk at the counter) is refused with
    ListingChanged unless it changes nothing but the stock. The row is locked while this runs, so a sale and an edit
    at the same moment both count.
    """
    _check(actor, listing.household)
    begin_write()
    db.session.flush()
    db.session.refresh(listing, with_for_update=True)
    if listing.status is ListingStatus.DELETED:
        raise NotYourListing(_l("This listing was deleted."))
    _validate(data)
    stock = data.stock
    if base is not None:
        delta = data.stock - base.stock
        if listing.edit_version != base.version and not _same_fields(listing, data):
            raise ListingChanged(
                _l(
                    "This listing was changed by someone else after you opened this form; your changes are not saved "
                    "yet. The form now shows the stock as it is (%(stock)s) plus your change: check and save again.",
                    stock=listing.stock,
                ),
                current_stock=listing.stock,
                stock_delta=delta,
            )
        stock = listing.stock + delta
        if stock < 0:
            raise InvalidListing(
                _l("Only %(stock)s units are left now (some were sold while you edited): the stock cannot go below 0.",
                   stock=listing.stock)
            )
        if stock > MAX_STOCK:
            raise InvalidListing(_l("Stock must be from 0 to 1.000.000 units."))
    removed = [p for p in listing.photos if p.id in remove_photo_ids]
    if len(listing.photos) - len(removed) + len(photos) < 1:
        raise InvalidListing(_l("A listing keeps at least one photo."))
    _apply(listing, listing.household, data, with_stock=False)
    listing.stock = stock
    listing.edit_version += 1
    for photo in removed:
        listing.photos.remove(photo)
    _add_photos(listing, list(photos))
    listing.updated_at = utcnow()
    db.session.flush()
    for photo in removed:
        delete_photo(photo.filename, photo.thumb)
    _audit(actor, "listing.edit", listing)
    return listing


def set_status(actor: User, listing: Listing, status: ListingStatus) -> None:
    """Pause, resume or delete. A deleted listing stays deleted (past orders still point at it)."""
    _check(actor, listing.household)
    if listing.status is ListingStatus.DELETED:
        raise NotYourListing(_l("This listing was deleted."))
    listing.status = status
    listing.updated_at = utcnow()
    listing.edit_version += 1
    db.session.flush()
    _audit(actor, "listing.status", listing, f"{listing.title}: {status.value}")


def get_for_edit(actor: User, listing_id: int) -> Listing:
    """The listing if `actor` may change it; NotYourListing otherwise (also for unknown ids)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status is ListingStatus.DELETED:
        raise NotYourListing(_l("No such listing."))
    _check(actor, listing.household)
    return listing
