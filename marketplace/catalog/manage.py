"""The household's own listings: list, create, edit, pause/resume, delete."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.catalog import bp, photo_drafts, queries, services
from marketplace.catalog.errors import CatalogError, ListingChanged, NotYourListing
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


class _Photos:
    """The photos of one submit: those kept from an earlier submit (drafts) and the new uploads. When the form comes
    back with an error, the new ones are kept too, so nobody has to pick them again."""

    def __init__(self, form: ListingForm):
        self.form = form
        dropped = set(request.form.getlist("drop_kept"))
        self.kept = [t for t in photo_drafts.parse(form.kept_photos.data) if t not in dropped]
        photo_drafts.discard(current_user, [t for t in dropped if t in photo_drafts.parse(form.kept_photos.data)])
        self.new = []

    def read_new(self) -> bool:
        """Read this submit's uploads (after the form's own validation, which resets field errors); False when one
        is not an acceptable photo (its message is on the form)."""
        if request.method == "POST":
            self.new = _uploaded_photos(self.form)
        return self.new is not None

    def all(self):
        return [*photo_drafts.load(current_user, self.kept), *(self.new or [])]

    def saved(self) -> None:
        photo_drafts.discard(current_user, self.kept)

    def keep_for_next_submit(self) -> None:
        if self.new:
            self.kept += photo_drafts.keep(current_user, self.new)
            self.new = []
        _set(self.form.kept_photos, " ".join(self.kept))

    def thumbs(self):
        return photo_drafts.thumbs(current_user, self.kept)


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
    photos = _Photos(form)
    valid = form.validate_on_submit()
    if photos.read_new() and valid:
        try:
            listing = services.create_listing(current_user, household, _data(form), photos.all())
        except CatalogError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            photos.saved()
            flash(saved_message(listing), "success")
            return redirect(done_url)
    if form.is_submitted():
        photos.keep_for_next_submit()
    return render_template("catalog/listing_form.html", form=form, listing=None, household=household,
                           cancel_url=cancel_url, kept=photos.thumbs())


def listing_edit_page(listing, done_url: str, cancel_url: str | None = None):
    """The edit form of a listing the signed-in user may change (checked by the caller through `get_for_edit`)."""
    form = ListingForm(obj=listing) if request.method == "GET" else ListingForm()
    if request.method == "GET":
        form.version.data = listing.edit_version
        form.stock_loaded.data = listing.stock
        form.category.data = listing.category_id
        form.unit.data = listing.unit.value
        form.availability.data = listing.availability.value
        if listing.origin_ward_code != listing.household.ward_code:
            form.origin_province.data = listing.province_code
            form.origin_ward.data = listing.origin_ward_code
    _setup_choices(form)
    photos = _Photos(form)
    valid = form.validate_on_submit()
    if photos.read_new() and valid:
        remove = {n for n in map(parse_int, request.form.getlist("remove_photo")) if n is not None}
        try:
            services.update_listing(current_user, listing, _data(form), photos.all(), remove, _edit_base(form))
        except ListingChanged as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            # rebase the form on the listing as it is now, keeping this person's change to the stock
            _set(form.stock, exc.current_stock + exc.stock_delta)
            _set(form.stock_loaded, exc.current_stock)
            _set(form.version, db.session.get(type(listing), listing.id).edit_version)
        except CatalogError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            photos.saved()
            flash(_("Changes saved."), "success")
            return redirect(done_url)
    if form.is_submitted():
        photos.keep_for_next_submit()
    return render_template("catalog/listing_form.html", form=form, listing=listing, household=listing.household,
                           cancel_url=cancel_url, kept=photos.thumbs())


def _set(field, value) -> None:
    """Show `value` in a field of a form that was posted (what was typed is shown otherwise)."""
    field.data = value
    field.raw_data = [str(value)]


def _edit_base(form: ListingForm) -> services.EditBase | None:
    """What the form showed when it was opened (hidden fields); None for a form without them."""
    try:
        return services.EditBase(version=int(form.version.data), stock=int(form.stock_loaded.data))
    except (TypeError, ValueError):
        return None


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
