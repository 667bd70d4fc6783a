"""The household's own profile and certifications; the verification queue for clerks and admins."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.geo.services import province_choices, ward_choices
from marketplace.households import bp, services
from marketplace.households.errors import HouseholdError
from marketplace.households.forms import CertificationForm, ProfileForm
from marketplace.households.models import CertificationKind, Household
from marketplace.media import PhotoRejected, read_photo


@bp.route("/my/profile", methods=["GET", "POST"])
@role_required(Role.HOUSEHOLD)
def edit_profile():
    household = services.household_of(current_user)
    if request.method == "GET":
        form = ProfileForm(obj=household)
        if household:
            form.province.data = household.province_code
            form.ward.data = household.ward_code
        else:
            form.representative.data = current_user.name
            form.phone.data = current_user.phone and "0" + current_user.phone[3:]
    else:
        form = ProfileForm()
    form.province.choices = [("", "—")] + province_choices()
    form.ward.choices = [("", "—")] + ward_choices(form.province.data)
    if form.validate_on_submit():
        ward_ok = form.ward.data in {code for code, _name in form.ward.choices[1:]}
        photo = None
        if not ward_ok:
            form.ward.errors = [*form.ward.errors, _("Choose the ward or commune in this province.")]
        elif form.photo.data and form.photo.data.filename:
            try:
                photo = read_photo(form.photo.data.stream)
            except PhotoRejected as exc:
                form.photo.errors = [*form.photo.errors, str(exc)]
        if not form.ward.errors and not form.photo.errors:
            try:
                services.save_profile(
                    current_user,
                    services.ProfileData(
                        name=form.name.data, representative=form.representative.data, phone=form.phone.data,
                        ward_code=form.ward.data, address_line=form.address_line.data, story=form.story.data or "",
                    ),
                    photo,
                )
            except HouseholdError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Your household profile is saved."), "success")
                return redirect(url_for("households.edit_profile"))
    return render_template(
        "households/profile.html", form=form, household=household, cert_form=CertificationForm(prefix="cert")
    )


@bp.post("/my/certifications")
@role_required(Role.HOUSEHOLD)
def add_certification():
    household = services.household_of(current_user)
    if household is None:
        abort(404)
    form = CertificationForm(prefix="cert")
    if form.validate_on_submit():
        try:
            services.add_certification(
                household,
                services.CertificationData(
                    kind=CertificationKind(form.kind.data), number=form.number.data, expires_on=form.expires_on.data,
                    stars=form.stars.data,
                ),
            )
        except HouseholdError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Certificate added."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("households.edit_profile"))


@bp.post("/my/certifications/<int:cert_id>/delete")
@role_required(Role.HOUSEHOLD)
def remove_certification(cert_id: int):
    household = services.household_of(current_user)
    try:
        if household is None:
            abort(404)
        services.remove_certification(household, cert_id)
    except HouseholdError:
        abort(404)
    db.session.commit()
    flash(_("Certificate removed."), "success")
    return redirect(url_for("households.edit_profile"))


@bp.get("/households/pending")
@role_required(Role.CLERK, Role.ADMIN)
def pending():
    return render_template("households/pending.html", households=services.pending_households(current_user))


@bp.get("/households/<int:household_id>/review")
@role_required(Role.CLERK, Role.ADMIN)
def review(household_id: int):
    """Everything to check before verifying a household: who, where, its address code, certificates, listings."""
    from marketplace.staff.scope import staff_may_see

    household = db.session.get(Household, household_id)
    if household is None or not staff_may_see(current_user, household):
        abort(404)
    return render_template("households/review.html", household=household, **services.review_facts(household))


@bp.post("/households/<int:household_id>/verify")
@role_required(Role.CLERK, Role.ADMIN)
def verify(household_id: int):
    from marketplace.staff.scope import staff_may_see

    household = db.session.get(Household, household_id)
    if household is None or not staff_may_see(current_user, household):
        abort(404)  # another point's household does not exist for this clerk
    if request.form.get("checked") != "1":  # verifying lets it sell: only after looking at its details
        flash(_("Tick the box once you have checked the household's details, then verify."), "error")
        return redirect(url_for("households.review", household_id=household_id))
    try:
        services.verify(household, current_user)
    except HouseholdError:
        abort(404)  # another point's household does not exist for this clerk
    db.session.commit()
    flash(_("%(name)s is verified and can now sell.", name=household.name), "success")
    return redirect(url_for("households.pending"))
