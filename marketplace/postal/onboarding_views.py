"""Assisted onboarding at the counter (/buu-cuc/ho/…): register a household, print its sign-in sheet, and create or
edit its listings on its behalf (the catalogue's own form and services; listings are marked created by the clerk)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.catalog import services as catalog
from marketplace.catalog.errors import NotYourListing
from marketplace.catalog.manage import listing_create_page, listing_edit_page
from marketplace.catalog.queries import listings_of
from marketplace.extensions import db
from marketplace.geo.services import ward_choices
from marketplace.households.errors import HouseholdError
from marketplace.postal import bp, onboarding
from marketplace.postal.desk_views import _point_or_403, clerk_only
from marketplace.postal.errors import NotAllowed, PostalError
from marketplace.postal.forms import ActionForm, OnboardingForm


def _household_or_404(household_id: int):
    _point_or_403()
    try:
        return onboarding.household_for_clerk(current_user, household_id)
    except NotAllowed:
        abort(404)


@bp.route("/buu-cuc/ho/moi", methods=["GET", "POST"])
@clerk_only
def onboard_household():
    point = _point_or_403()
    form = OnboardingForm()
    form.ward.choices = [("", "—")] + ward_choices(point.province_code)
    if form.validate_on_submit():
        data = onboarding.OnboardingData(
            name=form.name.data,
            representative=form.representative.data,
            phone=form.phone.data,
            ward_code=form.ward.data,
            address_line=form.address_line.data,
            lat=float(form.lat.data),
            lng=float(form.lng.data),
        )
        try:
            household = onboarding.register_household(current_user, data)
        except (PostalError, HouseholdError) as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Household registered and verified. Print its sign-in sheet."), "success")
            return redirect(url_for("postal.desk_household", household_id=household.id))
    return render_template("postal/onboard.html", form=form, point=point), 400 if form.errors else 200


@bp.get("/buu-cuc/ho/<int:household_id>")
@clerk_only
def desk_household(household_id: int):
    household = _household_or_404(household_id)
    return render_template(
        "postal/desk_household.html",
        household=household,
        address=onboarding.address_of(household),
        listings=listings_of(household),
        form=ActionForm(),
        may_issue_sign_in=onboarding.may_issue_sign_in(household),
    )


@bp.post("/buu-cuc/ho/<int:household_id>/phieu.pdf")
@clerk_only
def household_sheet(household_id: int):
    household = _household_or_404(household_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        password = onboarding.issue_sign_in(current_user, household)
    except NotAllowed as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("postal.desk_household", household_id=household.id))
    pdf = onboarding.sign_in_sheet(household, password, _point_or_403().name)
    db.session.commit()
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="dang-nhap-{household.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/buu-cuc/ho/<int:household_id>/san-pham/moi", methods=["GET", "POST"])
@clerk_only
def household_new_listing(household_id: int):
    household = _household_or_404(household_id)
    back = url_for("postal.desk_household", household_id=household.id)
    return listing_create_page(
        household,
        back,
        lambda listing: _("Listing “%(title)s” saved for %(name)s.", title=listing.title, name=household.name),
        cancel_url=back,
    )


@bp.route("/buu-cuc/ho/<int:household_id>/san-pham/<int:listing_id>", methods=["GET", "POST"])
@clerk_only
def household_edit_listing(household_id: int, listing_id: int):
    household = _household_or_404(household_id)
    try:
        listing = catalog.get_for_edit(current_user, listing_id)
    except NotYourListing:
        abort(404)
    if listing.household_id != household.id:
        abort(404)
    back = url_for("postal.desk_household", household_id=household.id)
    return listing_edit_page(listing, back, cancel_url=back)
