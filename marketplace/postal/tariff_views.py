"""The administrator's tariff table (/admin/bieu-phi): zone × service × weight step, fees edited in place."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.postal import bp, tariff
from marketplace.postal.errors import PostalError
from marketplace.postal.forms import ActionForm
from marketplace.postal.models import TariffRate
from marketplace.money import InvalidAmount, parse_vnd


@bp.get("/admin/bieu-phi")
@role_required(Role.ADMIN)
def tariff_table():
    return render_template(
        "postal/tariff.html", rates=tariff.rates(), changes=tariff.recent_changes(), form=ActionForm(), error_id=None
    )


@bp.post("/admin/bieu-phi/<int:rate_id>")
@role_required(Role.ADMIN)
def tariff_update(rate_id: int):
    rate = db.session.get(TariffRate, rate_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changes = tariff.update_rate(
            current_user, rate, parse_vnd(request.form.get("fee")), parse_vnd(request.form.get("extra_per_500g"))
        )
    except (PostalError, InvalidAmount) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return render_template(
            "postal/tariff.html",
            rates=tariff.rates(),
            changes=tariff.recent_changes(),
            form=ActionForm(),
            error_id=rate_id,
        ), 400
    db.session.commit()
    flash(_("Tariff saved.") if changes else _("Nothing changed."), "success")
    return redirect(url_for("postal.tariff_table") + f"#rate-{rate_id}")
