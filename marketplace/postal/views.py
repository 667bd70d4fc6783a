"""Public pages and JSON: digital-address look-up and QR code, creating an address, tracking, network events."""

from __future__ import annotations

import io
from datetime import datetime

import qrcode
import qrcode.image.svg
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import csrf, db
from marketplace.geo.services import province_choices, ward_choices
from marketplace.postal import addresses, bp, maps, tracking
from marketplace.postal.errors import InvalidAddressCode, NotAllowed, PostalError, UnknownAddressCode
from marketplace.postal.forms import ActionForm, AddressForm
from marketplace.postal.parcels import by_tracking_number
from marketplace.postal.points import get_point
from marketplace.timeutil import as_utc
from marketplace.money import MAX_VND

# --- digital addresses ----------------------------------------------------------------------------------------------


@bp.get("/dia-chi")
def address_lookup():
    code = request.args.get("code", "").strip()
    error = None
    if code:
        try:
            return redirect(url_for("postal.address_page", code=addresses.resolve(code).code))
        except PostalError as exc:
            error = str(exc)
    mine = addresses.addresses_of(current_user) if current_user.is_authenticated else []
    return render_template("postal/address_lookup.html", code=code, error=error, mine=mine), (400 if error else 200)


@bp.get("/dia-chi/<code>")
def address_page(code: str):
    try:
        address = addresses.resolve(code)
    except InvalidAddressCode as exc:
        return render_template("postal/address_lookup.html", code=code, error=str(exc), mine=[]), 400
    except UnknownAddressCode as exc:
        return render_template("postal/address_lookup.html", code=code, error=str(exc), mine=[]), 404
    if address.code != code:
        return redirect(url_for("postal.address_page", code=address.code), 301)
    from marketplace.staff.scope import staff_may_see

    return render_template(
        "postal/address.html",
        address=address,
        can_verify=staff_may_see(current_user, address),
        markers=maps.sketch(address),
        tile=maps.tile(current_app.config.get("MAP_TILE_URL", ""), address.lat, address.lng),
        verify_form=ActionForm(),
    )


