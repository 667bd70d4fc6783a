"""Listing operations: create, edit, pause, resume, delete. Ownership is checked on every one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL.Image import Image

from marketplace.accounts.models import Role, User
from marketplace.catalog.errors import InvalidListing, NotYourListing
from marketplace.catalog.models import Availability, Category, Listing, ListingPhoto, ListingStatus, Unit, price_per_kg
from marketplace.extensions import db
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
    """The household itself, an admin, or a clerk of the service point the household hands its parcels in at."""
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.CLERK:
        from marketplace.postal.onboarding import serves

        return serves(actor, household)
    return actor.role is Role.HOUSEHOLD and household.user_id == actor.id


def _check(actor: User, household: Household) -> None:
    if not can_manage(actor, household):
        raise NotYourListing(_l("This listing belongs to another household."))


def _validate(data: ListingData) -> None:
    if not data.title.strip():
        raise InvalidListing(_l("Give the listing a title."))
    if data.price <= 0:
        raise InvalidListing(_l("The price must be more than 0 ₫."))
    if data.stock < 0:
        raise InvalidListing(_l("Stock cannot be negative."))
    if data.weight_grams <= 0:
        raise InvalidListing(_l("The weight must be more than 0 g."))
    if data.min_order_qty < 1:
        raise InvalidListing(_l("The minimum order is at least 1."))
    if data.availability is Availability.PREORDER and not (data.harvest_start and data.harvest_end):
        raise InvalidListing(_l("A pre-order needs the harvest window (from and to)."))
    if data.harvest_start and data.harvest_end and data.harvest_start > data.harvest_end:
        raise InvalidListing(_l("The harvest window ends before it starts."))
    if data.shelf_life_days is not None and data.shelf_life_days <= 0:
        raise InvalidListing(_l("Shelf life must be at least 1 day."))
    if db.session.get(Category, data.category_id) is None:
        raise InvalidListing(_l("Choose a category."))


def _apply(listing: Listing, household: Household, data: ListingData) -> None:
    ward = get_ward(data.origin_ward_code) if data.origin_ward_code else None
    if data.origin_ward_code and ward is None:
        raise InvalidListing(_l("Choose the ward or commune the produce comes from."))
    listing.title = data.title.strip()
    listing.description = (data.description or "").strip()
    listing.category_id = data.category_id
    listing.unit = data.unit
    listing.price = data.price
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
    return listing


def update_listing(
    actor: User, listing: Listing, data: ListingData, photos: list[Image] = (), remove_photo_ids: set[int] = frozenset()
) -> Listing:
    """Edit a listing and its photos. Raises NotYourListing or InvalidListing; nothing is changed then."""
    _check(actor, listing.household)
    if listing.status is ListingStatus.DELETED:
        raise NotYourListing(_l("This listing was deleted."))
    _validate(data)
    removed = [p for p in listing.photos if p.id in remove_photo_ids]
    if len(listing.photos) - len(removed) + len(photos) < 1:
        raise InvalidListing(_l("A listing keeps at least one photo."))
    _apply(listing, listing.household, data)
    for photo in removed:
        listing.photos.remove(photo)
    _add_photos(listing, list(photos))
    listing.updated_at = utcnow()
    db.session.flush()
    for photo in removed:
        delete_photo(photo.filename, photo.thumb)
    return listing


def set_status(actor: User, listing: Listing, status: ListingStatus) -> None:
    """Pause, resume or delete. A deleted listing stays deleted (past orders still point at it)."""
    _check(actor, listing.household)
    if listing.status is ListingStatus.DELETED:
        raise NotYourListing(_l("This listing was deleted."))
    listing.status = status
    listing.updated_at = utcnow()
    db.session.flush()


def get_for_edit(actor: User, listing_id: int) -> Listing:
    """The listing if `actor` may change it; NotYourListing otherwise (also for unknown ids)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status is ListingStatus.DELETED:
        raise NotYourListing(_l("No such listing."))
    _check(actor, listing.household)
    return listing
