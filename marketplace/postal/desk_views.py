"""The clerk's desk (/buu-cuc): scan or type a number, then act on the parcel; one button or one field per step."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.inputs import parse_int
from marketplace.postal import bp, desk, labels, parcels, tracking
from marketplace.postal.errors import NotAllowed, PostalError
from marketplace.postal.models import ParcelStatus
from marketplace.postal.forms import AcceptForm, ActionForm, DeliverForm, FailForm, PostmanForm, ScanForm
from marketplace.postal.points import staff_of

clerk_only = role_required(Role.CLERK, Role.ADMIN)


def _point_or_403():
    try:
        return desk.desk_point(current_user)
    except NotAllowed as exc:
        abort(403, description=str(exc))


def _parcel_or_404(parcel_id: int):
    _point_or_403()
    try:
        return desk.get_for_clerk(current_user, parcel_id)
    except desk.ParcelNotFound:
        abort(404)


@bp.get("/buu-cuc")
@clerk_only
def desk_home():
    point = _point_or_403()
    return render_template(
        "postal/desk.html",
        point=point,
        form=ScanForm(),
        lists=desk.point_parcels(current_user),
        staff=staff_of(point),
        T=tracking,
    )


@bp.post("/buu-cuc/scan")
@clerk_only
def desk_scan():
    _point_or_403()
    form = ScanForm()
    if form.validate_on_submit():
        try:
            parcel = desk.find_for_clerk(current_user, form.tracking.data)
        except desk.ParcelNotFound as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("postal.desk_parcel", parcel_id=parcel.id))
    return redirect(url_for("postal.desk_home"))


@bp.get("/buu-cuc/parcels/<int:parcel_id>")
@clerk_only
def desk_parcel(parcel_id: int):
    parcel = _parcel_or_404(parcel_id)
    point = _point_or_403()
    fail_form = FailForm()
    fail_form.reason.choices = [(k, str(v)) for k, v in tracking.REASONS.items()]
    postman_form = PostmanForm()
    postman_form.postman.choices = [(u.id, u.name) for u in staff_of(point)]
    return render_template(
        "postal/desk_parcel.html",
        parcel=parcel,
        point=point,
        events=tracking.timeline(parcel),
        T=tracking,
        accept_form=AcceptForm(),
        deliver_form=DeliverForm(),
        fail_form=fail_form,
        postman_form=postman_form,
        action_form=ActionForm(),
        scan_form=ScanForm(),
    )


def _act(parcel_id: int, action, success: str):
    parcel = _parcel_or_404(parcel_id)
    try:
        action(parcel)
    except desk.ParcelNotFound:
        db.session.rollback()
        abort(404)
    except PostalError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("postal.desk_parcel", parcel_id=parcel_id))


@bp.post("/buu-cuc/parcels/<int:parcel_id>/accept")
@clerk_only
def desk_accept(parcel_id: int):
    form = AcceptForm()
    if not form.validate_on_submit():
        _parcel_or_404(parcel_id)
        flash(_("Enter the weight shown on the scale, in grams."), "error")
        return redirect(url_for("postal.desk_parcel", parcel_id=parcel_id))
    return _act(parcel_id, lambda p: desk.accept(current_user, p, form.weighed_grams.data), _("Parcel accepted."))


@bp.post("/buu-cuc/parcels/<int:parcel_id>/receive")
@clerk_only
def desk_receive(parcel_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act(parcel_id, lambda p: desk.receive(current_user, p), _("Parcel received for delivery."))


@bp.post("/buu-cuc/parcels/<int:parcel_id>/out")
@clerk_only
def desk_out(parcel_id: int):
    form = PostmanForm()
    form.postman.choices = [(u.id, u.name) for u in staff_of(_point_or_403())]
    if not form.validate_on_submit():
        abort(400)
    postman = next((u for u in staff_of(_point_or_403()) if u.id == form.postman.data), None)
    if postman is None:
        abort(400)
    return _act(parcel_id, lambda p: desk.out_for_delivery(current_user, p, postman), _("Parcel out for delivery."))


@bp.post("/buu-cuc/parcels/<int:parcel_id>/deliver")
@clerk_only
def desk_deliver(parcel_id: int):
    form = DeliverForm()
    if not form.validate_on_submit():
        _parcel_or_404(parcel_id)
        flash(_("Enter the cash collected, in đồng."), "error")
        return redirect(url_for("postal.desk_parcel", parcel_id=parcel_id))
    return _act(
        parcel_id, lambda p: desk.deliver(current_user, p, form.cod_collected.data or 0), _("Delivery recorded.")
    )


@bp.post("/buu-cuc/parcels/<int:parcel_id>/fail")
@clerk_only
def desk_fail(parcel_id: int):
    form = FailForm()
    form.reason.choices = [(k, str(v)) for k, v in tracking.REASONS.items()]
    if not form.validate_on_submit():
        _parcel_or_404(parcel_id)
        flash(_("Choose why the delivery failed."), "error")
        return redirect(url_for("postal.desk_parcel", parcel_id=parcel_id))
    return _act(
        parcel_id, lambda p: desk.fail_attempt(current_user, p, form.reason.data), _("Failed attempt recorded.")
    )


@bp.post("/buu-cuc/parcels/<int:parcel_id>/hand-back")
@clerk_only
def desk_hand_back(parcel_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    parcel = _parcel_or_404(parcel_id)
    if parcel.origin_point_id != _point_or_403().id:
        abort(404)
    return _act(parcel_id, lambda p: desk.hand_back(current_user, p), _("Parcel handed back to the household."))


@bp.route("/buu-cuc/round", methods=["GET", "POST"])
@clerk_only
def desk_round():
    point = _point_or_403()
    form = PostmanForm() if request.method == "POST" else PostmanForm(formdata=None)
    staff = {u.id: u for u in staff_of(point)}
    form.postman.choices = [(u.id, u.name) for u in staff.values()]
    if request.method == "GET":
        form.postman.data = request.args.get("postman", type=parse_int)
    postman = None
    if form.postman.data:  # only the point's own staff: another user's id names nobody here
        postman = staff.get(form.postman.data)
        if postman is None:
            abort(404)
    route = []
    if request.method == "POST":
        if not form.validate_on_submit() or postman is None:
            abort(400)
        try:
            route = desk.build_round(current_user, postman)
        except PostalError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Round built: %(n)s parcels.", n=len(route)), "success")
            return redirect(url_for("postal.desk_round", postman=postman.id))
    elif postman is not None:
        try:
            route = desk.round_of(current_user, postman)
        except NotAllowed:
            abort(404)
    return render_template("postal/desk_round.html", point=point, form=form, postman=postman, route=route, T=tracking)


@bp.get("/buu-cuc/parcels/<int:parcel_id>/label.pdf")
@clerk_only
def desk_label(parcel_id: int):
    parcel = _parcel_or_404(parcel_id)
    if parcel.origin_point_id != _point_or_403().id:
        abort(404)
    if parcel.status is ParcelStatus.CANCELLED:
        flash(_("The order of this parcel was cancelled: do not accept it, hand it back to the household."), "error")
        return redirect(url_for("postal.desk_parcel", parcel_id=parcel.id))
    return _pdf(labels.render_a6(parcels.label_data(parcel)), parcel.tracking_number)


@bp.get("/buu-cuc/labels.pdf")
@clerk_only
def desk_label_sheet():
    """Four labels to an A4 sheet: every parcel handed in or accepted here and not yet dispatched."""
    _point_or_403()
    rows = desk.labels_to_print(current_user)
    if not rows:
        flash(_("No label to print."), "error")
        return redirect(url_for("postal.desk_home"))
    return _pdf(labels.render_sheet([parcels.label_data(p) for p in rows]), "labels")


def _pdf(data: bytes, name: str):
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