@bp.get("/dia-chi/<code>/qr.svg")
def address_qr(code: str):
    try:
        address = addresses.resolve(code)
    except InvalidAddressCode:
        abort(400)
    except UnknownAddressCode:
        abort(404)
    target = url_for("postal.address_page", code=address.code, _external=True)
    image = qrcode.make(target, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buf = io.BytesIO()
    image.save(buf)
    response = current_app.response_class(buf.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/api/addresses/<code>")
def address_json(code: str):
    try:
        address = addresses.resolve(code)
    except InvalidAddressCode as exc:
        return jsonify(error=str(exc)), 400
    except UnknownAddressCode as exc:
        return jsonify(error=str(exc)), 404
    return jsonify(addresses.as_json(address))


@bp.route("/dia-chi/moi", methods=["GET", "POST"])
@login_required
def address_new():
    form = AddressForm()
    form.province.choices = [("", "—")] + province_choices()
    form.ward.choices = [("", "—")] + ward_choices(form.province.data)
    if form.validate_on_submit():
        if form.ward.data not in {c for c, _n in form.ward.choices[1:]}:
            form.ward.errors = [*form.ward.errors, _("Choose the ward or commune in this province.")]
        else:
            try:
                household = getattr(current_user, "household", None)
                address = addresses.create_address(
                    current_user,
                    float(form.lat.data),
                    float(form.lng.data),
                    form.ward.data,
                    form.address_line.data,
                    household_id=household.id if household is not None else None,
                )
            except PostalError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Your digital address is %(code)s.", code=address.code), "success")
                return redirect(url_for("postal.address_page", code=address.code))
    return render_template("postal/address_form.html", form=form)


@bp.post("/dia-chi/<code>/xac-minh")
@role_required(Role.CLERK, Role.ADMIN)
def address_verify(code: str):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        address = addresses.resolve(code)
        addresses.verify(address, current_user)
    except (UnknownAddressCode, InvalidAddressCode, NotAllowed):
        db.session.rollback()
        abort(404)
    except PostalError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Address verified."), "success")
    return redirect(url_for("postal.address_page", code=code))


# --- public tracking ------------------------------------------------------------------------------------------------


@bp.get("/tra-cuu")
def track_form():
    number = request.args.get("tracking", "").strip()
    if number:
        parcel = by_tracking_number(number)
        if parcel is not None:
            return redirect(url_for("postal.track", tracking_number=parcel.tracking_number))
        return render_template(
            "postal/track.html",
            parcel=None,
            number=number,
            error=_("No parcel has this tracking number. Check it and try again."),
        ), 404
    return render_template("postal/track.html", parcel=None, number="", error=None)


@bp.get("/tra-cuu/<tracking_number>")
def track(tracking_number: str):
    parcel = by_tracking_number(tracking_number)
    if parcel is None:
        return render_template(
            "postal/track.html",
            parcel=None,
            number=tracking_number,
            error=_("No parcel has this tracking number. Check it and try again."),
        ), 404
    return render_template(
        "postal/track.html",
        parcel=parcel,
        number=parcel.tracking_number,
        error=None,
        events=tracking.timeline(parcel, applied_only=True),
        T=tracking,
    )


# --- the household's own labels -----------------------------------------------------------------------------------


@bp.get("/my/parcels/<int:parcel_id>/label.pdf")
@role_required(Role.HOUSEHOLD)
def household_label(parcel_id: int):
    """A household prints the label of its own parcel at home (A6), to stick on before taking it to the post."""
    from marketplace.households.services import household_of
    from marketplace.postal import labels
    from marketplace.postal.models import Parcel, ParcelStatus
    from marketplace.postal.parcels import label_data

    household = household_of(current_user)
    parcel = db.session.get(Parcel, parcel_id)
    if household is None or parcel is None or parcel.household_id != household.id:
        abort(404)
    if parcel.status is ParcelStatus.CANCELLED:
        abort(404)
    response = current_app.response_class(labels.render_a6(label_data(parcel)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{parcel.tracking_number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the postal network's systems -----------------------------------------------------------------------------------


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _event_json(event) -> dict:
    return {
        "event_id": event.external_id,
        "tracking_number": event.parcel.tracking_number,
        "code": event.code,
        "occurred_at": as_utc(event.occurred_at).isoformat(),
        "recorded_at": as_utc(event.recorded_at).isoformat(),
        "applied": event.applied,
        "status": event.parcel.status.value,
    }


@bp.post("/api/tracking/events")
@csrf.exempt
def api_event():
    token = tracking.authenticate(_bearer())
    if token is None:
        db.session.rollback()
        return jsonify(error="missing or invalid bearer token"), 401
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error="send a JSON object"), 400
    missing = [k for k in ("event_id", "tracking_number", "code", "occurred_at", "point_code") if not body.get(k)]
    if missing:
        return jsonify(error=f"missing fields: {', '.join(missing)}"), 400
    event_id = str(body["event_id"])[:64]
    known = tracking.event_by_external_id(event_id)
    if known is not None:
        db.session.commit()
        return jsonify(_event_json(known) | {"duplicate": True}), 200
    try:
        occurred_at = datetime.fromisoformat(str(body["occurred_at"]).replace("Z", "+00:00"))
    except ValueError:
        return jsonify(error="occurred_at must be ISO-8601 with an offset"), 400
    if occurred_at.tzinfo is None:
        return jsonify(error="occurred_at must carry a UTC offset"), 400
    cod_collected = body.get("cod_collected")
    if cod_collected is not None and (
        isinstance(cod_collected, bool) or not isinstance(cod_collected, int) or not 0 <= cod_collected <= MAX_VND
    ):
        return jsonify(error="cod_collected must be a whole number of đồng"), 400
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        return jsonify(error="reason must be a string"), 400
    parcel = by_tracking_number(str(body["tracking_number"]))
    if parcel is None:
        return jsonify(error="unknown tracking number"), 404
    point = get_point(str(body["point_code"]))
    if point is None:
        return jsonify(error="unknown point_code"), 404
    try:
        event = tracking.record_event(
            parcel,
            str(body["code"]),
            None,
            point,
            occurred_at=occurred_at,
            reason=reason,
            external_id=event_id,
            source=token.name,
            cod_collected=cod_collected,
        )
        db.session.commit()
    except PostalError as exc:
        db.session.rollback()
        return jsonify(error=str(exc)), 422
    except IntegrityError:  # the same event id posted twice at once: the other request stored it
        db.session.rollback()
        known = tracking.event_by_external_id(event_id)
        if known is None:
            raise
        return jsonify(_event_json(known) | {"duplicate": True}), 200
    # 201: the event moved the parcel; 202: stored, waiting for an earlier step (or kept as history)
    return jsonify(_event_json(event) | {"duplicate": False}), 201 if event.applied else 202


@bp.app_template_filter("s10")
def s10_filter(value: str) -> str:
    from marketplace.postal.s10 import display

    return display(value)
