"""The desk's pickup steps: "arrived for pickup" and handing the parcel over against its code."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.money import InvalidAmount, parse_vnd
from marketplace.postal import bp, pickup
from marketplace.postal.desk_views import _act, clerk_only
from marketplace.postal.errors import InvalidParcel
from marketplace.postal.forms import ActionForm


@bp.post("/buu-cuc/parcels/<int:parcel_id>/pickup-arrived")
@clerk_only
def desk_pickup_arrived(parcel_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act(parcel_id, lambda p: pickup.arrived(current_user, p), _("The buyer was told the parcel is here."))


@bp.post("/buu-cuc/parcels/<int:parcel_id>/pickup-collect")
@clerk_only
def desk_pickup_collect(parcel_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        amount = parse_vnd(request.form.get("cod_collected")) or 0
    except InvalidAmount as exc:
        amount_error = str(exc)
    else:
        amount_error = None

    def act(parcel):
        if amount_error:
            raise InvalidParcel(amount_error)
        return pickup.collect(current_user, parcel, request.form.get("pickup_code", "")[:12], amount)

    return _act(parcel_id, act, _("Parcel handed over."))
