"""The household's own listings: list, create, edit, pause/resume, delete."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.catalog import bp, queries, services
from marketplace.catalog.errors import CatalogError, NotYourListing
from marketplace.catalog.forms import ListingForm
from marketplace.catalog.models import Availability, ListingStatus, Unit
from marketplace.extensions import db
from marketplace.geo.services import province_choices, ward_choices
from marketplace.households.services import household_of
from marketplace.inputs import parse_int
from marketplace.media import PhotoRejected, read_uploads


def _my_household():
    household = household_of(current_user)
    if household is None:
        flash(_("First tell us about your household."), "info")
        abort(redirect(url_for("households.edit_profile")))
    return household


def _setup_choices(form: ListingForm) -> None:
    locale = str(get_locale() or "vi")
    form.category.choices = [(c.id, c.name(locale)) for c in queries.categories()]
    form.origin_province.choices = [("", "—")] + province_choices()
    form.origin_ward.choices = [("", "—")] + ward_choices(form.origin_province.data)


def _uploaded_photos(form: ListingForm):
    """Read the uploaded files; None (with the error on the form) when one is not an acceptable photo."""
    try:
        return read_uploads(request.files.getlist(form.photos.name))
    except PhotoRejected as exc:
        form.photos.errors = [*form.photos.errors, str(exc)]
        return None


def _data(form: ListingForm) -> services.ListingData:
    return services.ListingData(
        title=form.title.data,
        category_id=form.category.data,
        description=form.description.data or "",
        unit=Unit(form.unit.data),
        price=form.price.data,
        stock=form.stock.data,
        weight_grams=form.weight_grams.data,
        min_order_qty=form.min_order_qty.data or 1,
        availability=Availability(form.availability.data),
        harvest_start=form.harvest_start.data,
        harvest_end=form.harvest_end.data,
        shelf_life_days=form.shelf_life_days.data,
        origin_ward_code=form.origin_ward.data,
    )


@bp.get("/my/listings")
@role_required(Role.HOUSEHOLD)
def my_listings():
    household = _my_household()
    return render_template("catalog/my_listings.html", household=household, listings=queries.listings_of(household))


def listing_create_page(household, done_url: str, saved_message, cancel_url: str | None = None):
    """The new-listing form for `household`, filled in by the signed-in user (the household itself, or a clerk of
    its service point): a redirect to `done_url` once saved, else the form with its errors."""
    form = ListingForm()
    _setup_choices(form)
    if form.validate_on_submit():
        photos = _uploaded_photos(form)
        if photos is not None:
            try:
                listing = services.create_listing(current_user, household, _data(form), photos)
            except CatalogError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(saved_message(listing), "success")
                return redirect(done_url)
    return render_template("catalog/listing_form.html", form=form, listing=None, household=household,
                           cancel_url=cancel_url)


def listing_edit_page(listing, done_url: str, cancel_url: str | None = None):
    """The edit form of a listing the signed-in user may change (checked by the caller through `get_for_edit`)."""
    form = ListingForm(obj=listing) if request.method == "GET" else ListingForm()
    if request.method == "GET":
        form.category.data = listing.category_id
        form.unit.data = listing.unit.value
        form.availability.data = listing.availability.value
        if listing.origin_ward_code != listing.household.ward_code:
            form.origin_province.data = listing.province_code
            form.origin_ward.data = listing.origin_ward_code
    _setup_choices(form)
    if form.validate_on_submit():
        photos = _uploaded_photos(form)
        remove = {n for n in map(parse_int, request.form.getlist("remove_photo")) if n is not None}
        if photos is not None:
            try:
                services.update_listing(current_user, listing, _data(form), photos, remove)
            except CatalogError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Changes saved."), "success")
                return redirect(done_url)
    return render_template("catalog/listing_form.html", form=form, listing=listing, household=listing.household,
                           cancel_url=cancel_url)


@bp.route("/my/listings/new", methods=["GET", "POST"])
@role_required(Role.HOUSEHOLD)
def new_listing():
    return listing_create_page(
        _my_household(),
        url_for("catalog.my_listings"),
        lambda listing: _("Your listing “%(title)s” is saved.", title=listing.title),
    )


@bp.route("/my/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@role_required(Role.HOUSEHOLD)
def edit_listing(listing_id: int):
    try:
        listing = services.get_for_edit(current_user, listing_id)
    except NotYourListing:
        abort(404)
    return listing_edit_page(listing, url_for("catalog.my_listings"))


@bp.post("/my/listings/<int:listing_id>/status")
@role_required(Role.HOUSEHOLD)
def change_status(listing_id: int):
    try:
        listing = services.get_for_edit(current_user, listing_id)
        status = {"pause": ListingStatus.PAUSED, "resume": ListingStatus.ACTIVE, "delete": ListingStatus.DELETED}.get(
            request.form.get("action", "")
        )
        if status is None:
            abort(400)
        services.set_status(current_user, listing, status)
    except NotYourListing:
        abort(404)
    db.session.commit()
    flash(
        {
            ListingStatus.PAUSED: _("Listing paused: buyers no longer see it."),
            ListingStatus.ACTIVE: _("Listing is on sale again."),
            ListingStatus.DELETED: _("Listing deleted."),
        }[status],
        "success",
    )
    return redirect(url_for("catalog.my_listings"))
